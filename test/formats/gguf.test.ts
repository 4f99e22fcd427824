import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGgufHeader } from '../../formats/gguf.js';
import { readModelHeader } from '../../formats/read.js';
import { BufferSource } from '../../formats/source.js';
import { describeHeader } from '../../formats/summary.js';
import { ByteWriter } from '../fixtures/byte-writer.js';
import { ggufValue, writeGguf, type GgufValue } from '../fixtures/writers.js';
import { expectError, expectReadError } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

/** The first `n` bytes of a (possibly huge, sparse) file. */
function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(n);
    return b.subarray(0, readSync(fd, b, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** GGUF v3 prefix: magic, version, counts; callers append KVs / tensor infos by hand. */
function ggufPrefix(tensors: number | bigint, kvs: number | bigint, version = 3): ByteWriter {
  return new ByteWriter().bytes('GGUF').u32(version).u64(tensors).u64(kvs);
}

function gstr(w: ByteWriter, s: string): ByteWriter {
  return w.u64(Buffer.byteLength(s)).bytes(s);
}

const LLM_KV: Array<[string, GgufValue]> = [
  ['general.architecture', 'llama'],
  ['general.name', 'Tiny Llama'],
  ['general.file_type', 15],
  ['llama.context_length', 4096],
  ['tokenizer.ggml.scores', ggufValue('array', [0.5, -1.25], 'float32')],
];
const LLM_TENSORS = [
  { name: 'token_embd.weight', shape: [32000, 4096], dtype: 'Q4_K' },
  { name: 'blk.0.attn_q.weight', shape: [4096, 4096], dtype: 'Q4_K' },
  { name: 'blk.0.ffn_down.weight', shape: [4096, 11008], dtype: 'Q6_K' },
  { name: 'output_norm.weight', shape: [4096], dtype: 'F32' },
];

describe('readModelHeader: GGUF', () => {
  it('reads KVs and tensor infos with dims reversed to PyTorch order', async () => {
    const path = join(tempDir(), 'tiny.gguf');
    await writeGguf(path, { kv: LLM_KV, tensors: LLM_TENSORS });
    const h = await readModelHeader(path);
    expect(h).toMatchObject({ format: 'gguf', container: 'gguf', version: 3, warnings: [] });
    expect(h.metadata).toEqual({
      'general.architecture': 'llama', 'general.name': 'Tiny Llama', 'general.file_type': 15,
      'llama.context_length': 4096, 'tokenizer.ggml.scores': [0.5, -1.25],
    });
    expect(h.tensors).toEqual(LLM_TENSORS.map(({ name, shape, dtype }) => ({ name, shape, dtype })));
    expect(h.dataOffset % 32).toBe(0);
    // ggml stores ne[0] (the innermost dim) first: ffn_down [4096, 11008] is stored as 11008, 4096.
    const bytes = head(path, h.dataOffset);
    const at = bytes.indexOf('blk.0.ffn_down.weight') + 'blk.0.ffn_down.weight'.length;
    expect([bytes.readUInt32LE(at), bytes.readBigUInt64LE(at + 4), bytes.readBigUInt64LE(at + 12)]).toEqual([2, 11008n, 4096n]);
    expect(describeHeader(h)).toMatchObject({ tensorCount: 4, quantization: 'Q4_K_M', dtypes: { Q4_K: 2, Q6_K: 1, F32: 1 } });
  });

  it('reads v2 and v3 files to the same result and refuses v1, which llama.cpp no longer reads', async () => {
    const dir = tempDir();
    const results = [];
    for (const version of [2, 3] as const) {
      const path = join(dir, `v${version}.gguf`);
      await writeGguf(path, { version, kv: LLM_KV, tensors: LLM_TENSORS });
      const { tensors, metadata, version: v, warnings } = await readModelHeader(path);
      expect(v).toBe(version);
      expect(warnings).toEqual([]);
      results.push({ tensors, metadata });
    }
    expect(results[0]).toEqual(results[1]);
    const v1 = join(dir, 'v1.gguf');
    await writeGguf(v1, { version: 1, kv: LLM_KV, tensors: LLM_TENSORS });
    const e = await expectReadError(v1, 'ERR_MODELHUB_UNSUPPORTED', /: unsupported GGUF version 1 /);
    expect(e.hint).toMatch(/current GGUF/);
  });

  it('decodes all 13 value types, nested arrays, and 64-bit values beyond 2^53 as bigint', async () => {
    const path = join(tempDir(), 'types.gguf');
    const kv: Array<[string, GgufValue]> = [
      ['u8', ggufValue('uint8', 255)], ['i8', ggufValue('int8', -128)], ['u16', ggufValue('uint16', 65535)],
      ['i16', ggufValue('int16', -32768)], ['u32', ggufValue('uint32', 4294967295)], ['i32', ggufValue('int32', -2147483648)],
      ['f32', ggufValue('float32', 0.25)], ['bool', true], ['str', 'héllo'],
      ['u64', ggufValue('uint64', 2n ** 64n - 1n)], ['u64small', ggufValue('uint64', 42)], ['i64', ggufValue('int64', -(2n ** 63n))],
      ['f64', ggufValue('float64', Math.PI)],
      ['nested', [[1, 2], [3], []]], ['strings', ['a', 'b']], ['bools', [true, false]],
      ['deep', [[['x']]]], ['empty', ggufValue('array', [], 'string')],
    ];
    await writeGguf(path, { kv, tensors: [] });
    const h = await readModelHeader(path);
    expect(h.metadata).toEqual({
      u8: 255, i8: -128, u16: 65535, i16: -32768, u32: 4294967295, i32: -2147483648, f32: 0.25, bool: true, str: 'héllo',
      u64: 2n ** 64n - 1n, u64small: 42, i64: -(2n ** 63n), f64: Math.PI,
      nested: [[1, 2], [3], []], strings: ['a', 'b'], bools: [true, false], deep: [[['x']]], empty: [],
    });
  });

  it('skips a 150k-string tokenizer array in chunks and summarises it', async () => {
    const path = join(tempDir(), 'vocab.gguf');
    const tokens = Array.from({ length: 150_000 }, (_, i) => `tok${i}`);
    await writeGguf(path, {
      kv: [['general.architecture', 'qwen2'], ['tokenizer.ggml.tokens', tokens], ['tokenizer.ggml.token_type', ggufValue('array', tokens.map(() => 1), 'int32')]],
      tensors: [{ name: 'token_embd.weight', shape: [150_000, 64], dtype: 'Q8_0' }],
    });
    const h = await readModelHeader(path);
    expect(h.metadata['tokenizer.ggml.tokens']).toEqual({ arrayOf: 'string', length: 150_000 });
    expect(h.metadata['tokenizer.ggml.token_type']).toEqual({ arrayOf: 'int32', length: 150_000 });
    expect(h.tensors).toEqual([{ name: 'token_embd.weight', shape: [150_000, 64], dtype: 'Q8_0' }]);
    // Read in a handful of chunks, never much more than the header itself.
    expect(h.bytesRead).toBeLessThan(h.dataOffset + 4 * 1024 * 1024);
  });

  it('honours general.alignment, big-endian files and ComfyUI orig_shape', async () => {
    const dir = tempDir();
    const aligned = join(dir, 'aligned.gguf');
    await writeGguf(aligned, { kv: { 'general.architecture': 'flux' }, tensors: [{ name: 'a', shape: [3, 64] }, { name: 'b', shape: [5] }], alignment: 256 });
    const a = await readModelHeader(aligned);
    expect(a.dataOffset % 256).toBe(0);
    expect(a.metadata['general.alignment']).toBe(256);
    expect(a.warnings).toEqual([]);

    const be = join(dir, 'be.gguf');
    await writeGguf(be, { kv: LLM_KV, tensors: LLM_TENSORS, bigEndian: true });
    const b = await readModelHeader(be);
    expect(b.version).toBe(3);
    expect(b.warnings).toEqual(['big-endian GGUF']);
    expect(b.tensors).toEqual((await readModelHeader(await writeLe(dir))).tensors);

    const comfy = join(dir, 'comfy.gguf');
    await writeGguf(comfy, {
      kv: { 'general.architecture': 'sdxl', 'comfy.gguf.orig_shape.x.weight': [320, 4, 3, 3] },
      tensors: [{ name: 'x.weight', shape: [320, 36], dtype: 'F16' }],
    });
    expect((await readModelHeader(comfy)).tensors).toEqual([{ name: 'x.weight', shape: [320, 4, 3, 3], dtype: 'F16' }]);
  });

  it('derives the quantisation from 2-D weights when general.file_type is absent', async () => {
    const path = join(tempDir(), 'flux-q5.gguf');
    await writeGguf(path, {
      kv: { 'general.architecture': 'flux' },
      tensors: [
        { name: 'img_in.weight', shape: [3072, 64], dtype: 'F16' },
        { name: 'a.weight', shape: [3072, 3072], dtype: 'Q5_K' },
        { name: 'b.weight', shape: [3072, 3072], dtype: 'Q5_K' },
        { name: 'c.weight', shape: [3072, 3072], dtype: 'Q8_0' },
        { name: 'a.bias', shape: [3072], dtype: 'F32' },
      ],
    });
    expect(describeHeader(await readModelHeader(path))).toMatchObject({ quantization: 'Q5_K', tensorCount: 5 });
  });

  it('refuses unknown GGML types and tensor data cut off by the end of the file as CORRUPT', async () => {
    const dir = tempDir();
    const unknown = join(dir, 'unknown.gguf');
    await writeGguf(unknown, { kv: {}, tensors: [{ name: 't', shape: [8] }], ggmlType: 99 });
    await expectReadError(unknown, 'ERR_MODELHUB_CORRUPT', /tensor "t" has ggml type 99, which ggml does not define/);

    const cut = join(dir, 'cut.gguf');
    await writeGguf(cut, { kv: LLM_KV, tensors: LLM_TENSORS });
    const header = (await readModelHeader(cut)).dataOffset;
    const bytes = head(cut, header + 1000);
    writeFileSync(cut, bytes.subarray(0, header + 1000));
    await expectReadError(cut, 'ERR_MODELHUB_CORRUPT', /tensor "\S+" ends at byte \d+ .*bytes missing: the file is cut off/);
  });

  it('reports truncation inside the header at every interesting offset', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.gguf');
    await writeGguf(good, { kv: LLM_KV, tensors: LLM_TENSORS.slice(0, 2) });
    const end = (await readModelHeader(good)).dataOffset;
    const bytes = head(good, end);
    const cuts = [4, 6, 8, 12, 20, 23, 24, 30, 40, 64, 100, 150, Math.floor(end / 2), end - 40, end - 1];
    for (const cut of cuts) {
      const path = join(dir, `cut-${cut}.gguf`);
      writeFileSync(path, bytes.subarray(0, cut));
      // Cut in the tensor infos: the header cannot be read; cut in the alignment padding after them: the data is missing.
      const err = await expectError(readModelHeader(path), { path, message: /cut off/ }, `reading ${path}`);
      expect(['ERR_MODELHUB_TRUNCATED', 'ERR_MODELHUB_CORRUPT']).toContain(err.code);
    }
  });

  it('refuses hostile counts and lengths without allocating', async () => {
    const dir = tempDir();
    const write = (name: string, w: ByteWriter) => {
      const path = join(dir, name);
      writeFileSync(path, Buffer.concat([w.toBuffer(), Buffer.alloc(64)]));
      return path;
    };
    const arr = gstr(ggufPrefix(0, 1), 'big.array').u32(9).u32(0).u64(2n ** 62n);
    await expectReadError(write('array.gguf', arr), 'ERR_MODELHUB_LIMIT', /array length of 4611686018427387904/);

    const nestedArr = gstr(ggufPrefix(0, 1), 'nested').u32(9).u32(9).u64(1).u32(0).u64(2n ** 62n);
    await expectReadError(write('nested.gguf', nestedArr), 'ERR_MODELHUB_LIMIT');

    const key = ggufPrefix(0, 1).u64(2n ** 40n).bytes('k');
    await expectReadError(write('key.gguf', key), 'ERR_MODELHUB_LIMIT', /key length/);

    const value = gstr(ggufPrefix(0, 1), 'v').u32(8).u64(2n ** 63n);
    await expectReadError(write('value.gguf', value), 'ERR_MODELHUB_LIMIT', /string value length/);

    const pastEnd = gstr(ggufPrefix(0, 1), 'v').u32(8).u64(5000);
    await expectReadError(write('pastend.gguf', pastEnd), 'ERR_MODELHUB_TRUNCATED');

    const fixedPastEnd = gstr(ggufPrefix(0, 1), 'v').u32(9).u32(12).u64(1_000_000);
    await expectReadError(write('fixed.gguf', fixedPastEnd), 'ERR_MODELHUB_TRUNCATED');

    await expectReadError(write('tensors.gguf', ggufPrefix(2n ** 40n, 0)), 'ERR_MODELHUB_LIMIT', /tensor count/);
    await expectReadError(write('kvs.gguf', ggufPrefix(0, 2n ** 63n)), 'ERR_MODELHUB_LIMIT', /key\/value count/);

    const dims = gstr(ggufPrefix(1, 0), 'w').u32(200);
    await expectReadError(write('dims.gguf', dims), 'ERR_MODELHUB_CORRUPT', /200 dimensions/);

    const type = gstr(ggufPrefix(0, 1), 'k').u32(13);
    await expectReadError(write('type.gguf', type), 'ERR_MODELHUB_CORRUPT', /unknown value type 13/);

    let deep = gstr(ggufPrefix(0, 1), 'deep').u32(9);
    for (let i = 0; i < 10; i++) deep = deep.u32(9).u64(1);
    await expectReadError(write('deep.gguf', deep.u32(0).u64(0)), 'ERR_MODELHUB_LIMIT', /nest deeper/);

    const align = gstr(ggufPrefix(0, 1), 'general.alignment').u32(4).u32(48);
    await expectReadError(write('align.gguf', align), 'ERR_MODELHUB_CORRUPT', /general\.alignment is 48, not a power of two/);

    await expectReadError(write('v4.gguf', ggufPrefix(0, 0, 4)), 'ERR_MODELHUB_UNSUPPORTED', /version 4/);
  });

  it('rejects a wrong magic when called directly', async () => {
    const source = new BufferSource('mem.gguf', Buffer.from('GGUX\x03\x00\x00\x00', 'latin1'));
    await expect(readGgufHeader(source)).rejects.toMatchObject({ code: 'ERR_MODELHUB_UNKNOWN_FORMAT', path: 'mem.gguf' });
  });

  it('caps the total header size', async () => {
    const path = join(tempDir(), 'cap.gguf');
    await writeGguf(path, { kv: { text: 'x'.repeat(5000) }, tensors: [] });
    await expect(readModelHeader(path, { maxHeaderBytes: 1024 })).rejects.toMatchObject({ code: 'ERR_MODELHUB_LIMIT' });
  });
});

async function writeLe(dir: string): Promise<string> {
  const path = join(dir, 'le.gguf');
  await writeGguf(path, { kv: LLM_KV, tensors: LLM_TENSORS });
  return path;
}
