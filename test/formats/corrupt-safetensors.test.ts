import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelHubError } from '../../core/errors.js';
import { readModelHeader, readOpenHeader } from '../../formats/read.js';
import { BufferSource } from '../../formats/source.js';
import { Prng } from '../fixtures/prng.js';
import { tempDir } from '../helpers/tmp.js';
import { expectAllCorrupt } from './rule-cases.js';
import { SAFETENSORS_RULES, safetensorsBase, safetensorsCases, validVariants } from './safetensors-cases.js';

function readBytes(bytes: Buffer): Promise<unknown> {
  return readOpenHeader(new BufferSource('/models/x.safetensors', bytes));
}

describe('safetensors files that break the format are CORRUPT, never a model', () => {
  it('reads every generated valid file, in any key order, padded, with null metadata', async () => {
    const prng = new Prng(11);
    for (let i = 0; i < 60; i++) {
      const base = safetensorsBase(prng);
      for (const bytes of validVariants(base, prng)) {
        const r = await readBytes(bytes).catch((e: unknown) => e);
        expect(r, String(r)).not.toBeInstanceOf(Error);
        expect((r as { tensors: unknown[] }).tensors).toHaveLength(base.entries.filter(([k]) => k !== '__metadata__').length);
      }
    }
  });

  it('refuses every rule broken in 40 generated files, naming the tensor or field and saying re-download it', async () => {
    const perRule = await expectAllCorrupt(safetensorsCases(new Prng(7), 40), readBytes, { path: '/models/x.safetensors', what: 'safetensors file' });
    // Every rule was exercised by several bases.
    for (const rule of Object.keys(SAFETENSORS_RULES)) expect(perRule.get(rule) ?? 0, rule).toBeGreaterThanOrEqual(5);
  });

  it('names the file on disk and the missing byte count when tensor data runs past the end', async () => {
    const path = join(tempDir(), 'short.safetensors');
    const json = Buffer.from(JSON.stringify({ w: { dtype: 'F16', shape: [100], data_offsets: [0, 200] } }));
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(json.length));
    writeFileSync(path, Buffer.concat([prefix, json, Buffer.alloc(150)]));
    const e = (await readModelHeader(path).catch((x: unknown) => x)) as ModelHubError;
    expect(e.code).toBe('ERR_MODELHUB_CORRUPT');
    expect(e.path).toBe(path);
    expect(e.message).toMatch(/tensor "w".* ends at byte 200 .* holds only 150 .*50 bytes missing/);
  });
});
