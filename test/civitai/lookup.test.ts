import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CivitaiClient, type CivitaiClientOptions } from '../../classify/civitai-client.js';
import { lookupCivitai, type LookupResult } from '../../classify/civitai-lookup.js';
import { civitaiCache } from '../../store/civitai-cache.js';
import { openHub, type Hub } from '../../store/hub.js';
import { FakeCivitai, type FakeCivitaiOptions } from '../helpers/fake-civitai.js';
import { tempDir } from '../helpers/tmp.js';

const sha = (n: number | string): string => createHash('sha256').update(`file-${n}`).digest('hex');
const autov3 = (n: number | string): string => createHash('sha256').update(`payload-${n}`).digest('hex');
const KEY = 'sk-very-secret-civitai-key';
const DAY = 86_400_000;
const T0 = Date.parse('2025-06-01T00:00:00Z');

let fake: FakeCivitai | undefined;
let hub: Hub | undefined;
afterEach(async () => {
  hub?.close();
  hub = undefined;
  const errors = fake?.errors ?? [];
  await fake?.close();
  fake = undefined;
  expect(errors).toEqual([]);
});

async function setup(opts: FakeCivitaiOptions = {}): Promise<{ fake: FakeCivitai; hub: Hub }> {
  fake = await FakeCivitai.start(opts);
  hub = openHub(tempDir());
  return { fake, hub };
}

function client(f: FakeCivitai, extra: Partial<CivitaiClientOptions> = {}): CivitaiClient {
  return new CivitaiClient({ baseUrl: f.baseUrl, timeoutMs: 2000, maxRetries: 2, backoffMs: 10, minIntervalMs: 0, concurrency: 4, ...extra });
}

const at = (ms: number) => ({ now: () => ms });

function cacheRows(h: Hub): Array<{ key: string; status: number; body: string | null; fetched_at: string; expires_at: string }> {
  return h.classificationDb.prepare("SELECT key, status, body, fetched_at, expires_at FROM api_cache WHERE api = 'civitai' ORDER BY key").all() as never;
}

function statusOf(results: Map<string, LookupResult>, key: string): string {
  const r = results.get(key);
  if (r === undefined) return 'missing';
  if (r.status === 'found') return `found:${r.matchedBy}${r.cached ? ':cached' : ''}${r.expired ? ':expired' : ''}`;
  if (r.status === 'not-found') return `not-found${r.cached ? ':cached' : ''}${r.expired ? ':expired' : ''}`;
  return r.status === 'error' ? `error:${r.error.code}` : r.status;
}

