import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelHubError } from '../../core/errors.js';
import { readModelHeader } from '../../formats/read.js';
import type { ModelHeader } from '../../formats/types.js';
import { encodePickle, tensorBytes } from '../fixtures/pickle-writer.js';
import { Prng } from '../fixtures/prng.js';
import { pickleGlobal, tensor, writeTorchLegacy, writeTorchZip, type PickleValue } from '../fixtures/writers.js';
import { tempDir } from '../helpers/tmp.js';

const DTYPES = ['F16', 'BF16', 'F32', 'F64', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL'];

async function read(path: string): Promise<ModelHeader | ModelHubError> {
  return readModelHeader(path).catch((e: unknown) => {
    if (e instanceof ModelHubError) return e;
    throw e;
  });
}

/** A state dict of 1–12 small tensors of random dtypes and shapes; `bytes` is what their storages hold. */
function randomStateDict(prng: Prng): { obj: Record<string, PickleValue>; bytes: number[] } {
  const obj: Record<string, PickleValue> = {};
  const bytes: number[] = [];
  for (let i = 0, n = 1 + prng.int(12); i < n; i++) {
    const t = tensor(Array.from({ length: 1 + prng.int(3) }, () => 1 + prng.int(20)), prng.pick(DTYPES));
    obj[`layer.${i}.weight`] = t;
    bytes.push(tensorBytes(t));
  }
  return { obj, bytes };
}

/** Renames zip entries in place (local and central headers); `to` must be as long as `from`. */
function renameEntry(bytes: Buffer, from: string, to: string): Buffer {
  const out = Buffer.from(bytes);
  for (let at = out.indexOf(from); at >= 0; at = out.indexOf(from, at + 1)) out.write(to, at, 'latin1');
  return out;
}

describe('torch checkpoints that break the format', () => {
  it('refuses a legacy .pth cut anywhere in its storages as CORRUPT, from the header and the file size alone', async () => {
    const dir = tempDir();
    const prng = new Prng(21);
    let cuts = 0;
    for (let f = 0; f < 8; f++) {
      const { obj, bytes } = randomStateDict(prng);
      const path = join(dir, `model-${f}.pth`);
      await writeTorchLegacy(path, obj, { fill: 'random', seed: f });
      const full = readFileSync(path);
      const storagesStart = full.length - bytes.reduce((n, b) => n + 8 + b, 0);
      const whole = await read(path);
      expect(whole, String(whole)).not.toBeInstanceOf(ModelHubError);
      // Headers only: the storages are not read (beyond the cursor's one read-ahead chunk).
      expect((whole as ModelHeader).bytesRead).toBeLessThanOrEqual(storagesStart + 64 * 1024);
      for (const cut of [storagesStart, storagesStart + 4, storagesStart + 8, full.length - 1, storagesStart + prng.int(full.length - storagesStart)]) {
        if (cut >= full.length) continue;
        const cutPath = join(dir, `cut-${f}-${cut}.pth`);
        writeFileSync(cutPath, full.subarray(0, cut));
        const e = await read(cutPath);
        expect(e, `cut at ${cut} of ${full.length} read as a model`).toBeInstanceOf(ModelHubError);
        expect(e).toMatchObject({ code: 'ERR_MODELHUB_CORRUPT', path: cutPath, hint: expect.stringMatching(/^re-download it/) });
        expect((e as ModelHubError).message).toMatch(/corrupt PyTorch checkpoint: .*storage.*the file is cut off/);
        cuts++;
      }
    }
    expect(cuts).toBeGreaterThanOrEqual(32);
  });

  it('scans the storage-key pickle too, which torch.load unpickles: a payload there is flagged unsafe', async () => {
    const dir = tempDir();
    const marker = join(dir, 'pwned');
    const path = join(dir, 'evil.pth');
    await writeTorchLegacy(path, { w: tensor([4]) }, { storageKeys: (keys) => [...keys, pickleGlobal('posix', 'system', [`touch ${marker}`])] });
    const h = await read(path);
    expect(h).toMatchObject({ container: 'torch-legacy', unsafeGlobals: ['posix.system'], tensors: [{ name: 'w' }] });
    expect(existsSync(marker)).toBe(false);

    const whole = join(dir, 'whole.pth');
    await writeTorchLegacy(whole, { w: tensor([4]) }, { storageKeys: () => pickleGlobal('builtins', 'exec', ['import os']) });
    expect(await read(whole)).toMatchObject({ unsafeGlobals: ['builtins.exec'] });
  });

  it('refuses a legacy key list that names a storage the checkpoint never declares, or leaves one out', async () => {
    const dir = tempDir();
    const extra = join(dir, 'extra.pth');
    await writeTorchLegacy(extra, { a: tensor([4]), b: tensor([2]) }, { storageKeys: (keys) => [...keys, '7'] });
    expect(await read(extra)).toMatchObject({ code: 'ERR_MODELHUB_CORRUPT', message: expect.stringMatching(/storage "7"/) });
    const missing = join(dir, 'missing.pth');
    await writeTorchLegacy(missing, { a: tensor([4]), b: tensor([2]) }, { storageKeys: (keys) => keys.slice(1) });
    expect(await read(missing)).toMatchObject({ code: 'ERR_MODELHUB_CORRUPT', message: expect.stringMatching(/storage "0"/) });
    const notList = join(dir, 'notlist.pth');
    await writeTorchLegacy(notList, { a: tensor([4]) }, { storageKeys: () => 42 });
    expect(await read(notList)).toMatchObject({ code: 'ERR_MODELHUB_CORRUPT', message: expect.stringMatching(/storage-key list is 42/) });
  });

  it('flags a zip holding two entries of one name as unsafe: readers disagree on which one is loaded', async () => {
    const dir = tempDir();
    const evil = encodePickle({ w: tensor([4]), payload: pickleGlobal('posix', 'system', ['id']) });
    for (const [name, data] of [['archive/data.pkl', evil], ['archive/data/0', Buffer.alloc(8)]] as const) {
      const path = join(dir, `${name.replace(/\W/g, '_')}.pt`);
      await writeTorchZip(path, { w: tensor([4]) }, { extraEntries: { [name]: data } });
      const h = await read(path);
      expect(h, String(h)).not.toBeInstanceOf(ModelHubError);
      expect((h as ModelHeader).unsafeGlobals).toContain(`zip entry "${name}" appears twice`);
    }
  });

  it('refuses a zip whose data.pkl names a storage the archive lacks, or one shorter than declared', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.pt');
    await writeTorchZip(good, { a: tensor([16, 16], 'F32'), b: tensor([3]) });
    const bytes = readFileSync(good);
    const missing = join(dir, 'missing.pt');
    writeFileSync(missing, renameEntry(bytes, 'archive/data/1', 'archive/data/9'));
    expect(await read(missing)).toMatchObject({ code: 'ERR_MODELHUB_CORRUPT', message: expect.stringMatching(/storage "1" .*no entry archive\/data\/1/) });

    const short = join(dir, 'short.pt');
    const patched = Buffer.from(bytes);
    const central = patched.indexOf(Buffer.from('archive/data/0'), patched.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    patched.writeUInt32LE(100, central - 46 + 20);
    patched.writeUInt32LE(100, central - 46 + 24);
    writeFileSync(short, patched);
    expect(statSync(short).size).toBe(bytes.length);
    expect(await read(short)).toMatchObject({ code: 'ERR_MODELHUB_CORRUPT', message: expect.stringMatching(/storage "0" .*1024 bytes.*holds 100/) });
  });
});
