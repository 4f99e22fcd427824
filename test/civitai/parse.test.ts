import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cacheKeyForAutoV3, cacheKeyForSha256 } from '../../classify/civitai-cache.js';
import { civitaiMetadata, computeBackoff, createCivitaiClient, parseModelVersion, parseRetryAfter, toCivitaiVersion } from '../../classify/civitai-client.js';
import { answerFromCache, normalizeLookupItem, type NormalizedItem } from '../../classify/civitai-lookup.js';
import { evidenceFromCivitai, loadRuleSet } from '../../classify/index.js';
import { ModelHubError } from '../../core/errors.js';
import { readCachedAnswers, writeCachedAnswers } from '../../store/civitai-cache.js';
import { openHub } from '../../store/hub.js';
import { tempDir } from '../helpers/tmp.js';

const SHA = 'ab'.repeat(32);
const AUTOV3 = 'cd'.repeat(32);
const NOW = Date.parse('2025-06-01T00:00:00Z');

const raw = {
  id: 128713,
  modelId: 4384,
  name: '8',
  baseModel: 'SD 1.5',
  trainedWords: ['dreamy', 7, 'soft light'],
  description: '<p>…</p>',
  model: { name: 'DreamShaper', type: 'Checkpoint', nsfw: false },
  files: [{ name: 'dreamshaper_8.safetensors', sizeKB: 2082642.6, primary: true, hashes: { AutoV2: '0df040c8cd', SHA256: SHA, AutoV3: 'CDCDCDCDCDCD' } }, 'junk'],
  downloadUrl: 'https://civitai.com/api/download/models/128713',
};

describe('model versions', () => {
  it('parses the fields ModelHub uses, upper-casing hashes', () => {
    const v = parseModelVersion(raw, 'https://civitai.com', 'test');
    expect(v).toEqual({
      id: 128713,
      modelId: 4384,
      name: '8',
      modelName: 'DreamShaper',
      modelType: 'Checkpoint',
      baseModel: 'SD 1.5',
      trainedWords: ['dreamy', 'soft light'],
      files: [{ name: 'dreamshaper_8.safetensors', sizeKB: 2082642.6, primary: true, hashes: { AutoV2: '0DF040C8CD', SHA256: SHA.toUpperCase(), AutoV3: 'CDCDCDCDCDCD' } }],
      pageUrl: 'https://civitai.com/models/4384?modelVersionId=128713',
      downloadUrl: 'https://civitai.com/api/download/models/128713',
    });
    expect(() => parseModelVersion({ ...raw, id: '1' }, 'https://civitai.com', 'GET x')).toThrow(expect.objectContaining({ code: 'ERR_MODELHUB_CIVITAI_BAD_RESPONSE', message: expect.stringContaining('GET x') }));
  });

  it('produces classifier input and metadata', () => {
    const v = parseModelVersion(raw, 'https://civitai.com', 'test');
    const cv = toCivitaiVersion(v);
    expect(cv).toEqual({ modelType: 'Checkpoint', baseModel: 'SD 1.5', label: 'DreamShaper v8 (#128713)' });
    expect(evidenceFromCivitai(cv, loadRuleSet())).toEqual([expect.objectContaining({ method: 'civitai', type: 'checkpoint', base: 'sd15' })]);
    expect(civitaiMetadata(v)).toEqual({
      'civitai.model_id': '4384',
      'civitai.version_id': '128713',
      'civitai.model_name': 'DreamShaper',
      'civitai.version_name': '8',
      'civitai.type': 'Checkpoint',
      'civitai.base_model': 'SD 1.5',
      'civitai.trained_words': 'dreamy, soft light',
      'civitai.url': 'https://civitai.com/models/4384?modelVersionId=128713',
    });
    expect(Object.keys(civitaiMetadata({ ...v, trainedWords: [], baseModel: undefined }))).not.toContain('civitai.trained_words');
  });
});

