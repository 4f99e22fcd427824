import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../core/errors.js';
import { FORMAT_ERROR_HINTS } from '../../formats/errors.js';
import { readModelHeader } from '../../formats/read.js';
import { writeGguf, writeSafetensors } from '../fixtures/writers.js';
import { expectError, expectReadError } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

const FORMATS_DIR = fileURLToPath(new URL('../../formats/', import.meta.url));

/** A safetensors file from raw header text and `data` zero bytes. */
function rawSafetensors(path: string, header: string, data = 0): string {
  const json = Buffer.from(header);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([prefix, json, Buffer.alloc(data)]));
  return path;
}

describe('every error code the format readers throw has a hint', () => {
  it('throws only codes of the closed set, each with a hint, and builds no error outside it', () => {
    const thrown = new Set<string>();
    for (const file of readdirSync(FORMATS_DIR).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(FORMATS_DIR, file), 'utf8');
      for (const m of text.matchAll(/'(ERR_MODELHUB_[A-Z_]+)'/g)) thrown.add(m[1]!);
      if (file !== 'errors.ts') expect(text, `${file} constructs a ModelHubError itself (no default hint)`).not.toMatch(/new ModelHubError\(/);
    }
    expect(thrown.size).toBeGreaterThanOrEqual(10);
    for (const code of thrown) expect(Object.keys(FORMAT_ERROR_HINTS), `${code} has no entry in FORMAT_ERROR_HINTS`).toContain(code);
    for (const [code, hint] of Object.entries(FORMAT_ERROR_HINTS)) expect(hint.length, code).toBeGreaterThan(10);
    for (const code of ['ERR_MODELHUB_CORRUPT', 'ERR_MODELHUB_TRUNCATED', 'ERR_MODELHUB_EMPTY_FILE'] as const) expect(FORMAT_ERROR_HINTS[code]).toMatch(/^re-download it/);
  });

  it('gives a real file of every code its hint and a message naming the file', async () => {
    const dir = tempDir();
    const p = (name: string) => join(dir, name);
    const loop = p('loop.safetensors');
    symlinkSync(p('loop2.safetensors'), loop);
    symlinkSync(loop, p('loop2.safetensors'));
    mkdirSync(p('folder.gguf'));
    writeFileSync(p('empty.ckpt'), '');
    writeFileSync(p('page.safetensors'), '<!DOCTYPE html><html><body>404</body></html>');
    writeFileSync(p('short.gguf'), 'GGUF');
    const huge = Buffer.alloc(16);
    huge.writeBigUInt64LE(2n ** 40n);
    huge[8] = 0x7b;
    writeFileSync(p('huge.safetensors'), huge);
    rawSafetensors(p('corrupt.safetensors'), '{"w":{"dtype":"f16","shape":[2],"data_offsets":[0,4]}}', 4);
    await writeGguf(p('v1.gguf'), { version: 1, kv: {}, tensors: [] });
    writeFileSync(p('limit.gguf'), Buffer.concat([Buffer.from('GGUF\x03\x00\x00\x00', 'latin1'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0x10]), Buffer.alloc(64)]));
    const files: Record<string, string> = {
      ERR_MODELHUB_NOT_FOUND: p('missing.safetensors'),
      ERR_MODELHUB_SYMLINK_LOOP: loop,
      ERR_MODELHUB_NOT_A_FILE: p('folder.gguf'),
      ERR_MODELHUB_EMPTY_FILE: p('empty.ckpt'),
      ERR_MODELHUB_UNKNOWN_FORMAT: p('page.safetensors'),
      ERR_MODELHUB_TRUNCATED: p('short.gguf'),
      ERR_MODELHUB_HEADER_TOO_LARGE: p('huge.safetensors'),
      ERR_MODELHUB_CORRUPT: p('corrupt.safetensors'),
      ERR_MODELHUB_UNSUPPORTED: p('v1.gguf'),
      ERR_MODELHUB_LIMIT: p('limit.gguf'),
    };
    if (process.getuid?.() !== 0) {
      await writeSafetensors(p('locked.safetensors'), [{ name: 'w', shape: [1] }]);
      chmodSync(p('locked.safetensors'), 0o000);
      files.ERR_MODELHUB_PERMISSION_DENIED = p('locked.safetensors');
    }
    for (const [code, path] of Object.entries(files)) {
      const e = await expectReadError(path, code as ErrorCode);
      expect(e.message.startsWith(`${path}: `), e.message).toBe(true);
      expect(e.hint, code).toBeTruthy();
    }
  });
});

describe('messages say the real problem', () => {
  it('names a JSON array header, GGUF v1, and an unknown dtype, never "[object Object]"', async () => {
    const dir = tempDir();
    const array = await expectReadError(rawSafetensors(join(dir, 'array.safetensors'), '[{"w":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}]', 2), 'ERR_MODELHUB_CORRUPT', /: corrupt safetensors file: the header is a JSON array, not an object$/);
    const v1 = join(dir, 'old.gguf');
    await writeGguf(v1, { version: 1, kv: { 'general.architecture': 'llama' }, tensors: [{ name: 'w', shape: [4] }] });
    await expectReadError(v1, 'ERR_MODELHUB_UNSUPPORTED', /unsupported GGUF version 1/);
    const dtypeFile = rawSafetensors(join(dir, 'dtype.safetensors'), '{"w":{"dtype":"bf16","shape":[1],"data_offsets":[0,2]}}', 2);
    const dtype = await expectError(readModelHeader(dtypeFile), { path: dtypeFile, message: /tensor "w" has dtype "bf16", which is not a safetensors dtype \(names are case-sensitive: BF16\)/ });
    const nestedFile = rawSafetensors(join(dir, 'meta.safetensors'), '{"__metadata__":{"config":{"a":1}}}');
    const nested = await expectError(readModelHeader(nestedFile), { path: nestedFile, message: /__metadata__ "config" is an object, not a string/ });
    const alignment = join(dir, 'align.gguf');
    await writeGguf(alignment, { kv: [['general.alignment', [32, 64]]], tensors: [] });
    await expectError(readModelHeader(alignment), { path: alignment, message: /general\.alignment has type array \(a list of 2\), not uint32/ });
    for (const e of [array, dtype, nested]) expect(e.message).not.toContain('[object Object]');
  });
});
