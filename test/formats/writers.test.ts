import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelHeader } from '../../formats/read.js';
import { crc32, crc32Zeros } from '../fixtures/crc32.js';
import { randomBytes, tensor, writeGguf, writeSafetensors, writeTorchLegacy, writeTorchZip } from '../fixtures/writers.js';
import { tempDir } from '../helpers/tmp.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('fixture writers', () => {
  it('write 20 GB sparse files without using the disk', async () => {
    const dir = tempDir();
    const st = join(dir, 'big.safetensors');
    await writeSafetensors(st, [{ name: 'w', dtype: 'F32', shape: [5, 1000, 1000, 1000] }]);
    const gguf = join(dir, 'big.gguf');
    await writeGguf(gguf, { kv: {}, tensors: [{ name: 'w', shape: [1, 1] }], size: 20e9 });
    const pt = join(dir, 'big.pt');
    await writeTorchZip(pt, { w: tensor([1]) }, { size: 20e9 });
    for (const path of [st, gguf, pt]) {
      const s = statSync(path);
      expect(s.size).toBeGreaterThanOrEqual(20e9);
      expect(s.blocks * 512).toBeLessThan(1 << 20);
    }
    expect((await readModelHeader(st)).size).toBe(20e9 + (await readModelHeader(st)).dataOffset);
  });

  it('fill random bytes deterministically from the seed', async () => {
    const dir = tempDir();
    const write = async (name: string, seed: number) => {
      const path = join(dir, `${name}-${seed}`);
      if (name === 'st') await writeSafetensors(path, [{ name: 'w', shape: [300, 300] }], { fill: 'random', seed });
      if (name === 'gguf') await writeGguf(path, { kv: {}, tensors: [{ name: 'w', shape: [256, 256], dtype: 'Q4_K' }], fill: 'random', seed });
      if (name === 'zip') await writeTorchZip(path, { w: tensor([300, 300]) }, { fill: 'random', seed });
      if (name === 'legacy') await writeTorchLegacy(path, { w: tensor([300, 300]) }, { fill: 'random', seed });
      return sha(path);
    };
    for (const name of ['st', 'gguf', 'zip', 'legacy']) {
      const [a, b, c] = [await write(name, 1), await write(name, 1), await write(name, 2)];
      expect(a).toBe(b);
      expect(a).not.toBe(c);
    }
    expect(randomBytes(10, 5)).toEqual(randomBytes(10, 5));
    expect(randomBytes(64, 5).every((x) => x === 0)).toBe(false);
  });

  it('compute CRC-32 of real and of implicit zero bytes identically', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    for (const n of [0, 1, 3, 64, 1000, 65_537]) expect(crc32Zeros(n)).toBe(crc32(Buffer.alloc(n)));
    const prefix = Buffer.from('torch');
    expect(crc32Zeros(4096, crc32(prefix))).toBe(crc32(Buffer.concat([prefix, Buffer.alloc(4096)])));
  });

  it('refuses a torch zip size smaller than its content', async () => {
    await expect(writeTorchZip(join(tempDir(), 'x.pt'), { w: tensor([10]) }, { size: 100 })).rejects.toThrow(/smaller/);
  });
});
