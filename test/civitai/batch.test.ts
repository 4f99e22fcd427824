import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CivitaiClient, type BatchAnswer } from '../../classify/civitai-client.js';
import { lookupCivitai } from '../../classify/civitai-lookup.js';
import { civitaiCache } from '../../store/civitai-cache.js';
import { openHub } from '../../store/hub.js';
import { startFakeCivitai, type FakeCivitai } from '../helpers/fake-civitai.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The batch `POST /model-versions/by-hash` as CivitAI really answers it (its source,
 * src/pages/api/v1/model-versions/by-hash/index.ts): one element per matching file, in no
 * particular order, `null` for a version it cannot render, and fields that may be null.
 */

const sha = (n: number | string): string => createHash('sha256').update(`file-${n}`).digest('hex').toUpperCase();
const T0 = Date.parse('2025-06-01T00:00:00Z');

const start = startFakeCivitai;

function client(f: FakeCivitai): CivitaiClient {
  return new CivitaiClient({ baseUrl: f.baseUrl, timeoutMs: 2000, maxRetries: 0, minIntervalMs: 0, concurrency: 4 });
}

/** A deterministic shuffle (mulberry32), so that a failing order can be replayed from its seed. */
function shuffled<T>(list: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** hash → version id, or the error code, per answer. */
function byHash(answers: BatchAnswer[]): Record<string, number | string> {
  return Object.fromEntries(answers.map((a) => [a.hash, 'error' in a ? a.error.code : a.version.id]));
}

describe('batch answers as CivitAI sends them', () => {
  it('maps every element back by files[].hashes.SHA256, whatever the order, with several of our files in one version', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const f = await start({ rewriteBatch: (elements) => shuffled(elements, seed) });
      const expected: Record<string, number> = {};
      for (let v = 0; v < 12; v++) {
        const files = [0, 1, 2].map((i) => ({ sha256: sha(`${v}-${i}`), type: i === 0 ? 'Model' : 'Pruned Model' }));
        const version = f.addVersion({ id: 500 + v, files });
        for (const file of files) expected[file.sha256] = version.id as number;
      }
      const asked = [...Object.keys(expected), sha('unknown')];
      const answers = await client(f).postByHashes(asked);
      expect(byHash(answers), `seed ${seed}`).toEqual(expected);
      const posted = JSON.parse(f.requestsTo('POST')[0]?.body ?? '[]') as string[];
      expect(posted).toHaveLength(asked.length);
    }
  });

  it('skips null elements and keeps the rest of the chunk', async () => {
    const f = await start({ rewriteBatch: (elements) => [null, ...elements.flatMap((e) => [e, null])] });
    f.addVersion({ id: 1, files: [{ sha256: sha(1) }] });
    f.addVersion({ id: 2, files: [{ sha256: sha(2) }] });
    expect(byHash(await client(f).postByHashes([sha(1), sha(2), sha(3)]))).toEqual({ [sha(1)]: 1, [sha(2)]: 2 });
  });

  it('answers a file listed under another version (a checkpoint naming its VAE) with its own version, in any order', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const f = await start({ rewriteBatch: (elements) => shuffled(elements, seed) });
      const vae = f.addVersion({ id: 900, type: 'VAE', baseModel: 'SDXL 1.0', files: [{ sha256: sha('vae') }] });
      // CivitAI appends the VAE to the checkpoint version's files (type VAE); higher and lower ids both.
      f.addVersion({ id: 100, type: 'Checkpoint', baseModel: 'Pony', files: [{ sha256: sha('ckpt-a') }, { sha256: sha('vae'), type: 'VAE', linked: true }] });
      f.addVersion({ id: 1000, type: 'Checkpoint', baseModel: 'Pony', files: [{ sha256: sha('ckpt-b') }, { sha256: sha('vae'), type: 'VAE', linked: true }] });
      const answers = await client(f).postByHashes([sha('ckpt-a'), sha('vae'), sha('ckpt-b')]);
      expect(byHash(answers), `seed ${seed}`).toEqual({ [sha('ckpt-a')]: 100, [sha('vae')]: vae.id, [sha('ckpt-b')]: 1000 });
    }
  });

  it('keeps the matched file (its type) on each answer', async () => {
    const f = await start();
    f.addVersion({ id: 7, type: 'Checkpoint', baseModel: 'Pony', files: [{ sha256: sha('ckpt') }, { sha256: sha('vae'), type: 'VAE' }, { sha256: sha('yaml'), type: 'Config' }] });
    const answers = await client(f).postByHashes([sha('ckpt'), sha('vae'), sha('yaml')]);
    const types = Object.fromEntries(answers.map((a) => ['version' in a ? a.version.fileType : a.error.code, a.hash]));
    expect(types).toEqual({ Model: sha('ckpt'), VAE: sha('vae'), Config: sha('yaml') });
  });
});

