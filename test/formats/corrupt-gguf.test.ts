import { describe, expect, it } from 'vitest';
import { readOpenHeader } from '../../formats/read.js';
import { BufferSource } from '../../formats/source.js';
import type { ModelHeader } from '../../formats/types.js';
import { Prng } from '../fixtures/prng.js';
import { expectAllCorrupt } from './rule-cases.js';
import { GGUF_RULES, encodeGgufFile, ggufBase, ggufCases, withGap } from './gguf-cases.js';

function readBytes(bytes: Buffer): Promise<ModelHeader> {
  return readOpenHeader(new BufferSource('/models/x.gguf', bytes));
}

describe('GGUF files that break the format are CORRUPT, never a model', () => {
  it('reads every generated valid file (v2/v3, both byte orders, any alignment, every ggml type), and a gap as a warning', async () => {
    const prng = new Prng(5);
    for (let i = 0; i < 60; i++) {
      const base = ggufBase(prng);
      const h = await readBytes(encodeGgufFile(base));
      expect(h.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual(base.tensors.map((t) => [t.name, t.type.name, t.shape]));
      const gap = withGap(base, prng);
      if (gap === undefined) continue;
      const g = await readBytes(encodeGgufFile(gap));
      expect(g.warnings.join('\n')).toMatch(/gap/);
    }
  });

  it('refuses every rule broken in 40 generated files, naming the tensor or key and saying re-download it', async () => {
    const perRule = await expectAllCorrupt(ggufCases(new Prng(3), 40), readBytes, { path: '/models/x.gguf', what: 'GGUF file' });
    for (const rule of Object.keys(GGUF_RULES)) expect(perRule.get(rule) ?? 0, rule).toBeGreaterThanOrEqual(5);
  });
});
