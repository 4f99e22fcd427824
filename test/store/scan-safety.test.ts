/**
 * Scan never loses a model byte: a store file is never moved, linked or removed whatever
 * spelling reaches it, an original is replaced only by a link to proven bytes, and a file still
 * being written is left where it is. Real temp folders, real symlinks, a real SQLite file.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHub, storePath, type Hub } from '../../store/hub.js';
import { assertStillWhole } from '../../store/import.js';
import { cleanLeftovers, hostTag, ownerOf, stagingName, tempLinkName } from '../../store/leftovers.js';
import { stampOf } from '../../store/scan-cache.js';
import type { ClassificationRecord } from '../../store/inventory.js';
import { scanPaths, type ScanOptions } from '../../store/scan.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { cli } from '../helpers/cli.js';
import { expectError } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

const classify = (): ClassificationRecord => ({ type: 'lora', base: 'sdxl', variant: 'lora', confidence: 0.9, evidence: [] });
const opts = (extra: Partial<ScanOptions> = {}): ScanOptions => ({ mode: 'link', classify, ...extra });
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

async function modelFile(path: string, seed: number): Promise<string> {
  await writeSafetensors(path, [{ name: 'lora_unet_a.lora_down.weight', shape: [64, 64] }], { fill: 'random', seed });
  return sha(path);
}

/** A hub whose real folder is `data/hub`, opened through the alias `alias -> data/hub`. */
function aliasedHub(): { root: string; real: string; alias: string; hub: Hub; src: string } {
  const root = realpathSync(tempDir());
  const real = join(root, 'data', 'hub');
  mkdirSync(real, { recursive: true });
  const alias = join(root, 'alias');
  symlinkSync(real, alias);
  const src = join(root, 'downloads');
  mkdirSync(src);
  return { root, real, alias, hub: openHub(alias), src };
}

/** Everything about a file that must not change: kind, inode and content hash. */
function fingerprint(path: string): string {
  const st = lstatSync(path);
  return st.isSymbolicLink() ? `link ${readlinkSync(path)}` : `file ${st.ino} ${sha(path)}`;
}

describe('a store file is never moved, linked or removed, whatever spelling reaches it', () => {
  for (const mode of ['link', 'move', 'copy'] as const) {
    it(`scanning the store by its real path through an aliased hub changes nothing (${mode})`, async () => {
      const { real, hub, src } = aliasedHub();
      const digest = await modelFile(join(src, 'a.safetensors'), 1);
      await scanPaths(hub, [src], opts());
      const stored = join(real, 'models', digest, 'a.safetensors');
      const before = fingerprint(stored);
      const again = await scanPaths(hub, [join(real, 'models', digest)], opts({ mode }));
      expect(again.failed, JSON.stringify(again.failures)).toBe(0);
      expect(fingerprint(stored)).toBe(before);
      expect(sha(stored)).toBe(digest);
      hub.close();
    });

    it(`scanning a folder that physically holds the hub leaves the store alone (${mode})`, async () => {
      const { root, real, hub, src } = aliasedHub();
      const digest = await modelFile(join(src, 'a.safetensors'), 2);
      await scanPaths(hub, [src], opts());
      const stored = join(real, 'models', digest, 'a.safetensors');
      const before = fingerprint(stored);
      const report = await scanPaths(hub, [join(root, 'data')], opts({ mode }));
      expect(report.files.map((f) => f.path)).toEqual([]);
      expect(fingerprint(stored)).toBe(before);
      hub.close();
    });
  }

  it('re-registers the store by its real path after the inventory was lost, and the link-backs still resolve', async () => {
    const { real, alias, src } = aliasedHub();
    let hub = openHub(alias);
    const digest = await modelFile(join(src, 'a.safetensors'), 3);
    await scanPaths(hub, [src], opts());
    hub.close();
    for (const f of ['modelhub.db', 'modelhub.db-wal', 'modelhub.db-shm']) rmSync(join(real, f), { force: true });
    hub = openHub(alias);
    const report = await scanPaths(hub, [join(real, 'models')], opts({ mode: 'move' }));
    expect(report).toMatchObject({ imported: 1, failed: 0 });
    expect(sha(join(real, 'models', digest, 'a.safetensors'))).toBe(digest);
    expect(sha(join(src, 'a.safetensors'))).toBe(digest);
    hub.close();
  });

  it('a hard link of a store file elsewhere is the store file: left as it is', async () => {
    const root = tempDir();
    const hub = openHub(join(root, 'hub'));
    const src = join(root, 'downloads');
    mkdirSync(src);
    const digest = await modelFile(join(src, 'a.safetensors'), 4);
    await scanPaths(hub, [src], opts());
    const stored = storePath(hub.layout, digest, 'a.safetensors');
    const other = join(root, 'elsewhere');
    mkdirSync(other);
    linkSync(stored, join(other, 'same.safetensors'));
    for (const mode of ['link', 'move'] as const) {
      const report = await scanPaths(hub, [other], opts({ mode }));
      expect(report.files[0]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('is the store file') });
      expect(lstatSync(join(other, 'same.safetensors')).ino).toBe(lstatSync(stored).ino);
      expect(sha(stored)).toBe(digest);
    }
    hub.close();
  });
});