describe('lookupCivitai online', () => {
  it('finds by SHA-256 in one batch, and by the AutoV3 prefix after a SHA-256 miss', async () => {
    const { fake, hub } = await setup();
    fake.addVersion({ modelName: 'DreamShaper', name: '8', files: [{ sha256: sha(1) }] });
    fake.addVersion({ modelName: 'Edited LoRA', type: 'LORA', baseModel: 'Pony', files: [{ sha256: sha('original'), autov3: autov3(2) }] });
    const items = [{ sha256: sha(1) }, { sha256: sha(2), autov3: autov3(2) }, { sha256: sha(3), autov3: autov3(3) }, { sha256: sha(4) }];
    const results = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0));
    expect(items.map((i) => statusOf(results, i.sha256))).toEqual(['found:sha256', 'found:autov3', 'not-found', 'not-found']);
    const found = results.get(sha(2));
    expect(found?.status === 'found' && found.version).toMatchObject({ modelName: 'Edited LoRA', modelType: 'LORA', baseModel: 'Pony' });
    expect(fake.requests.map((r) => `${r.method} ${r.path.replace(fake.baseUrl.replace(/^http:\/\/[^/]+/, ''), '')}`).sort()).toEqual(
      ['POST /model-versions/by-hash', `GET /model-versions/by-hash/${autov3(2).slice(0, 12).toUpperCase()}`, `GET /model-versions/by-hash/${autov3(3).slice(0, 12).toUpperCase()}`].sort(),
    );
    const up = (h: string, n = 64): string => h.slice(0, n).toUpperCase();
    const expected = [
      [`sha256:${up(sha(1))}`, 200],
      [`sha256:${up(sha(2))}`, 404],
      [`autov3:${up(autov3(2), 12)}`, 200],
      [`sha256:${up(sha(3))}`, 404],
      [`autov3:${up(autov3(3), 12)}`, 404],
      [`sha256:${up(sha(4))}`, 404],
    ];
    expect(cacheRows(hub).map((r) => [r.key, r.status])).toEqual(expected.sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
  });

  it('caches 404s: a second run asks nothing until the entry expires', async () => {
    const { fake, hub } = await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    const items = [{ sha256: sha(1) }, { sha256: sha(2), autov3: autov3(2) }];
    await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0));
    expect(fake.requests).toHaveLength(2);
    const again = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0 + 29 * DAY));
    expect(fake.requests).toHaveLength(2);
    expect(items.map((i) => statusOf(again, i.sha256))).toEqual(['found:sha256:cached', 'not-found:cached']);
    const later = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0 + 31 * DAY));
    expect(items.map((i) => statusOf(later, i.sha256))).toEqual(['found:sha256:cached', 'not-found']);
    expect(fake.requests).toHaveLength(4); // the 404s (SHA-256 and AutoV3) asked again; the found one is fresh for 90 days
    const rows = cacheRows(hub);
    expect(rows.find((r) => r.key === `sha256:${sha(2).toUpperCase()}`)?.expires_at).toBe(new Date(T0 + 61 * DAY).toISOString());
  });

  it('asks again with refresh, and with a found entry past its TTL', async () => {
    const { fake, hub } = await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    const items = [{ sha256: sha(1) }];
    await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, { ...at(T0), foundTtlDays: 5 });
    await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0 + 4 * DAY));
    expect(fake.requests).toHaveLength(1);
    await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0 + 6 * DAY));
    expect(fake.requests).toHaveLength(2);
    const refreshed = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, { ...at(T0 + 6 * DAY), refresh: true });
    expect(fake.requests).toHaveLength(3);
    expect(statusOf(refreshed, sha(1))).toBe('found:sha256');
  });

  it('splits the batch at 100 and caches every answer', async () => {
    const { fake, hub } = await setup();
    for (let i = 0; i < 230; i += 3) fake.addVersion({ files: [{ sha256: sha(i) }] });
    const items = Array.from({ length: 230 }, (_, i) => ({ sha256: sha(i) }));
    const results = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0));
    expect(fake.requestsTo('POST').map((r) => (JSON.parse(r.body) as string[]).length)).toEqual([100, 100, 30]);
    expect(items.filter((i) => results.get(i.sha256)?.status === 'found')).toHaveLength(77);
    expect(cacheRows(hub)).toHaveLength(230);
  });

  it('falls back to per-hash GETs when the server has no batch endpoint', async () => {
    const { fake, hub } = await setup({ batch: 404 });
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    const items = [{ sha256: sha(1) }, { sha256: sha(2) }];
    const results = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0));
    expect(items.map((i) => statusOf(results, i.sha256))).toEqual(['found:sha256', 'not-found']);
    expect(fake.requests.map((r) => r.method).sort()).toEqual(['GET', 'GET', 'POST']);
  });

  it('reports a persistent 500 for the whole batch, caches nothing, and asks again next time', async () => {
    const { fake, hub } = await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    fake.scriptHash(sha(2), { status: 500 }, 3);
    const items = [{ sha256: sha(1) }, { sha256: sha(2) }];
    const results = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0));
    expect(items.map((i) => statusOf(results, i.sha256))).toEqual(['error:ERR_MODELHUB_CIVITAI_SERVER', 'error:ERR_MODELHUB_CIVITAI_SERVER']);
    expect(fake.requests).toHaveLength(3); // maxRetries 2
    expect(cacheRows(hub)).toEqual([]);
    const again = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0));
    expect(items.map((i) => statusOf(again, i.sha256))).toEqual(['found:sha256', 'not-found']);
  });

  it('keeps a failed AutoV3 GET to its own item', async () => {
    const { fake, hub } = await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    fake.scriptHash(autov3(2).slice(0, 12), { status: 502 }, Infinity);
    const items = [{ sha256: sha(1) }, { sha256: sha(2), autov3: autov3(2) }, { sha256: sha(3), autov3: autov3(3) }];
    const results = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), items, at(T0));
    expect(items.map((i) => statusOf(results, i.sha256))).toEqual(['found:sha256', 'error:ERR_MODELHUB_CIVITAI_SERVER', 'not-found']);
    expect(cacheRows(hub).filter((r) => r.key.startsWith('autov3:')).map((r) => r.key)).toEqual([`autov3:${autov3(3).slice(0, 12).toUpperCase()}`]);
  });

  it('never stores the API key, and sends it on every request', async () => {
    const { fake, hub } = await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    await lookupCivitai(civitaiCache(hub.classificationDb), client(fake, { apiKey: KEY }), [{ sha256: sha(1) }, { sha256: sha(2), autov3: autov3(2) }], at(T0));
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    expect(JSON.stringify(cacheRows(hub))).not.toContain(KEY);
  });

  it('stops asking once CivitAI is unreachable', async () => {
    const { fake, hub } = await setup({ batch: 404 });
    const baseUrl = fake.baseUrl;
    await fake.close();
    const c = new CivitaiClient({ baseUrl, maxRetries: 1, backoffMs: 10, minIntervalMs: 0, concurrency: 1 });
    const items = Array.from({ length: 20 }, (_, i) => ({ sha256: sha(i), autov3: autov3(i) }));
    const results = await lookupCivitai(civitaiCache(hub.classificationDb), c, items, at(T0));
    expect(new Set(items.map((i) => statusOf(results, i.sha256)))).toEqual(new Set(['error:ERR_MODELHUB_CIVITAI_UNREACHABLE']));
    expect(c.attempts).toBeLessThanOrEqual(4);
    expect(cacheRows(hub)).toEqual([]);
  });
});

