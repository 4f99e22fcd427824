import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHashPool, prestartHashWorker } from '../../store/hash-pool.js';
import { hashStream } from '../../store/hash-stream.mjs';
import { tempDir } from '../helpers/tmp.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function file(dir: string, name: string, size: number): { path: string; data: Buffer } {
  const data = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data };
}

describe('hashing pool', () => {
  it('hashes files queued one after another on fewer threads than files, each answer its own', async () => {
    const dir = tempDir();
    const files = Array.from({ length: 5 }, (_, i) => file(dir, `${i}.bin`, 5 * 1024 * 1024 + i));
    const pool = createHashPool({ threads: 2 });
    try {
      const results = await Promise.all(files.map((f) => pool.hash({ path: f.path })));
      results.forEach((r, i) => expect(r).toMatchObject({ path: files[i]?.path, sha256: sha(files[i]?.data as Buffer), bytes: files[i]?.data.length }));
      expect(await pool.hash({ path: join(dir, 'missing.bin') })).toMatchObject({ error: { code: 'ERR_MODELHUB_NOT_FOUND' } });
    } finally {
      await pool.close();
    }
  });

  it('adopts a prestarted thread, and a warm pool hashes as a cold one does', async () => {
    const dir = tempDir();
    const f = file(dir, 'a.bin', 1000);
    prestartHashWorker();
    const pool = createHashPool({ threads: 1 });
    pool.warm();
    try {
      expect(await pool.hash({ path: f.path, autov3Offset: 10 })).toMatchObject({ sha256: sha(f.data), autov3: sha(f.data.subarray(10)) });
    } finally {
      await pool.close();
    }
  });

  it('rejects the files still being hashed or queued when closed', async () => {
    const dir = tempDir();
    const f = file(dir, 'a.bin', 9 * 1024 * 1024);
    const pool = createHashPool({ threads: 1 });
    const first = expect(pool.hash({ path: f.path })).rejects.toThrow(/closed/);
    const second = expect(pool.hash({ path: f.path })).rejects.toThrow(/closed/);
    await pool.close();
    await first;
    await second;
  });
});

describe('hashStream read modes', () => {
  const offsets = (n: number): number[] => [0, 1, 256 * 1024 - 1, 256 * 1024, 4 * 1024 * 1024 + 3, n];

  it('reads for itself when other threads hash too, with the same SHA-256 and AutoV3', async () => {
    const dir = tempDir();
    const f = file(dir, 'a.safetensors', 9 * 1024 * 1024 + 123);
    const busy = new Int32Array(new SharedArrayBuffer(4));
    busy[0] = 2;
    for (const autov3Offset of offsets(f.data.length)) {
      const r = await hashStream(f.path, { busy, autov3Offset });
      expect(r).toEqual({ sha256: sha(f.data), autov3: sha(f.data.subarray(autov3Offset)), bytes: f.data.length });
    }
  });

  it('switches between overlapped and own reads in the middle of a file', async () => {
    const dir = tempDir();
    const f = file(dir, 'a.bin', 13 * 1024 * 1024 + 5);
    const busy = new Int32Array(new SharedArrayBuffer(4));
    busy[0] = 1;
    // After the first overlapped read completes, another thread "starts": the rest is read by this one.
    setImmediate(() => (busy[0] = 2));
    expect((await hashStream(f.path, { busy, autov3Offset: 7 })).sha256).toBe(sha(f.data));
    busy[0] = 2;
    const started = hashStream(f.path, { busy });
    busy[0] = 1;
    expect((await started).sha256).toBe(sha(f.data));
  });
});
