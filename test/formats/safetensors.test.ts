import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelHeader } from '../../formats/read.js';
import { PADDING_TENSOR, writeSafetensors } from '../fixtures/writers.js';
import { expectReadError } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

/** A safetensors file from raw header text and a data section of `dataBytes` zeros. */
function rawSafetensors(path: string, header: string | Buffer, dataBytes = 0, declared?: bigint): void {
  const json = typeof header === 'string' ? Buffer.from(header, 'utf8') : header;
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(declared ?? BigInt(json.length));
  writeFileSync(path, Buffer.concat([prefix, json, Buffer.alloc(dataBytes)]));
}

describe('readModelHeader: safetensors', () => {
  it('reads tensors, dtypes, shapes, string metadata and the data offset', async () => {
    const path = join(tempDir(), 'lora.safetensors');
    const metadata = { ss_network_module: 'networks.lora', ss_tag_frequency: '{"a": {"b": 2}}', ss_network_dim: '32' };
    await writeSafetensors(path, [
      { name: 'lora_unet_down.lora_down.weight', shape: [32, 320] },
      { name: 'lora_unet_down.alpha', dtype: 'F32', shape: [] },
      { name: 'empty', dtype: 'BF16', shape: [0, 4] },
      { name: 'fp8', dtype: 'F8_E4M3', shape: [16] },
    ], { metadata });
    const h = await readModelHeader(path);
    expect(h).toMatchObject({ path, format: 'safetensors', container: 'safetensors', metadata, warnings: [] });
    expect(h.tensors).toEqual([
      { name: 'lora_unet_down.lora_down.weight', dtype: 'F16', shape: [32, 320] },
      { name: 'lora_unet_down.alpha', dtype: 'F32', shape: [] },
      { name: 'empty', dtype: 'BF16', shape: [0, 4] },
      { name: 'fp8', dtype: 'F8_E4M3', shape: [16] },
    ]);
    const n = Number(readFileSync(path).readBigUInt64LE(0));
    expect(h.dataOffset).toBe(8 + n);
    expect(h.size).toBe(8 + n + 32 * 320 * 2 + 4 + 0 + 16);
    expect(h.bytesRead).toBeLessThan(h.dataOffset + 128);
  });

  it('accepts a header right-padded with spaces and the .sft extension', async () => {
    const path = join(tempDir(), 'x.sft');
    rawSafetensors(path, '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}        ', 2);
    const h = await readModelHeader(path);
    expect(h.format).toBe('safetensors');
    expect(h.tensors).toEqual([{ name: 'a', dtype: 'U8', shape: [2] }]);
    expect(h.warnings).toEqual([]);
  });

  it('reaches a requested size with a padding tensor, since the format allows no bytes outside tensors', async () => {
    const path = join(tempDir(), 'padded.safetensors');
    await writeSafetensors(path, [{ name: 'w', shape: [4] }], { size: 200_000, metadata: { a: 'b' } });
    const h = await readModelHeader(path);
    expect(h.size).toBe(200_000);
    expect(h.warnings).toEqual([]);
    expect(h.tensors.map((t) => t.name)).toEqual(['w', PADDING_TENSOR]);
    // A few bytes more than the content: spaces after the header JSON, no extra tensor.
    await writeSafetensors(path, [{ name: 'w', shape: [4] }], { size: 1001 });
    expect(await readModelHeader(path)).toMatchObject({ size: 1001, tensors: [{ name: 'w' }], warnings: [] });
  });

  it('keeps a __proto__ metadata key as plain data', async () => {
    const path = join(tempDir(), 'proto.safetensors');
    rawSafetensors(path, '{"__metadata__":{"__proto__":"x","polluted":"no"}}');
    const h = await readModelHeader(path);
    expect(Object.getPrototypeOf(h.metadata)).toBe(Object.prototype);
    expect(Object.keys(h.metadata).sort()).toEqual(['__proto__', 'polluted']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a declared header length of 2^60 without allocating it', async () => {
    const path = join(tempDir(), 'huge.safetensors');
    rawSafetensors(path, '{"a":1}', 0, 2n ** 60n);
    const e = await expectReadError(path, 'ERR_MODELHUB_HEADER_TOO_LARGE', /1152921504606846976/);
    expect(e.hint).toBeDefined();
  });

  it('honours a smaller maxHeaderBytes', async () => {
    const path = join(tempDir(), 'm.safetensors');
    await writeSafetensors(path, [{ name: 'w', shape: [1] }], { metadata: { long: 'x'.repeat(500) } });
    await expect(readModelHeader(path, { maxHeaderBytes: 100 })).rejects.toMatchObject({ code: 'ERR_MODELHUB_HEADER_TOO_LARGE' });
  });

  it('reports truncation at every interesting offset, naming the path', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.safetensors');
    await writeSafetensors(good, [{ name: 'a', shape: [64] }, { name: 'b', dtype: 'F32', shape: [8, 8] }], { fill: 'random', seed: 7 });
    const bytes = readFileSync(good);
    const n = Number(bytes.readBigUInt64LE(0));
    // Cut inside the header: the header cannot be read. Cut inside the data: the header says what is missing.
    for (const cut of [1, 4, 7, 8, 9, 8 + Math.floor(n / 2), 8 + n - 1]) {
      const path = join(dir, `cut-${cut}.safetensors`);
      writeFileSync(path, bytes.subarray(0, cut));
      await expectReadError(path, 'ERR_MODELHUB_TRUNCATED');
    }
    for (const cut of [8 + n, 8 + n + 1, 8 + n + 128, bytes.length - 1]) {
      const path = join(dir, `cut-${cut}.safetensors`);
      writeFileSync(path, bytes.subarray(0, cut));
      await expectReadError(path, 'ERR_MODELHUB_CORRUPT', /the file is cut off/);
    }
  });

  it('names the byte counts when tensor data runs past the end of the file', async () => {
    const path = join(tempDir(), 'short.safetensors');
    rawSafetensors(path, JSON.stringify({ w: { dtype: 'F16', shape: [100], data_offsets: [0, 200] } }), 150);
    await expectReadError(path, 'ERR_MODELHUB_CORRUPT', /ends at byte 200 .* holds only 150 data bytes \(50 bytes missing/);
  });

  it('treats offsets beyond 2^53 as malformed, not as numbers', async () => {
    const path = join(tempDir(), 'big.safetensors');
    rawSafetensors(path, '{"w":{"dtype":"F16","shape":[1],"data_offsets":[0,18446744073709551615]}}', 2);
    await expectReadError(path, 'ERR_MODELHUB_CORRUPT', /out of range/);
  });

  it('rejects bad JSON, invalid UTF-8 and malformed tensor entries', async () => {
    const dir = tempDir();
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['json', '{"a": {"dtype": "F16",', /not valid JSON/],
      ['utf8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), /UTF-8/],
      ['shape', '{"a":{"dtype":"F16","shape":[-1],"data_offsets":[0,0]}}', /shape/],
      ['dtype', '{"a":{"shape":[1],"data_offsets":[0,2]}}', /dtype/],
      ['offsets', '{"a":{"dtype":"F16","shape":[1],"data_offsets":[4,2]}}', /end before they begin/],
      ['entry', '{"a":5}', /tensor "a" is 5, not an object/],
    ];
    for (const [name, header, message] of cases) {
      const path = join(dir, `${name}.safetensors`);
      rawSafetensors(path, header, 8);
      await expectReadError(path, 'ERR_MODELHUB_CORRUPT', message);
    }
  });
});
