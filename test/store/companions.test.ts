/**
 * Companion files (previews, metadata, a checkpoint's config) travel with the model: scan copies
 * them into the store folder, verified, and never touches the originals; the store's readers
 * take them for part of the model.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeGc, gatherGc, planGc } from '../../store/gc.js';
import { openHub, type Hub } from '../../store/hub.js';
import { findStoreFile } from '../../store/import.js';
import { readStoredCompanions } from '../../store/companions.js';
import type { ClassificationRecord } from '../../store/inventory.js';
import { scanPaths, type ScanOptions } from '../../store/scan.js';
import { verifyStore } from '../../store/verify.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { tempDir } from '../helpers/tmp.js';

const classify = (): ClassificationRecord => ({ type: 'lora', base: 'flux', variant: 'lora', confidence: 0.9, evidence: [] });
const opts = (extra: Partial<ScanOptions> = {}): ScanOptions => ({ mode: 'link', classify, ...extra });
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

async function modelFile(path: string, seed: number): Promise<string> {
  await writeSafetensors(path, [{ name: 'lora_unet_a.lora_down.weight', shape: [16, 16] }], { fill: 'random', seed });
  return sha(path);
}

function setup(): { hub: Hub; src: string; root: string } {
  const root = tempDir();
  const src = join(root, 'loras', 'flux');
  mkdirSync(src, { recursive: true });
  return { hub: openHub(join(root, 'hub')), src, root };
}

/** path → `<ino> <size> <mtime> <sha>`: proves a file was neither replaced, changed nor touched. */
function fileState(path: string): string {
  const st = statSync(path, { bigint: true });
  return `${st.ino} ${st.size} ${st.mtimeNs} ${sha(path)}`;
}

describe('scan copies a model\'s companion files into its store folder', () => {
  it('copies previews and metadata under the store file\'s stem, read-only and verified, and leaves the originals as they were', async () => {
    const { hub, src } = setup();
    const hash = await modelFile(join(src, 'retro.safetensors'), 1);
    const names = ['retro.preview.png', 'retro.civitai.info', 'retro.cm-info.json', 'retro.metadata.json', 'retro.json', 'retro.mp4', 'retro.txt'];
    for (const n of names) writeFileSync(join(src, n), `bytes of ${n}`);
    writeFileSync(join(src, 'retro.safetensors.preview.png'), 'not a name any app reads');
    writeFileSync(join(src, 'other.preview.png'), 'belongs to another model');
    symlinkSync('/elsewhere/linked.png', join(src, 'retro.webp'));
    const before = new Map(names.map((n) => [n, fileState(join(src, n))]));
    const report = await scanPaths(hub, [src], opts());
    expect(report.imported).toBe(1);
    expect(report.companions?.copied.map((c) => c.path).sort()).toEqual(names.map((n) => join(src, n)).sort());
    expect(report.companions?.skipped).toEqual([]);
    const folder = join(hub.layout.modelsDir, hash);
    expect(readdirSync(folder).sort()).toEqual([...names, 'retro.safetensors'].sort());
    for (const n of names) {
      expect(readFileSync(join(folder, n), 'utf8')).toBe(`bytes of ${n}`);
      expect(lstatSync(join(folder, n)).mode & 0o777).toBe(0o444);
      expect(fileState(join(src, n))).toBe(before.get(n));
    }
    expect(lstatSync(join(src, 'retro.safetensors')).isSymbolicLink()).toBe(true);
    expect(readStoredCompanions(hub.db).get(hash)?.map((c) => c.role)).toEqual(['.civitai.info', '.cm-info.json', '.json', '.metadata.json', '.mp4', '.preview.png', '.txt']);
    expect(readdirSync(hub.layout.tmpDir)).toEqual([]);
    hub.close();
  });

  it('names the copies after the store file when a duplicate under another name brings them, and keeps a PEFT folder\'s adapter_config.json', async () => {
    const { hub, src, root } = setup();
    const hash = await modelFile(join(src, 'first.safetensors'), 2);
    await scanPaths(hub, [src], opts({ mode: 'copy' }));
    const peft = join(root, 'hf', 'my-lora');
    mkdirSync(peft, { recursive: true });
    writeFileSync(join(peft, 'adapter_model.safetensors'), readFileSync(join(src, 'first.safetensors')));
    writeFileSync(join(peft, 'adapter_model.preview.jpg'), 'jpg');
    writeFileSync(join(peft, 'adapter_config.json'), '{"r": 16}');
    const report = await scanPaths(hub, [peft], opts({ mode: 'copy' }));
    expect(report.duplicates).toBe(1);
    const folder = join(hub.layout.modelsDir, hash);
    expect(readdirSync(folder).sort()).toEqual(['adapter_config.json', 'first.preview.jpg', 'first.safetensors']);
    hub.close();
  });

  it('refreshes a copy whose source changed, reads an unchanged one no more, and finds a preview added beside a link-back', async () => {
    const { hub, src } = setup();
    const hash = await modelFile(join(src, 'x.safetensors'), 3);
    writeFileSync(join(src, 'x.preview.png'), 'old');
    await scanPaths(hub, [src], opts());
    const copy = join(hub.layout.modelsDir, hash, 'x.preview.png');
    const again = await scanPaths(hub, [src], opts());
    expect(again.unchanged).toBe(1);
    expect(again.companions).toEqual({ copied: [], refreshed: [], skipped: [] });
    writeFileSync(join(src, 'x.preview.png'), 'a new preview');
    utimesSync(join(src, 'x.preview.png'), new Date(), new Date(Date.now() + 5000));
    writeFileSync(join(src, 'x.civitai.info'), '{}');
    const third = await scanPaths(hub, [src], opts());
    expect(third.companions?.refreshed.map((c) => c.path)).toEqual([join(src, 'x.preview.png')]);
    expect(third.companions?.copied.map((c) => c.path)).toEqual([join(src, 'x.civitai.info')]);
    expect(readFileSync(copy, 'utf8')).toBe('a new preview');
    expect(lstatSync(copy).mode & 0o777).toBe(0o444);
    expect(readFileSync(join(src, 'x.preview.png'), 'utf8')).toBe('a new preview');
    hub.close();
  });

  it('skips a companion over the size limit and one it cannot read, and goes on with the rest', async () => {
    const { hub, src } = setup();
    const hash = await modelFile(join(src, 'big.safetensors'), 4);
    writeFileSync(join(src, 'big.mp4'), '');
    truncateSync(join(src, 'big.mp4'), 2 * 1024 ** 3);
    writeFileSync(join(src, 'big.txt'), 'secret');
    chmodSync(join(src, 'big.txt'), 0o000);
    writeFileSync(join(src, 'big.png'), 'png');
    const report = await scanPaths(hub, [src], opts());
    const readable = process.getuid?.() === 0;
    expect(report.companions?.skipped.map((s) => s.path)).toEqual([join(src, 'big.mp4'), ...(readable ? [] : [join(src, 'big.txt')])]);
    expect(report.companions?.skipped[0]?.reason).toBe('2.1 GB, larger than the 64.0 MB a companion file may have');
    expect(readdirSync(join(hub.layout.modelsDir, hash)).sort()).toEqual(['big.png', 'big.safetensors', ...(readable ? ['big.txt'] : [])]);
    hub.close();
  });
});

