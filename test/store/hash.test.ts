import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFile, hashMany } from '../../store/hash.js';
import { tempDir } from '../helpers/tmp.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('hashing', () => {
  it('streams a file larger than its buffers and matches node:crypto', async () => {
    const dir = tempDir();
    const data = randomBytes(9 * 1024 * 1024 + 123);
    writeFileSync(join(dir, 'a.bin'), data);
    const r = await hashFile(join(dir, 'a.bin'));
    expect(r.sha256).toBe(sha(data));
    expect(r.bytes).toBe(data.length);
  });

  it('computes AutoV3 (bytes after the offset) in the same pass', async () => {
    const dir = tempDir();
    const data = randomBytes(5 * 1024 * 1024 + 7);
    writeFileSync(join(dir, 'a.safetensors'), data);
    for (const offset of [0, 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 3, data.length]) {
      const r = await hashFile(join(dir, 'a.safetensors'), { autov3Offset: offset });
      expect(r.sha256).toBe(sha(data));
      expect(r.autov3).toBe(sha(data.subarray(offset)));
    }
  });

  it('hashes many files on several threads and reports a vanished file without stopping', async () => {
    const dir = tempDir();
    const files = Array.from({ length: 5 }, (_, i) => {
      const data = randomBytes(1000 + i);
      writeFileSync(join(dir, `${i}.bin`), data);
      return { path: join(dir, `${i}.bin`), digest: sha(data) };
    });
    let progressed = 0;
    const results = await hashMany([...files.map((f) => ({ path: f.path })), { path: join(dir, 'missing.bin') }], {
      threads: 2,
      onProgress: (b) => (progressed += b),
    });
    files.forEach((f, i) => expect(results[i]).toMatchObject({ path: f.path, sha256: f.digest }));
    expect(results[5]).toMatchObject({ path: join(dir, 'missing.bin') });
    expect((results[5] as { error: { code: string } }).error.code).toBe('ERR_MODELHUB_NOT_FOUND');
    expect(progressed).toBe(files.reduce((n, _f, i) => n + 1000 + i, 0));
  });

  it('hashes an empty file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'e.bin'), '');
    expect((await hashFile(join(dir, 'e.bin'))).sha256).toBe(sha(Buffer.alloc(0)));
  });
});
