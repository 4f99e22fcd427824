import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CivitaiClient } from '../../classify/civitai-client.js';
import { lookupCivitai, type LookupResult } from '../../classify/civitai-lookup.js';
import { civitaiCache } from '../../store/civitai-cache.js';
import { openHub } from '../../store/hub.js';
import { kohyaLora } from '../fixtures/keysets.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { cli } from '../helpers/cli.js';
import { startFakeCivitai } from '../helpers/fake-civitai.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A lookup that fails never discards what is known: with CivitAI unreachable, `--refresh` and
 * expired cache rows keep (and use) the cached answers, and the failure is reported.
 */

const DAY = 86_400_000;
const T0 = Date.parse('2025-06-01T00:00:00Z');
const sha = (n: string): string => createHash('sha256').update(`file-${n}`).digest('hex');
const noWait = async (): Promise<void> => {};

/** A 127.0.0.1 URL nothing listens on: a port taken from the OS, then released. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/v1`;
}

function describeResult(r: LookupResult | undefined): string {
  if (r === undefined) return 'missing';
  if (r.status === 'error') return `error:${r.error.code}`;
  const failed = 'failed' in r && r.failed !== undefined ? `:failed ${r.failed.code}` : '';
  return `${r.status}${r.status === 'found' ? `:${r.matchedBy}` : ''}${'cached' in r && r.cached ? ':cached' : ''}${'expired' in r && r.expired ? ':expired' : ''}${failed}`;
}

describe('lookups when CivitAI cannot be reached', () => {
  it('keeps the cached answers on refresh and past their expiry, marked with the failure', async () => {
    const fake = await startFakeCivitai();
    fake.addVersion({ type: 'LORA', baseModel: 'Pony', files: [{ sha256: sha('lora') }] });
    fake.addVersion({ files: [{ sha256: sha('original'), autov3: 'ab'.repeat(6) }] });
    const hub = openHub(tempDir());
    try {
      const items = [{ sha256: sha('lora') }, { sha256: sha('edited'), autov3: 'ab'.repeat(32) }, { sha256: sha('absent') }, { sha256: sha('never-asked') }];
      const db = hub.classificationDb;
      await lookupCivitai(civitaiCache(db), new CivitaiClient({ baseUrl: fake.baseUrl, minIntervalMs: 0, maxRetries: 0 }), items.slice(0, 3), { now: () => T0 });
      const down = new CivitaiClient({ baseUrl: await refusingUrl(), minIntervalMs: 0, maxRetries: 1, sleep: noWait });
      const failed = 'failed ERR_MODELHUB_CIVITAI_UNREACHABLE';
      const expect4 = (found: string) => [`found:sha256:cached${found}:${failed}`, `found:autov3:cached${found}:${failed}`, `not-found:cached${found}:${failed}`, 'error:ERR_MODELHUB_CIVITAI_UNREACHABLE'];
      const refreshed = await lookupCivitai(civitaiCache(db), down, items, { now: () => T0 + DAY, refresh: true });
      expect(items.map((i) => describeResult(refreshed.get(i.sha256)))).toEqual(expect4(''));
      const expired = await lookupCivitai(civitaiCache(db), down, items, { now: () => T0 + 400 * DAY });
      expect(items.map((i) => describeResult(expired.get(i.sha256)))).toEqual(expect4(':expired'));
      const rows = db.prepare("SELECT key, status, fetched_at FROM api_cache WHERE api = 'civitai'").all() as Array<{ fetched_at: string }>;
      expect(rows.map((r) => r.fetched_at)).toEqual(rows.map(() => new Date(T0).toISOString())); // nothing overwritten
    } finally {
      hub.close();
    }
  });
});

describe('reclassify --online --refresh with CivitAI unreachable', () => {
  it('keeps a Pony LoRA Pony, says the lookup failed, and changes nothing', async () => {
    const root = tempDir();
    const dl = join(root, 'downloads');
    mkdirSync(dl);
    const lora = join(dl, 'download (3).safetensors');
    await writeSafetensors(lora, kohyaLora({ base: 'sdxl', rank: 4 }));
    const hub = join(root, 'hub');
    const fake = await startFakeCivitai();
    fake.addVersion({ modelName: 'Pony Style', type: 'LORA', baseModel: 'Pony', files: [{ sha256: createHash('sha256').update(readFileSync(lora)).digest('hex') }] });
    expect((await cli(['--hub', hub, 'scan', '-q', dl], { online: true, env: { MODELHUB_CIVITAI_URL: fake.baseUrl } })).code).toBe(0);
    const base = async (): Promise<string | undefined> => (await cli(['--hub', hub, 'list', '--json'])).json<Array<{ base: string }>>()[0]?.base;
    expect(await base()).toBe('pony');

    const down = { online: true, env: { MODELHUB_CIVITAI_URL: await refusingUrl() }, sleep: noWait };
    for (const args of [['--refresh', '--dry-run'], ['--refresh']]) {
      const r = await cli(['--hub', hub, 'reclassify', '--all', '--online', ...args], down);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Reclassified 1 models: 0 ');
      expect(r.stderr).toMatch(/^warning: CivitAI lookups failed for 1 model, classified with the cached answer: cannot reach CivitAI at http:\/\/127\.0\.0\.1:\d+\/api\/v1/);
      expect(await base()).toBe('pony');
    }
    const json = (await cli(['--hub', hub, 'reclassify', '--all', '--online', '--refresh', '--json'], down)).json<{ changed: number; results: Array<{ after: { base: string }; civitai: { status: string; error?: string } }> }>();
    expect(json.changed).toBe(0);
    expect(json.results[0]).toMatchObject({ after: { base: 'pony' }, civitai: { status: 'found', error: expect.stringContaining('cannot reach CivitAI') } });
  });
});