/** Every field a real-shaped element has, as a path into it, and what setting it to null (or removing it) must do. */
type Outcome = 'found' | 'missing' | 'unreadable';
const FIELD_OUTCOMES: Array<[path: string[], outcome: Outcome]> = [
  [['id'], 'unreadable'],
  [['modelId'], 'unreadable'],
  [['files'], 'missing'],
  [['files', '0'], 'missing'],
  [['files', '0', 'hashes'], 'missing'],
  [['files', '0', 'hashes', 'SHA256'], 'missing'],
];

function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...fieldPaths(v, [...prefix, k])]);
}

function setAt(target: unknown, path: string[], how: 'null' | 'delete'): void {
  let cur = target as Record<string, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (how === 'null') cur[last] = null;
  else if (Array.isArray(cur)) cur.splice(Number(last), 1);
  else delete cur[last];
}

describe('partial elements', () => {
  it('never fails the chunk: each field of a real-shaped answer null or missing, one at a time', async () => {
    let damage: { path: string[]; how: 'null' | 'delete' } | undefined;
    // The damaged version is the first element; the second (an intact one) must always survive.
    const f = await start({ rewriteBatch: (elements) => elements.map((e, i) => (i === 0 && damage !== undefined ? (setAt(e, damage.path, damage.how), e) : e)) });
    const hurt = f.addVersion({ id: 1, type: 'LORA', baseModel: 'Pony', trainedWords: ['w'], files: [{ sha256: sha('hurt'), autov3: 'ab'.repeat(6) }] });
    f.addVersion({ id: 2, type: 'LORA', baseModel: 'Illustrious', files: [{ sha256: sha('intact') }] });
    const paths = fieldPaths(hurt);
    expect(paths.length).toBeGreaterThan(40);
    const c = client(f);
    for (const path of paths) {
      for (const how of ['null', 'delete'] as const) {
        damage = { path, how };
        const answers = byHash(await c.postByHashes([sha('hurt'), sha('intact')]));
        const label = `${path.join('.')} ${how}`;
        expect(answers[sha('intact')], label).toBe(2);
        const outcome = FIELD_OUTCOMES.find(([p]) => p.join('.') === path.join('.'))?.[1] ?? 'found';
        const expected = outcome === 'found' ? 1 : outcome === 'unreadable' ? 'ERR_MODELHUB_CIVITAI_BAD_RESPONSE' : undefined;
        expect(answers[sha('hurt')], label).toBe(expected);
      }
    }
  });

  it('reads what is there when model, baseModel and the names are null', async () => {
    const f = await start({ rewriteBatch: (elements) => elements.map((e) => ({ ...e, model: null, baseModel: null, name: null, trainedWords: null })) });
    f.addVersion({ id: 3, modelId: 30, files: [{ sha256: sha(3) }] });
    const [a] = await client(f).postByHashes([sha(3)]);
    expect(a !== undefined && 'version' in a && a.version).toMatchObject({ id: 3, modelId: 30, modelType: undefined, baseModel: undefined, trainedWords: [] });
  });
});

describe('lookupCivitai with real batch answers', () => {
  it('caches what a chunk with nulls and a damaged element answered, and leaves the unreadable hash to be asked again', async () => {
    const f = await start({ rewriteBatch: (elements) => [null, ...elements.map((e) => ((e.files as Array<{ hashes: { SHA256: string } }>)[0]?.hashes.SHA256 === sha(2) ? { ...e, id: null } : e)), null] });
    f.addVersion({ id: 1, files: [{ sha256: sha(1) }] });
    f.addVersion({ id: 2, files: [{ sha256: sha(2) }] });
    const hub = openHub(tempDir());
    try {
      const items = [1, 2, 3].map((n) => ({ sha256: sha(n) }));
      const results = await lookupCivitai(civitaiCache(hub.classificationDb), client(f), items, { now: () => T0 });
      expect(items.map((i) => results.get(i.sha256)?.status)).toEqual(['found', 'error', 'not-found']);
      const rows = hub.classificationDb.prepare("SELECT key, status FROM api_cache WHERE api = 'civitai' ORDER BY key").all();
      const expected = [
        { key: `sha256:${sha(1)}`, status: 200 },
        { key: `sha256:${sha(3)}`, status: 404 },
      ];
      expect(rows).toEqual(expected.sort((x, y) => x.key.localeCompare(y.key)));
    } finally {
      hub.close();
    }
  });
});