describe('an original is replaced only by a link to proven bytes', () => {
  /** Rot the store file: other bytes, same size, same mtime (what `verify --fast` cannot see). */
  function rot(file: string): void {
    const st = lstatSync(file);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    chmodSync(file, 0o644);
    writeFileSync(file, bytes);
    chmodSync(file, 0o444);
    utimesSync(file, st.atime, st.mtime);
  }

  for (const mode of ['link', 'move', 'copy'] as const) {
    it(`a good copy repairs a damaged store file instead of being linked to it (${mode})`, async () => {
      const root = tempDir();
      const hub = openHub(join(root, 'hub'));
      const src = join(root, 'downloads');
      mkdirSync(src);
      const digest = await modelFile(join(src, 'a.safetensors'), 5);
      await scanPaths(hub, [src], opts({ mode: 'copy' }));
      const stored = storePath(hub.layout, digest, 'a.safetensors');
      rot(stored);
      expect(sha(stored)).not.toBe(digest);
      const good = join(src, 'good.safetensors');
      copyFileSync(join(src, 'a.safetensors'), good);
      const report = await scanPaths(hub, [good], opts({ mode }));
      expect(report.files[0], JSON.stringify(report.files)).toMatchObject({ outcome: 'repaired', reason: expect.stringContaining('was damaged') });
      expect(report.repaired).toBe(1);
      expect(sha(stored), 'the store holds the good bytes again').toBe(digest);
      expect(lstatSync(stored).mode & 0o777).toBe(0o444);
      if (mode === 'link') expect(readlinkSync(good)).toBe(stored);
      if (mode === 'move') expect(existsSync(good)).toBe(false);
      if (mode === 'copy') expect(sha(good)).toBe(digest);
      hub.close();
    });
  }

  it('a duplicate of a sound store file is linked after the store file was hashed', async () => {
    const root = tempDir();
    const hub = openHub(join(root, 'hub'));
    const src = join(root, 'downloads');
    mkdirSync(src);
    const digest = await modelFile(join(src, 'a.safetensors'), 6);
    await scanPaths(hub, [src], opts());
    await modelFile(join(src, 'copy.safetensors'), 6);
    const report = await scanPaths(hub, [src], opts());
    expect(report).toMatchObject({ duplicates: 1, repaired: 0, failed: 0 });
    expect(readlinkSync(join(src, 'copy.safetensors'))).toBe(storePath(hub.layout, digest, 'a.safetensors'));
    hub.close();
  });
});

describe('a file still being written is left where it is', () => {
  it('skips files modified within the settle window, and imports them once they settled', async () => {
    const root = tempDir();
    const hub = openHub(join(root, 'hub'));
    const src = join(root, 'downloads');
    mkdirSync(src);
    const file = join(src, 'a.safetensors');
    await modelFile(file, 7);
    const mtime = lstatSync(file).mtimeMs;
    const fresh = await scanPaths(hub, [src], opts({ settleMs: 120_000, now: () => mtime + 30_000 }));
    expect(fresh.files[0]).toMatchObject({ outcome: 'skipped', code: 'ERR_MODELHUB_NOT_SETTLED', reason: expect.stringMatching(/^modified 30 s ago — still being written\? scan again later/) });
    expect(lstatSync(file).isFile()).toBe(true);
    expect(hub.db.prepare('SELECT COUNT(*) AS n FROM models').get()).toEqual({ n: 0 });
    const future = await scanPaths(hub, [src], opts({ settleMs: 120_000, now: () => mtime - 3_600_000 }));
    expect(future.files[0]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('in the future') });
    const settled = await scanPaths(hub, [src], opts({ settleMs: 120_000, now: () => mtime + 121_000 }));
    expect(settled).toMatchObject({ imported: 1, skipped: 0 });
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    hub.close();
  });
});

describe('a file that grows after its move into the store goes back', () => {
  it('moves the file back to where it was and refuses the import', async () => {
    const root = tempDir();
    const src = join(root, 'a.safetensors');
    await modelFile(src, 8);
    const stamp = stampOf(lstatSync(src, { bigint: true }));
    const writer = openSync(src, 'a');
    const moved = join(root, 'store-file');
    renameSync(src, moved);
    writeSync(writer, 'more bytes from the download that was still running');
    closeSync(writer);
    await expectError(() => assertStillWhole(src, moved, stamp), { code: 'ERR_MODELHUB_CHANGED_DURING_SCAN' });
    expect(existsSync(moved)).toBe(false);
    expect(readFileSync(src, 'utf8')).toContain('more bytes from the download');
  });
});