describe('lookupCivitai offline and input', () => {
  it('answers only from the cache, expired entries included, and touches no network', async () => {
    const { fake, hub } = await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    fake.addVersion({ files: [{ sha256: sha('x'), autov3: autov3(3) }] });
    const known = [{ sha256: sha(1) }, { sha256: sha(2) }, { sha256: sha(3), autov3: autov3(3) }];
    await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), known, at(T0));
    const asked = fake.requests.length;
    const items = [...known, { sha256: sha(4) }];
    const fresh = await lookupCivitai(civitaiCache(hub.classificationDb), null, items, at(T0 + DAY));
    expect(items.map((i) => statusOf(fresh, i.sha256))).toEqual(['found:sha256:cached', 'not-found:cached', 'found:autov3:cached', 'offline']);
    const stale = await lookupCivitai(civitaiCache(hub.classificationDb), null, items, at(T0 + 400 * DAY));
    expect(items.map((i) => statusOf(stale, i.sha256))).toEqual(['found:sha256:cached:expired', 'not-found:cached:expired', 'found:autov3:cached:expired', 'offline']);
    expect(fake.requests).toHaveLength(asked);
  });

  it('rejects a malformed SHA-256 per item and accepts any case', async () => {
    const { fake, hub } = await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    const results = await lookupCivitai(civitaiCache(hub.classificationDb), client(fake), [{ sha256: 'abc' }, { sha256: sha(1).toUpperCase() }], at(T0));
    expect(statusOf(results, 'abc')).toBe('error:ERR_MODELHUB_CIVITAI_BAD_HASH');
    expect(statusOf(results, sha(1).toUpperCase())).toBe('found:sha256');
  });
});
