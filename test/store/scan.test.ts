import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHub, storePath, type Hub } from '../../store/hub.js';
import { getSources, type ClassificationRecord } from '../../store/inventory.js';
import { recoverPendingImports } from '../../store/recover.js';
import { scanPaths, type ScanOptions } from '../../store/scan.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { tempDir } from '../helpers/tmp.js';

const classify = (): ClassificationRecord => ({ type: 'lora', base: 'sdxl', variant: 'lora', confidence: 0.9, evidence: [] });
const opts = (extra: Partial<ScanOptions> = {}): ScanOptions => ({ mode: 'link', classify, ...extra });
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

async function modelFile(path: string, seed: number, rows = 64): Promise<string> {
  await writeSafetensors(path, [{ name: 'lora_unet_a.lora_down.weight', shape: [rows, 64] }], { fill: 'random', seed });
  return sha(path);
}

function setup(base?: string): { hub: Hub; src: string } {
  const root = tempDir();
  const src = base === undefined ? join(root, 'downloads') : tempDir('modelhub-src-', base);
  mkdirSync(src, { recursive: true });
  return { hub: openHub(join(root, 'hub')), src };
}

function expectLinkTo(path: string, target: string): void {
  expect(lstatSync(path).isSymbolicLink()).toBe(true);
  expect(readlinkSync(path)).toBe(target);
}