describe('the store\'s readers take companions for part of the model', () => {
  it('findStoreFile returns the model file, not a companion that sorts before it', async () => {
    const { hub, src } = setup();
    const hash = await modelFile(join(src, 'b.safetensors'), 5);
    writeFileSync(join(src, 'b.civitai.info'), '{}');
    await scanPaths(hub, [src], opts({ mode: 'copy' }));
    expect(readdirSync(join(hub.layout.modelsDir, hash)).sort()[0]).toBe('b.civitai.info');
    expect(await findStoreFile(hub.layout, hash)).toBe(join(hub.layout.modelsDir, hash, 'b.safetensors'));
    hub.close();
  });

  it('verify reports recorded companions as neither unexpected nor missing; an unrecorded file still is', async () => {
    const { hub, src } = setup();
    const hash = await modelFile(join(src, 'v.safetensors'), 6);
    writeFileSync(join(src, 'v.preview.png'), 'png');
    await scanPaths(hub, [src], opts());
    const clean = await verifyStore(hub, { fast: false });
    expect(clean).toMatchObject({ ok: 1, missing: [], corrupted: [], unexpected: [] });
    writeFileSync(join(hub.layout.modelsDir, hash, 'v.stray.png'), 'stray');
    const stray = await verifyStore(hub, { fast: false });
    expect(stray.unexpected.map((u) => u.path)).toEqual([join(hub.layout.modelsDir, hash, 'v.stray.png')]);
    hub.close();
  });

  it('gc removes a deleted model\'s companions with it, and a rescan of a store folder whose inventory was lost registers them again', async () => {
    const { hub, src, root } = setup();
    const hash = await modelFile(join(src, 'g.safetensors'), 7);
    writeFileSync(join(src, 'g.preview.png'), 'png');
    await scanPaths(hub, [src], opts({ mode: 'copy' }));
    hub.close();
    rmSync(join(root, 'hub', 'modelhub.db'));
    const fresh = openHub(join(root, 'hub'));
    const kept = planGc(gatherGc(fresh));
    expect(kept.kept.map((k) => [k.reason, k.name])).toEqual([['orphan', 'g.safetensors']]);
    const rescan = await scanPaths(fresh, [join(fresh.layout.modelsDir, hash)], opts());
    expect(rescan.imported).toBe(1);
    expect(readStoredCompanions(fresh.db).get(hash)).toEqual([{ role: '.preview.png', name: 'g.preview.png' }]);
    expect((await verifyStore(fresh, { fast: false })).unexpected).toEqual([]);
    fresh.db.prepare('UPDATE models SET deleted = 1').run();
    const plan = planGc(gatherGc(fresh));
    expect(plan.remove.map((r) => r.files.map((f) => f.path).sort())).toEqual([[join(fresh.layout.modelsDir, hash, 'g.preview.png'), join(fresh.layout.modelsDir, hash, 'g.safetensors')]]);
    await executeGc(fresh, plan);
    expect(lstatSync(join(fresh.layout.modelsDir, hash), { throwIfNoEntry: false })).toBeUndefined();
    expect(readStoredCompanions(fresh.db).size).toBe(0);
    expect(readFileSync(join(src, 'g.preview.png'), 'utf8')).toBe('png');
    fresh.close();
  });
});
