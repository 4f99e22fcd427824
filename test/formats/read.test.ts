import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelHubError } from '../../core/errors.js';
import { readModelHeader } from '../../formats/read.js';
import { sniffContainer } from '../../formats/sniff.js';
import { describeHeader } from '../../formats/summary.js';
import { writeGguf, writeSafetensors, writeTorchLegacy, writeTorchZip, tensor, type FixtureTensor } from '../fixtures/writers.js';
import { expectReadError } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

function sha256Prefix(path: string, length: number): string {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(length);
    const n = readSync(fd, b, 0, length, 0);
    return createHash('sha256').update(b.subarray(0, n)).digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** ~2,400 UNet-sized tensors plus 15 one-GiB ones: a realistic header over a ~24 GB sparse file. */
function bigCheckpointTensors(): FixtureTensor[] {
  const tensors: FixtureTensor[] = [];
  for (let i = 0; i < 2400; i++) {
    tensors.push({ name: `model.diffusion_model.output_blocks.${i % 12}.${i}.transformer_blocks.0.attn1.to_q.weight`, shape: [1280, 1280] });
  }
  for (let i = 0; i < 15; i++) tensors.push({ name: `model.huge.${i}.weight`, dtype: 'F32', shape: [32768, 8192] });
  return tensors;
}

describe('sniffContainer', () => {
  it('recognises each container by its first bytes, not its name', () => {
    const st = Buffer.alloc(16);
    st.writeBigUInt64LE(100n);
    st[8] = 0x7b;
    expect(sniffContainer(st)).toBe('safetensors');
    expect(sniffContainer(Buffer.from('GGUF\x03\x00\x00\x00', 'latin1'))).toBe('gguf');
    expect(sniffContainer(Buffer.from('PK\x03\x04\x14\x00', 'latin1'))).toBe('torch-zip');
    expect(sniffContainer(Buffer.from('\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e', 'latin1'))).toBe('torch-legacy');
    expect(sniffContainer(Buffer.from('\x80\x02}q\x00.', 'latin1'))).toBe('pickle');
    expect(sniffContainer(Buffer.from('\x80\x04\x95', 'latin1'))).toBe('pickle');
    expect(sniffContainer(Buffer.from('<html><body>', 'latin1'))).toBeUndefined();
    expect(sniffContainer(Buffer.from('<html>  {"a":1}', 'latin1'))).toBeUndefined();
    expect(sniffContainer(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('readModelHeader: files that are not models', () => {
  it('explains an HTML page, a Git LFS pointer, JSON and unknown binary saved under model names', async () => {
    const dir = tempDir();
    const html = join(dir, 'model.safetensors');
    writeFileSync(html, '\uFEFF  <!DOCTYPE html>\n<html><head><title>401 Unauthorized</title></head><body>Please log in</body></html>');
    const e = await expectReadError(html, 'ERR_MODELHUB_UNKNOWN_FORMAT', /HTML.*failed download/);
    expect(e.hint).toMatch(/re-download/);

    const lfs = join(dir, 'lfs.safetensors');
    writeFileSync(lfs, 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 6938040682\n');
    expect((await expectReadError(lfs, 'ERR_MODELHUB_UNKNOWN_FORMAT', /Git LFS pointer/)).hint).toMatch(/git lfs pull/);

    const json = join(dir, 'config.ckpt');
    writeFileSync(json, '{"_class_name": "UNet2DConditionModel", "sample_size": 64}');
    await expectReadError(json, 'ERR_MODELHUB_UNKNOWN_FORMAT', /JSON/);

    const htmlBrace = join(dir, 'brace.safetensors');
    writeFileSync(htmlBrace, '<html>  {"error": "not found"}</html>');
    await expectReadError(htmlBrace, 'ERR_MODELHUB_UNKNOWN_FORMAT', /HTML/);

    const zeros = join(dir, 'preallocated.gguf');
    writeFileSync(zeros, Buffer.alloc(4096));
    await expectReadError(zeros, 'ERR_MODELHUB_UNKNOWN_FORMAT', /only zero bytes/);

    const ggjt = join(dir, 'llama-7b.ggmlv3.q4_0.bin');
    writeFileSync(ggjt, Buffer.concat([Buffer.from('tjgg'), Buffer.alloc(60)]));
    expect((await expectReadError(ggjt, 'ERR_MODELHUB_UNSUPPORTED', /pre-GGUF llama\.cpp file \(GGJT\)/)).hint).toMatch(/convert/);

    const binary = join(dir, 'noise.bin');
    writeFileSync(binary, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    await expectReadError(binary, 'ERR_MODELHUB_UNKNOWN_FORMAT', /unrecognised leading bytes 01 02 03/);
  });

  it('reports empty files, directories, missing paths, dangling links and symlink loops', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.safetensors');
    writeFileSync(empty, '');
    await expectReadError(empty, 'ERR_MODELHUB_EMPTY_FILE');

    const folder = join(dir, 'x.safetensors');
    mkdirSync(folder);
    await expectReadError(folder, 'ERR_MODELHUB_NOT_A_FILE', /directory/);

    await expectReadError(join(dir, 'missing.gguf'), 'ERR_MODELHUB_NOT_FOUND');
    await expectReadError(join(dir, 'empty.safetensors', 'child.gguf'), 'ERR_MODELHUB_NOT_FOUND');

    const dangling = join(dir, 'dangling.ckpt');
    symlinkSync(join(dir, 'nowhere.ckpt'), dangling);
    await expectReadError(dangling, 'ERR_MODELHUB_NOT_FOUND');

    const a = join(dir, 'a.safetensors');
    const b = join(dir, 'b.safetensors');
    symlinkSync(b, a);
    symlinkSync(a, b);
    await expectReadError(a, 'ERR_MODELHUB_SYMLINK_LOOP');
  });

  it('refuses a FIFO without blocking on it', async () => {
    const fifo = join(tempDir(), 'pipe.safetensors');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this platform
    }
    await expectReadError(fifo, 'ERR_MODELHUB_NOT_A_FILE');
  });
});

describe('readModelHeader: general contract', () => {
  it('follows symlinks, reports the target size, and takes the format from the name given', async () => {
    const dir = tempDir();
    const target = join(dir, 'real.safetensors');
    await writeSafetensors(target, [{ name: 'w', shape: [10, 10] }], { size: 123_456 });
    const link = join(dir, 'alias.ckpt');
    symlinkSync(target, link);
    const h = await readModelHeader(link);
    expect(h).toMatchObject({ path: link, size: 123_456, format: 'ckpt', container: 'safetensors' });
  });

  it('sniffs the container whatever the extension, and falls back to it for the format', async () => {
    const dir = tempDir();
    const gguf = join(dir, 'really-gguf.safetensors');
    await writeGguf(gguf, { kv: { 'general.architecture': 'llama' }, tensors: [{ name: 'a', shape: [4] }] });
    expect(await readModelHeader(gguf)).toMatchObject({ container: 'gguf', format: 'safetensors' });
    const bare = join(dir, 'model');
    await writeTorchLegacy(bare, { w: tensor([1]) });
    expect(await readModelHeader(bare)).toMatchObject({ container: 'torch-legacy', format: 'pt' });
    const noExt = join(dir, 'weights');
    await writeSafetensors(noExt, [{ name: 'w', shape: [1] }]);
    expect((await readModelHeader(noExt)).format).toBe('safetensors');
  });

  it('reads well under 1% of a 24 GB sparse checkpoint and leaves it untouched', async () => {
    const path = join(tempDir(), 'sdxl-like.safetensors');
    await writeSafetensors(path, bigCheckpointTensors(), { metadata: { 'modelspec.architecture': 'stable-diffusion-xl-v1-base' } });
    const before = statSync(path);
    expect(before.size).toBeGreaterThan(23e9);
    const headerHash = sha256Prefix(path, 1 << 20);
    const h = await readModelHeader(path);
    expect(h.tensors).toHaveLength(2415);
    expect(h.warnings).toEqual([]);
    expect(h.bytesRead).toBeLessThan(h.size / 100);
    expect(h.bytesRead).toBeLessThan(h.dataOffset + 1024);
    const after = statSync(path);
    expect([after.size, after.mtimeMs, after.ctimeMs]).toEqual([before.size, before.mtimeMs, before.ctimeMs]);
    expect(sha256Prefix(path, 1 << 20)).toBe(headerHash);
    expect(describeHeader(h)).toMatchObject({ tensorCount: 2415, dtypes: { F16: 2400, F32: 15 }, primaryDtype: 'F32', quantization: undefined });
  });

  it('leaves every file byte-for-byte unchanged and closes every handle, on success and failure', async () => {
    const dir = tempDir();
    const files = [join(dir, 'a.safetensors'), join(dir, 'b.gguf'), join(dir, 'c.ckpt'), join(dir, 'd.pt'), join(dir, 'e.safetensors')];
    await writeSafetensors(files[0]!, [{ name: 'w', shape: [64, 64] }], { fill: 'random', seed: 1 });
    await writeGguf(files[1]!, { kv: { 'general.architecture': 'llama' }, tensors: [{ name: 'w', shape: [64, 64] }], fill: 'random' });
    await writeTorchZip(files[2]!, { w: tensor([64, 64]) }, { fill: 'random' });
    await writeTorchLegacy(files[3]!, { w: tensor([64, 64]) }, { fill: 'random' });
    writeFileSync(files[4]!, '<html>not a model</html>');
    const hashes = files.map((f) => [sha256Prefix(f, 1 << 20), statSync(f).mtimeMs]);
    const openFds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
    const fdsBefore = openFds();
    for (let round = 0; round < 5; round++) {
      for (const f of files) await readModelHeader(f).catch((e: unknown) => expect(e).toBeInstanceOf(ModelHubError));
    }
    expect(openFds()).toBe(fdsBefore);
    expect(files.map((f) => [sha256Prefix(f, 1 << 20), statSync(f).mtimeMs])).toEqual(hashes);
  });

  it('summarises parameters and dtypes', () => {
    const summary = describeHeader({
      container: 'safetensors',
      metadata: {},
      tensors: [
        { name: 'a', dtype: 'F16', shape: [10, 10] },
        { name: 'b', dtype: 'F16', shape: [10] },
        { name: 'c', dtype: 'F32', shape: [] },
      ],
    });
    expect(summary).toEqual({ tensorCount: 3, paramCount: 111, dtypes: { F16: 2, F32: 1 }, primaryDtype: 'F16', quantization: undefined });
  });
});