describe('leftovers of interrupted scans', () => {
  /** A pid that existed and is gone now. */
  const deadPid = (): number => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    return Number(child.stdout);
  };

  it('removes staging files and temporary links of dead owners on this host, and nothing else', async () => {
    const root = tempDir();
    const hub = openHub(join(root, 'hub'));
    const src = join(root, 'downloads');
    mkdirSync(src);
    const digest = await modelFile(join(src, 'a.safetensors'), 9);
    await scanPaths(hub, [src], opts({ mode: 'copy' }));
    const dead = deadPid();
    const tag = hostTag();
    const staging = (owner: string): string => join(hub.layout.tmpDir, `${digest}.${owner}.0badcafe.partial`);
    for (const owner of [`${tag}-${dead}`, `${tag}-${process.ppid}`, `${hostTag('another-host')}-${dead}`]) writeFileSync(staging(owner), 'a full-size copy');
    writeFileSync(join(hub.layout.tmpDir, `${digest}.${dead}.0badcafe.partial`), 'an older name without an owner');
    // A journalled import with temporary links beside it.
    hub.db.prepare("UPDATE model_sources SET state = 'importing'").run();
    const stored = storePath(hub.layout, digest, 'a.safetensors');
    const deadLink = join(src, `.a.safetensors.modelhub-${tag}-${dead}-0badcafe`);
    const liveLink = join(src, `.a.safetensors.modelhub-${tag}-${process.ppid}-0badcafe`);
    const notOurs = join(src, `.a.safetensors.modelhub-${tag}-${dead}-deadbeef`);
    symlinkSync(stored, deadLink);
    symlinkSync(stored, liveLink);
    writeFileSync(notOurs, 'a file of the user that happens to look like a temporary link');
    const cleaned = cleanLeftovers(hub);
    expect(cleaned.staging.map((s) => s.path)).toEqual([staging(`${tag}-${dead}`)]);
    expect(cleaned.links).toEqual([deadLink]);
    expect(existsSync(staging(`${tag}-${process.ppid}`))).toBe(true);
    expect(existsSync(staging(`${hostTag('another-host')}-${dead}`))).toBe(true);
    expect(existsSync(liveLink)).toBe(true);
    expect(readFileSync(notOurs, 'utf8')).toContain('a file of the user');
    hub.close();
  });

  it('names its own temporary files after their owner', () => {
    expect(ownerOf(stagingName('a'.repeat(64)))).toEqual({ host: hostTag(), pid: process.pid });
    expect(ownerOf(tempLinkName('model.safetensors'))).toEqual({ host: hostTag(), pid: process.pid });
    expect(ownerOf('model.safetensors')).toBeUndefined();
  });
});

describe('modelhub scan and the settle window', () => {
  it('skips a fresh download with the reason (exit 0), and --no-settle imports it', async () => {
    const root = tempDir();
    const src = join(root, 'downloads');
    mkdirSync(src);
    await modelFile(join(src, 'fresh.safetensors'), 10);
    const args = ['--hub', join(root, 'hub'), 'scan', src];
    const fresh = await cli(args, { cwd: root, now: Date.now });
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/~ .*fresh\.safetensors {2}skipped: modified \d+ s ago — still being written\? scan again later/);
    expect(lstatSync(join(src, 'fresh.safetensors')).isFile()).toBe(true);
    const forced = await cli([...args, '--no-settle'], { cwd: root, now: Date.now });
    expect(forced.stdout).toContain('1 imported');
    expect(lstatSync(join(src, 'fresh.safetensors')).isSymbolicLink()).toBe(true);
  });
});

describe('the next command that takes the hub lock', () => {
  it('removes the staging copies and temporary links of dead processes and finishes their imports', async () => {
    const root = tempDir();
    const hubDir = join(root, 'hub');
    const src = join(root, 'downloads');
    mkdirSync(src);
    const digest = await modelFile(join(src, 'a.safetensors'), 11);
    expect((await cli(['--hub', hubDir, 'scan', '--no-link', src], { cwd: root })).code).toBe(0);
    const hub = openHub(hubDir);
    // A process died after moving a.safetensors into the store, before linking it back.
    hub.db.prepare("UPDATE model_sources SET state = 'importing'").run();
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const dead = Number(child.stdout);
    const staging = join(hub.layout.tmpDir, `${digest}.${hostTag()}-${dead}.0badcafe.partial`);
    writeFileSync(staging, 'a full-size copy nobody will finish');
    const tempLink = join(src, `.a.safetensors.modelhub-${hostTag()}-${dead}-0badcafe`);
    symlinkSync(storePath(hub.layout, digest, 'a.safetensors'), tempLink);
    hub.close();
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const next = await cli(['--hub', hubDir, 'scan', empty], { cwd: root });
    expect(next.code, next.stderr).toBe(0);
    expect(existsSync(staging)).toBe(false);
    expect(existsSync(tempLink)).toBe(false);
    expect(readlinkSync(join(src, 'a.safetensors'))).toBe(storePath(openHub(hubDir).layout, digest, 'a.safetensors'));
  });
});
