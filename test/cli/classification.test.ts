import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { fluxUnet, kohyaLora } from '../fixtures/keysets.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { cli } from '../helpers/cli.js';
import { FakeCivitai } from '../helpers/fake-civitai.js';
import { tempDir } from '../helpers/tmp.js';
import { reusableWorld } from '../helpers/world.js';

const servers: FakeCivitai[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** An SDXL-shaped LoRA with no metadata and a neutral name (offline, only `sdxl` can be said), and a tiny Flux unet. */
async function writeDownloads(dl: string): Promise<{ lora: string; flux: string }> {
  const lora = join(dl, 'download (3).safetensors');
  await writeSafetensors(lora, kohyaLora({ base: 'sdxl', rank: 4 }));
  const flux = join(dl, 'model.safetensors');
  await writeSafetensors(flux, fluxUnet({ variant: 'schnell' }).map((t) => ({ ...t, shape: t.shape.map((d) => Math.min(d, 8)) })));
  return { lora, flux };
}

async function world(): Promise<{ root: string; hub: string; dl: string; lora: string; flux: string }> {
  const root = tempDir();
  const dl = join(root, 'downloads');
  mkdirSync(dl);
  return { root, hub: join(root, 'hub'), dl, ...(await writeDownloads(dl)) };
}

/** The downloads scanned offline (built once, copied back for each test). */
const scannedOffline = reusableWorld(async (w) => {
  const files = await writeDownloads(w.dl);
  await cli(['--hub', w.hub, 'scan', '-q', w.dl]);
  return { root: w.root, hub: w.hub, dl: w.dl, ...files };
});

async function civitai(): Promise<FakeCivitai> {
  const fake = await FakeCivitai.start();
  servers.push(fake);
  return fake;
}

const online = (fake: FakeCivitai, extra: NodeJS.ProcessEnv = {}) => ({ online: true, env: { MODELHUB_CIVITAI_URL: fake.baseUrl, ...extra } });

describe('classification with CivitAI, explain, reclassify', () => {
  it('resolves an SDXL-shaped LoRA to Pony with CivitAI, in one batched lookup, and caches the answers', async () => {
    const w = await world();
    const loraSha = sha(w.lora);
    const fake = await civitai();
    fake.addVersion({ modelName: 'Pony Style', type: 'LORA', baseModel: 'Pony', trainedWords: ['ponystyle'], files: [{ sha256: loraSha }] });
    const r = await cli(['--hub', w.hub, 'scan', '--json', w.dl], online(fake, { CIVITAI_API_KEY: 'secret-key-123' }));
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ imported: 2, civitai: { asked: true, found: 1, notFound: 1, errors: 0 } });
    expect(fake.requestsTo('POST')).toHaveLength(1);
    expect(fake.requests.every((q) => q.headers.authorization === 'Bearer secret-key-123')).toBe(true);
    expect(r.stdout + r.stderr).not.toContain('secret-key-123');

    const list = (await cli(['--hub', w.hub, 'list', '--json'])).json<Array<{ name: string; type: string; base: string; civitai: boolean }>>();
    expect(list.find((m) => m.name === 'download (3).safetensors')).toMatchObject({ type: 'lora', base: 'pony', civitai: true });
    const unmatched = (await cli(['--hub', w.hub, 'list', '--json', '--no-civitai'])).json<Array<{ name: string }>>();
    expect(unmatched.map((m) => m.name)).toEqual(['model.safetensors']);

    const shown = await cli(['--hub', w.hub, 'show', 'download (3).safetensors']);
    expect(shown.stdout).toMatch(/civitai\s+Pony Style .*\(Pony\) http/);

    const before = fake.requests.length;
    const again = await cli(['--hub', w.hub, 'reclassify', '--all', '--json'], online(fake));
    expect(again.json()).toMatchObject({ models: 2, changed: 0, failed: 0 });
    expect(fake.requests.length).toBe(before); // every answer, the 404 too, came from the cache
  });

  it('says offline what can be said without CivitAI, and explains why', async () => {
    const w = await scannedOffline();
    const ex = await cli(['--hub', w.hub, 'explain', '--json', 'download (3).safetensors']);
    expect(ex.code).toBe(0);
    const e = ex.json<{ decision: { type: string; base: string }; evidence: Array<{ method: string }>; candidates: unknown[]; whatWouldChangeIt: string[] }>();
    expect(e.decision).toMatchObject({ type: 'lora', base: 'sdxl' });
    expect(e.evidence.map((x) => x.method)).toContain('tensors');
    expect(e.candidates.length).toBeGreaterThan(0);
    expect(e.whatWouldChangeIt.join('\n')).toMatch(/Override/);
    expect(e.whatWouldChangeIt.join('\n')).toMatch(/pony, illustrious and noobai are SDXL-shaped/);
    const human = await cli(['--hub', w.hub, 'explain', 'download (3).safetensors']);
    expect(human.stdout).toMatch(/is lora \(lora\), base sdxl/);
    expect(human.stdout).toContain('what would change it');
  });

  it('reads sidecars at scan time as evidence', async () => {
    const w = await world();
    writeFileSync(
      join(w.dl, 'download (3).civitai.info'),
      JSON.stringify({ id: 7, modelId: 8, name: 'v1', baseModel: 'Illustrious', model: { name: 'IL style', type: 'LORA' }, files: [{ primary: true, hashes: { SHA256: sha(w.lora).toUpperCase() } }] }),
    );
    await cli(['--hub', w.hub, 'scan', '-q', w.dl]);
    const m = (await cli(['--hub', w.hub, 'show', '--json', 'download (3).safetensors'])).json<{ base: string; evidence: Array<{ method: string }>; metadata: Array<{ source: string; key: string; value: string }> }>();
    expect(m.base).toBe('illustrious');
    expect(m.evidence.map((e) => e.method)).toContain('sidecar');
    expect(m.metadata.find((x) => x.source === 'sidecar' && x.key === 'civitai_info.modelName')?.value).toBe('IL style');
  });

  it('reclassifies with a user rule file from the config, shows before → after, and keeps overrides in force', async () => {
    const w = await scannedOffline();
    const rules = join(w.root, 'my-rules.yaml');
    writeFileSync(rules, 'version: 1\nfilenames:\n  - { id: my-download-is-illustrious, pattern: "^download", base: illustrious }\n');
    const config = join(w.root, 'config.yaml');
    writeFileSync(config, 'rules: [my-rules.yaml]\n');
    const dry = await cli(['--config', config, '--hub', w.hub, 'reclassify', '--all', '--dry-run']);
    expect(dry.stdout).toMatch(/download \(3\)\.safetensors: lora\/sdxl\/lora \(\d+%\) → lora\/illustrious\/lora/);
    expect(dry.stdout).toContain('1 would change');
    expect((await cli(['--hub', w.hub, 'list', '--json', '--type', 'lora'])).json<Array<{ base: string }>>()[0]?.base).toBe('sdxl');

    // An Override from the manifests, applied, then a reclassification: the override stays.
    const manifests = join(w.root, 'manifests');
    mkdirSync(manifests, { recursive: true });
    writeFileSync(join(manifests, 'o.yaml'), `kind: Override\nname: mine\nmatch: { hash: ${sha(w.flux).slice(0, 12)} }\nset: { type: unet, base: chroma }\n`);
    expect((await cli(['--hub', w.hub, '--manifests', manifests, 'apply', '--yes'])).code).toBe(0);
    const real = await cli(['--config', config, '--hub', w.hub, 'reclassify', '--all', '--json']);
    expect(real.json()).toMatchObject({ changed: 1 });
    const flux = (await cli(['--hub', w.hub, 'show', '--json', 'model.safetensors'])).json<{ type: string; base: string; confidence: number }>();
    expect(flux).toMatchObject({ type: 'unet', base: 'chroma', confidence: 1 });
    const ex = (await cli(['--hub', w.hub, 'explain', '--json', 'model.safetensors'])).json<{ override: { origin: string }; classifier: { base: string } }>();
    expect(ex.override.origin).toContain('mine');
    expect(ex.classifier.base).toBe('flux');
  });

  it('lets manifests name a base that a user rule file declares', async () => {
    const w = await scannedOffline();
    const manifests = join(w.root, 'manifests');
    mkdirSync(manifests, { recursive: true });
    writeFileSync(join(manifests, 'o.yaml'), 'kind: Override\nmatch: { name: "model*" }\nset: { base: kandinsky5 }\n');
    const refused = await cli(['--hub', w.hub, '--manifests', manifests, 'plan']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('o.yaml:3:14: set.base: unknown base "kandinsky5"');
    writeFileSync(join(w.root, 'k.yaml'), 'version: 1\nbases:\n  - { id: kandinsky5, description: Kandinsky 5 }\n');
    writeFileSync(join(w.root, 'config.yaml'), 'rules: [k.yaml]\n');
    const ok = await cli(['--config', join(w.root, 'config.yaml'), '--hub', w.hub, '--manifests', manifests, 'plan']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('base kandinsky5');
  });

  it('mirrors the rules into classification.db for SQL', async () => {
    const w = await scannedOffline();
    const db = new Database(join(w.hub, 'classification.db'), { readonly: true });
    const count = (t: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    for (const t of ['model_types', 'bases', 'sub_type_rules', 'size_rules', 'architecture_patterns', 'external_apis']) expect(count(t), t).toBeGreaterThan(0);
    expect(db.prepare("SELECT base FROM architecture_patterns WHERE type = 'unet' AND base = 'flux' LIMIT 1").get()).toEqual({ base: 'flux' });
    expect(db.prepare("SELECT name, enabled FROM external_apis").all()).toEqual([{ name: 'civitai', enabled: 1 }]);
    db.close();
  });

  it('inspect --hash asks CivitAI about files where they are', async () => {
    const w = await world();
    const fake = await civitai();
    fake.addVersion({ type: 'LORA', baseModel: 'Illustrious', files: [{ sha256: sha(w.lora) }] });
    const without = (await cli(['--hub', w.hub, 'inspect', '--json', w.lora], online(fake))).json<Array<{ base: string; civitai?: unknown }>>();
    expect(without[0]).toMatchObject({ base: 'sdxl' });
    expect(without[0]?.civitai).toBeUndefined();
    const withHash = (await cli(['--hub', w.hub, 'inspect', '--json', '--hash', w.lora], online(fake))).json<Array<{ base: string; sha256: string; civitai: { status: string } }>>();
    expect(withHash[0]).toMatchObject({ base: 'illustrious', sha256: sha(w.lora), civitai: { status: 'found' } });
  });

  it('says clearly when CivitAI cannot be reached, and the scan still succeeds', async () => {
    const w = await world();
    const r = await cli(['--hub', w.hub, 'scan', w.dl], { online: true, env: { MODELHUB_CIVITAI_URL: 'http://127.0.0.1:9/api/v1' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/CivitAI: 0 found, 0 not on CivitAI, 2 failed \(cannot reach CivitAI at http:\/\/127\.0\.0\.1:9\/api\/v1/);
  });
});
