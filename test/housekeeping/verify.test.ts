import { chmodSync, closeSync, openSync, readSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../store/verify.js';
import { execSql, hashesByName, mhOk, reusableWorld, runChecked, storeDir, writeText, type World } from '../helpers/world.js';
import { writeLora } from './helpers.js';

/** Whole seconds: an mtime a test can put back exactly. */
const T = 1_700_000_000;

/** Two LoRAs scanned (built once, copied back for each test). */
const twoModels = reusableWorld(async (w: World): Promise<{ a: string; b: string; fileA: string; fileB: string }> => {
  for (const [rel, seed] of [['loras/a.safetensors', 1], ['loras/b.safetensors', 2]] as const) {
    const path = await writeLora(w, rel, { seed });
    utimesSync(path, T, T);
  }
  await mhOk(w, ['scan', '-q', w.dl]);
  const h = hashesByName(w);
  const a = h['a.safetensors'] as string;
  const b = h['b.safetensors'] as string;
  return { a, b, fileA: join(storeDir(w, a), 'a.safetensors'), fileB: join(storeDir(w, b), 'b.safetensors') };
});

/** Flip one byte in the tensor data of a read-only store file, keeping its size, mode and mtime. */
function corruptByte(path: string): void {
  chmodSync(path, 0o644);
  const fd = openSync(path, 'r+');
  const at = statSync(path).size - 7;
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, at);
  byte[0] = (byte[0] as number) ^ 0xff;
  writeSync(fd, byte, 0, 1, at);
  closeSync(fd);
  chmodSync(path, 0o444);
  utimesSync(path, T, T);
}

describe('modelhub verify', () => {
  it('finds a corrupted store byte by re-hashing; --fast does not when size and mtime are kept; nothing is modified', async () => {
    const { w, a, b, fileA } = await twoModels();
    const clean = await runChecked(w, ['verify']);
    expect(clean.stdout).toContain('Store intact: 0 corrupted, 0 missing, 0 unexpected; 2 ok.');
    await runChecked(w, ['verify', '--fast']);

    corruptByte(fileA);
    const fast = await runChecked(w, ['verify', '--fast', '--json']);
    expect(fast.json<VerifyReport>()).toMatchObject({ mode: 'fast', checked: 2, ok: 2, sizeOnly: 0, corrupted: [], missing: [], unexpected: [] });

    // The snapshot around the full verify covers the damaged file's bytes, mode and mtime: never "fixed".
    const full = await runChecked(w, ['verify', '--json'], { exit: 1 });
    const report = full.json<VerifyReport>();
    expect(report).toMatchObject({ mode: 'full', checked: 2, ok: 1, missing: [], unexpected: [] });
    expect(report.corrupted).toHaveLength(1);
    expect(report.corrupted[0]).toMatchObject({ hash: a, path: fileA, reason: 'hash-mismatch', expected: a });
    expect(report.corrupted[0]?.found).toMatch(/^[0-9a-f]{64}$/);
    expect(report.corrupted[0]?.found).not.toBe(a);

    const human = await runChecked(w, ['verify'], { exit: 1 });
    expect(human.stdout).toContain(`corrupted   ${fileA}`);
    expect(human.stdout).toContain('ModelHub never repairs or removes a damaged store file.');
    expect(human.stdout).toContain('Problems found: 1 corrupted, 0 missing, 0 unexpected; 1 ok.');

    // Naming a model checks only that one.
    const onlyB = await runChecked(w, ['verify', '--json', b.slice(0, 10)]);
    expect(onlyB.json<VerifyReport>()).toMatchObject({ scope: 'models', checked: 1, ok: 1, corrupted: [] });
  });

  it('--fast sees a changed size or mtime, and falls back to size only where no mtime was recorded', async () => {
    const { w, a, b, fileA, fileB } = await twoModels();
    utimesSync(fileB, T + 60, T + 60);
    const r = await runChecked(w, ['verify', '--fast', '--json'], { exit: 1 });
    expect(r.json<VerifyReport>().corrupted).toEqual([expect.objectContaining({ hash: b, reason: 'mtime-changed' })]);

    execSql(w, 'UPDATE models SET store_mtime_ns = NULL');
    const sizeOnly = await runChecked(w, ['verify', '--fast']);
    expect(sizeOnly.stdout).toContain('2 of them by size only');

    chmodSync(fileA, 0o644);
    writeText(fileA, 'short');
    chmodSync(fileA, 0o444);
    const truncated = await runChecked(w, ['verify', '--fast', '--json'], { exit: 1 });
    expect(truncated.json<VerifyReport>().corrupted).toEqual([expect.objectContaining({ hash: a, reason: 'size-mismatch', found: '5 bytes' })]);
  });

  it('reports missing store files, unexpected entries and writable store files, and changes none of them', async () => {
    const { w, a, b, fileA, fileB } = await twoModels();
    unlinkSync(fileB);
    writeText(join(w.hub, 'models', 'notes.txt'), 'mine\n');
    writeText(join(storeDir(w, a), 'extra.bin'), 'x');
    writeText(join(w.hub, 'models', 'f'.repeat(64), 'lost.safetensors'), 'orphaned bytes');
    chmodSync(fileA, 0o644);
    const r = await runChecked(w, ['verify', '--json'], { exit: 1 });
    const report = r.json<VerifyReport>();
    expect(report.missing).toEqual([expect.objectContaining({ hash: b, path: fileB })]);
    expect(report.unexpected.map((u) => u.path).sort()).toEqual([join(w.hub, 'models', 'f'.repeat(64)), join(w.hub, 'models', 'notes.txt'), join(storeDir(w, a), 'extra.bin')].sort());
    expect(report.permissions).toEqual([{ path: fileA, mode: '0644' }]);
    expect(report.corrupted).toEqual([]);
    const human = await runChecked(w, ['verify'], { exit: 1 });
    expect(human.stdout).toContain(`missing     ${fileB}`);
    expect(human.stdout).toContain(`is writable (mode 0644)`);
  });
});