describe('scan into the store', () => {
  it('moves each file into models/<sha256>/<name>, read-only, and leaves a symlink where it was', async () => {
    const { hub, src } = setup();
    const a = await modelFile(join(src, 'a.safetensors'), 1);
    mkdirSync(join(src, 'sub'));
    const b = await modelFile(join(src, 'sub', 'b.safetensors'), 2);
    const report = await scanPaths(hub, [src], opts());
    expect(report).toMatchObject({ imported: 2, duplicates: 0, unchanged: 0, failed: 0 });
    const storeA = storePath(hub.layout, a, 'a.safetensors');
    expectLinkTo(join(src, 'a.safetensors'), storeA);
    expectLinkTo(join(src, 'sub', 'b.safetensors'), storePath(hub.layout, b, 'b.safetensors'));
    expect(sha(storeA)).toBe(a);
    expect(statSync(storeA).mode & 0o777).toBe(0o444);
    hub.close();
  });

  it('stores identical content once and records every source path', async () => {
    const { hub, src } = setup();
    const digest = await modelFile(join(src, 'one.safetensors'), 7);
    await modelFile(join(src, 'copy-of-one.safetensors'), 7);
    const report = await scanPaths(hub, [src], opts());
    expect(report.imported + report.duplicates).toBe(2);
    expect(report.duplicates).toBe(1);
    const stored = realpathSync(join(src, 'one.safetensors'));
    expect(realpathSync(join(src, 'copy-of-one.safetensors'))).toBe(stored);
    const row = hub.db.prepare('SELECT id FROM models WHERE sha256 = ?').get(digest) as { id: number };
    expect(getSources(hub.db, row.id).map((s) => [s.path, s.state])).toEqual([
      [join(src, 'copy-of-one.safetensors'), 'linked'],
      [join(src, 'one.safetensors'), 'linked'],
    ]);
    expect(hub.db.prepare('SELECT COUNT(*) AS n FROM models').get()).toEqual({ n: 1 });
    hub.close();
  });

  it('recognises everything on a rescan: nothing hashed, nothing moved', async () => {
    const { hub, src } = setup();
    await modelFile(join(src, 'a.safetensors'), 1);
    await modelFile(join(src, 'b.safetensors'), 2);
    await scanPaths(hub, [src], opts());
    const before = lstatSync(join(src, 'a.safetensors'), { bigint: true });
    const again = await scanPaths(hub, [src], opts());
    expect(again).toMatchObject({ imported: 0, duplicates: 0, unchanged: 2, failed: 0, bytesHashed: 0 });
    expect(lstatSync(join(src, 'a.safetensors'), { bigint: true }).mtimeNs).toBe(before.mtimeNs);
    hub.close();
  });

  it('records a store link found at a new place as a source of its model, once, without hashing', async () => {
    const { hub, src } = setup();
    const digest = await modelFile(join(src, 'a.safetensors'), 1);
    await scanPaths(hub, [src], opts());
    const moved = join(src, 'sorted');
    mkdirSync(moved);
    symlinkSync(storePath(hub.layout, digest, 'a.safetensors'), join(moved, 'a-copy.safetensors'));
    const again = await scanPaths(hub, [src], opts());
    expect(again).toMatchObject({ unchanged: 2, bytesHashed: 0 });
    const id = (hub.db.prepare('SELECT id FROM models WHERE sha256 = ?').get(digest) as { id: number }).id;
    expect(getSources(hub.db, id).map((s) => [s.path, s.state])).toEqual([
      [join(src, 'a.safetensors'), 'linked'],
      [join(moved, 'a-copy.safetensors'), 'linked'],
    ]);
    hub.close();
  });

  it('--copy leaves the originals untouched; a rescan does not hash them again; a link scan then converts them', async () => {
    const { hub, src } = setup();
    const digest = await modelFile(join(src, 'a.safetensors'), 3);
    const before = statSync(join(src, 'a.safetensors'), { bigint: true });
    const first = await scanPaths(hub, [src], opts({ mode: 'copy' }));
    expect(first).toMatchObject({ imported: 1, failed: 0 });
    const after = lstatSync(join(src, 'a.safetensors'), { bigint: true });
    expect(after.isFile()).toBe(true);
    expect([after.ino, after.mtimeNs, after.mode]).toEqual([before.ino, before.mtimeNs, before.mode]);
    expect(sha(storePath(hub.layout, digest, 'a.safetensors'))).toBe(digest);
    const second = await scanPaths(hub, [src], opts({ mode: 'copy' }));
    expect(second).toMatchObject({ unchanged: 1, bytesHashed: 0 });
    const third = await scanPaths(hub, [src], opts({ mode: 'link' }));
    expect(third).toMatchObject({ duplicates: 1, bytesHashed: 0 });
    expectLinkTo(join(src, 'a.safetensors'), storePath(hub.layout, digest, 'a.safetensors'));
    hub.close();
  });

  it('--no-link moves the file without leaving anything behind', async () => {
    const { hub, src } = setup();
    const digest = await modelFile(join(src, 'a.safetensors'), 4);
    const report = await scanPaths(hub, [src], opts({ mode: 'move' }));
    expect(report.imported).toBe(1);
    expect(existsSync(join(src, 'a.safetensors'))).toBe(false);
    expect(sha(storePath(hub.layout, digest, 'a.safetensors'))).toBe(digest);
    hub.close();
  });

  it('copies, verifies and links across filesystems (/dev/shm to the hub)', async () => {
    if (!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(tempDir()).dev) return; // needs a second filesystem
    const { hub, src } = setup('/dev/shm');
    expect(statSync(src).dev).not.toBe(statSync(hub.layout.root).dev);
    const digest = await modelFile(join(src, 'far.safetensors'), 5, 4096);
    const report = await scanPaths(hub, [src], opts());
    expect(report).toMatchObject({ imported: 1, failed: 0 });
    const stored = storePath(hub.layout, digest, 'far.safetensors');
    expectLinkTo(join(src, 'far.safetensors'), stored);
    expect(sha(stored)).toBe(digest);
    expect(statSync(stored).mode & 0o777).toBe(0o444);
    expect(existsSync(hub.layout.tmpDir) ? readdirSync(hub.layout.tmpDir) : []).toEqual([]);
    hub.close();
  });

  it('reports a bad file with its reason and imports the rest', async () => {
    const { hub, src } = setup();
    writeFileSync(join(src, 'page.safetensors'), '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>');
    writeFileSync(join(src, 'empty.ckpt'), '');
    mkdirSync(join(src, 'folder.safetensors'));
    await modelFile(join(src, 'good.safetensors'), 6);
    const report = await scanPaths(hub, [src], opts());
    expect(report.imported).toBe(1);
    expect(report.failed).toBe(3);
    const reasons = Object.fromEntries(report.failures.map((f) => [f.path.split('/').pop(), f.code]));
    expect(reasons).toEqual({
      'page.safetensors': 'ERR_MODELHUB_UNKNOWN_FORMAT',
      'empty.ckpt': 'ERR_MODELHUB_EMPTY_FILE',
      'folder.safetensors': 'ERR_MODELHUB_NOT_A_FILE',
    });
    expect(readFileSync(join(src, 'page.safetensors'), 'utf8')).toContain('502 Bad Gateway');
    hub.close();
  });

  it('skips symlinks that point outside the store and never touches them', async () => {
    const { hub, src } = setup();
    const elsewhere = tempDir();
    await modelFile(join(elsewhere, 'real.safetensors'), 8);
    symlinkSync(join(elsewhere, 'real.safetensors'), join(src, 'link.safetensors'));
    const report = await scanPaths(hub, [src], opts());
    expect(report).toMatchObject({ skipped: 1, imported: 0 });
    expectLinkTo(join(src, 'link.safetensors'), join(elsewhere, 'real.safetensors'));
    hub.close();
  });

  it('changes nothing with dryRun', async () => {
    const { hub, src } = setup();
    await modelFile(join(src, 'a.safetensors'), 9);
    const report = await scanPaths(hub, [src], opts({ dryRun: true }));
    expect(report.files.map((f) => f.outcome)).toEqual(['would-import']);
    expect(lstatSync(join(src, 'a.safetensors')).isFile()).toBe(true);
    expect(hub.db.prepare('SELECT COUNT(*) AS n FROM models').get()).toEqual({ n: 0 });
    hub.close();
  });

  it('finishes an import a crash interrupted between the move and the link back', async () => {
    const { hub, src } = setup();
    const digest = await modelFile(join(src, 'a.safetensors'), 10);
    await scanPaths(hub, [src], opts({ mode: 'move' }));
    // Simulate the crash window: the file is in the store, the journal says "importing", no link yet.
    hub.db.prepare("UPDATE model_sources SET state = 'importing'").run();
    expect(existsSync(join(src, 'a.safetensors'))).toBe(false);
    const recovered = await recoverPendingImports(hub);
    expect(recovered).toEqual([{ path: join(src, 'a.safetensors'), action: 'relinked' }]);
    expectLinkTo(join(src, 'a.safetensors'), storePath(hub.layout, digest, 'a.safetensors'));
    hub.close();
  });

  it('re-registers a stored file the inventory lost, checking its hash', async () => {
    const { hub, src } = setup();
    const digest = await modelFile(join(src, 'a.safetensors'), 11);
    await scanPaths(hub, [src], opts());
    hub.db.prepare('DELETE FROM models').run();
    const lost = await scanPaths(hub, [src], opts());
    expect(lost.failures[0]?.code).toBe('ERR_MODELHUB_UNKNOWN_STORE_LINK');
    const again = await scanPaths(hub, [join(hub.layout.modelsDir, digest)], opts());
    expect(again).toMatchObject({ imported: 1, failed: 0 });
    expect(existsSync(storePath(hub.layout, digest, 'a.safetensors'))).toBe(true);
    expect((await scanPaths(hub, [src], opts())).unchanged).toBe(1);
    hub.close();
  });
});