describe('client helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('1', NOW)).toBe(1000);
    expect(parseRetryAfter(' 0.25 ', NOW)).toBe(250);
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(computeBackoff(0, 500, 10_000, () => 0)).toBe(250);
    expect(computeBackoff(2, 500, 10_000, () => 1)).toBe(2000);
    expect(computeBackoff(10, 500, 10_000, () => 1)).toBe(10_000);
  });

  it('makes no client offline or when disabled, and takes the key from CIVITAI_API_KEY', () => {
    const on = { external_apis: { civitai: { enabled: true, base_url: 'https://civitai.com/api/v1/' } } };
    const off = { external_apis: { civitai: { enabled: false, base_url: 'https://civitai.com/api/v1' } } };
    expect(createCivitaiClient(on, { env: {}, offline: true })).toBeNull();
    expect(createCivitaiClient(off, { env: {}, offline: false })).toBeNull();
    const client = createCivitaiClient(on, { env: { CIVITAI_API_KEY: 'k' }, offline: false });
    expect(client?.baseUrl).toBe('https://civitai.com/api/v1');
    expect(client?.siteOrigin).toBe('https://civitai.com');
    expect(JSON.stringify(client)).not.toContain('"k"');
    expect(inspect(client, { depth: 5, showHidden: true })).not.toContain("'k'");
  });
});

describe('cache', () => {
  const version = parseModelVersion(raw, 'https://civitai.com', 'test');
  const item = normalizeLookupItem({ sha256: SHA, autov3: AUTOV3 }) as NormalizedItem;

  it('normalizes items and keys', () => {
    expect(item).toEqual({ input: SHA, sha256: SHA.toUpperCase(), autov3: 'CDCDCDCDCDCD' });
    expect(normalizeLookupItem({ sha256: SHA, autov3: 'xyz' })).toMatchObject({ autov3: undefined });
    expect(normalizeLookupItem({ sha256: 'nope' })).toBeInstanceOf(ModelHubError);
    expect(cacheKeyForSha256(SHA)).toBe(`sha256:${SHA.toUpperCase()}`);
    expect(cacheKeyForAutoV3(AUTOV3)).toBe('autov3:CDCDCDCDCDCD');
  });

  it('plans from cached answers: fresh first, expired only when offline', () => {
    const shaKey = cacheKeyForSha256(SHA);
    const avKey = cacheKeyForAutoV3(AUTOV3);
    const at = { fetchedAt: 'x' };
    expect(answerFromCache(item, new Map(), false)).toBe('ask-sha256');
    expect(answerFromCache(item, new Map([[shaKey, { ...at, version, expired: true }]]), false)).toBe('ask-sha256');
    expect(answerFromCache(item, new Map([[shaKey, { ...at, version, expired: true }]]), true)).toMatchObject({ status: 'found', matchedBy: 'sha256', expired: true });
    expect(answerFromCache(item, new Map([[shaKey, { ...at, version: null, expired: false }]]), false)).toBe('ask-autov3');
    const both = new Map([
      [shaKey, { ...at, version: null, expired: false }],
      [avKey, { ...at, version, expired: false }],
    ]);
    expect(answerFromCache(item, both, false)).toMatchObject({ status: 'found', matchedBy: 'autov3', cached: true, expired: false });
  });

  it('round-trips answers through api_cache and skips damaged rows', () => {
    const hub = openHub(tempDir());
    try {
      const db = hub.classificationDb;
      writeCachedAnswers(db, [{ key: 'sha256:A', version }, { key: 'sha256:B', version: null }], { nowMs: NOW, foundTtlDays: 90, notFoundTtlDays: 30 });
      db.prepare("INSERT INTO api_cache (api, key, status, body) VALUES ('civitai', 'sha256:C', 200, '{broken')").run();
      const read = readCachedAnswers(db, ['sha256:A', 'sha256:B', 'sha256:C', 'sha256:D'], NOW + 31 * 86_400_000);
      expect([...read.keys()]).toEqual(['sha256:A', 'sha256:B']);
      expect(read.get('sha256:A')).toEqual({ version, expired: false, fetchedAt: new Date(NOW).toISOString() });
      expect(read.get('sha256:B')).toMatchObject({ version: null, expired: true });
    } finally {
      hub.close();
    }
  });
});
