/**
 * Deterministic fuzzing of the format readers: valid generated files of each container, each
 * mutated (a broken rule of the format, or 1–3 byte-level mutations) under a seeded PRNG. For
 * every case the reader must return a header or throw a coded ModelHubError with a hint, never
 * anything else; for safetensors and GGUF an independent checker (oracles.ts) says which, and
 * the two must agree. The counts are printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelHubError } from '../../core/errors.js';
import { readOpenHeader } from '../../formats/read.js';
import { BufferSource } from '../../formats/source.js';
import type { ModelHeader } from '../../formats/types.js';
import { encodeGguf } from '../fixtures/gguf-writer.js';
import { Prng } from '../fixtures/prng.js';
import { encodeSafetensors, type SafetensorsLayout } from '../fixtures/safetensors-layout.js';
import { pickleGlobal, tensor, writeTorchLegacy, writeTorchZip, type PickleValue } from '../fixtures/writers.js';
import { tempDir } from '../helpers/tmp.js';
import { GGUF_RULES, encodeGgufFile, ggufBase, type GgufSpec } from './gguf-cases.js';
import { mutate } from './mutate.js';
import { judgeGguf, judgeSafetensors, type Verdict } from './oracles.js';
import { SAFETENSORS_RULES, safetensorsBase } from './safetensors-cases.js';

const PER_FORMAT = 500;

interface Tally {
  cases: number;
  ruleEdits: number;
  read: number;
  codes: Record<string, number>;
  disagreements: string[];
}

/** A case: its bytes, how it was made, and (safetensors, GGUF) the independent verdict. */
interface Case {
  bytes: Buffer;
  how: string;
  rule: boolean;
  verdict?: Verdict;
}

async function run(cases: Case[], path: string): Promise<Tally> {
  const t: Tally = { cases: cases.length, ruleEdits: cases.filter((c) => c.rule).length, read: 0, codes: {}, disagreements: [] };
  for (const c of cases) {
    const result = await readOpenHeader(new BufferSource(path, c.bytes)).catch((e: unknown) => e);
    if (!(result instanceof Error)) {
      t.read++;
      const h = result as ModelHeader;
      for (const x of h.tensors) expect(x.shape.every((d) => Number.isSafeInteger(d) && d >= 0), `${c.how}: shape of ${x.name}`).toBe(true);
      if (c.verdict !== undefined && (!c.verdict.ok || JSON.stringify(c.verdict.tensors) !== JSON.stringify(h.tensors.map((x) => [x.name, x.dtype, x.shape])))) {
        t.disagreements.push(`${c.how}: read as a model, checker says ${c.verdict.ok ? 'other tensors' : `${c.verdict.code} (${c.verdict.why})`}`);
      }
      continue;
    }
    // Anything but a coded ModelHubError is a reader bug: fail with its stack.
    if (!(result instanceof ModelHubError)) throw result;
    t.codes[result.code] = (t.codes[result.code] ?? 0) + 1;
    expect(result.hint, `${c.how}: ${result.code} without a hint`).toBeTruthy();
    expect(result.message.startsWith(`${path}: `)).toBe(true);
    expect(result.message).not.toContain('[object Object]');
    if (c.rule) expect({ how: c.how, code: result.code }).toEqual({ how: c.how, code: 'ERR_MODELHUB_CORRUPT' });
    const v = c.verdict;
    if (v !== undefined && (v.ok || (v.code !== 'ANY' && `ERR_MODELHUB_${v.code}` !== result.code))) {
      t.disagreements.push(`${c.how}: ${result.message}; checker says ${v.ok ? 'valid' : v.code}`);
    }
  }
  return t;
}

function report(name: string, t: Tally): void {
  const codes = Object.entries(t.codes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k.replace('ERR_MODELHUB_', '')} ${n}`).join(', ');
  console.log(`fuzz ${name}: ${t.cases} cases (${t.ruleEdits} broken rules, ${t.cases - t.ruleEdits} byte mutations): ` +
    `${t.read} read as models, refused: ${codes}; ${t.disagreements.length} disagreements with the checker`);
}

/** Structured and byte-level mutations of generated bases, a third of them breaking one named rule. */
function makeCases<B>(prng: Prng, o: { base: (p: Prng) => B; encode: (b: B) => Buffer; hot: (b: B) => number; rules: Record<string, (b: B, p: Prng) => Buffer | undefined>; judge?: (b: Buffer) => Verdict }): Case[] {
  const cases: Case[] = [];
  const rules = Object.entries(o.rules);
  while (cases.length < PER_FORMAT) {
    const base = o.base(prng);
    let c: Case | undefined;
    if (prng.chance(1 / 3)) {
      const [rule, edit] = prng.pick(rules);
      const bytes = edit(base, prng);
      if (bytes !== undefined) c = { bytes, how: `rule "${rule}"`, rule: true };
    } else {
      const { bytes, applied } = mutate(o.encode(base), prng, o.hot(base));
      c = { bytes, how: applied.join(' + '), rule: false };
    }
    if (c === undefined) continue;
    if (o.judge !== undefined) c.verdict = o.judge(c.bytes);
    cases.push(c);
  }
  return cases;
}

describe(`fuzzing the readers with ${PER_FORMAT} deterministic mutations per format`, () => {
  it('safetensors: every answer is the checker\'s, every refusal coded, every broken rule CORRUPT', async () => {
    const cases = makeCases(new Prng(1001), {
      base: safetensorsBase,
      encode: encodeSafetensors,
      hot: (l) => Number(encodeSafetensors(l).readBigUInt64LE(0)) + 8,
      rules: Object.fromEntries(Object.entries(SAFETENSORS_RULES).map(([k, edit]) => [k, (l: SafetensorsLayout, p: Prng) => {
        const r = edit(l, p);
        return r === undefined ? undefined : r.bytes ?? encodeSafetensors(r.layout!);
      }])),
      judge: judgeSafetensors,
    });
    const t = await run(cases, '/fuzz/model.safetensors');
    report('safetensors', t);
    expect(t.disagreements).toEqual([]);
  });

  it('GGUF: every answer is the checker\'s, every refusal coded, every broken rule CORRUPT', async () => {
    const cases = makeCases(new Prng(2002), {
      base: ggufBase,
      encode: encodeGgufFile,
      hot: (s) => encodeGguf(s).header.length,
      rules: Object.fromEntries(Object.entries(GGUF_RULES).map(([k, edit]) => [k, (s: GgufSpec, p: Prng) => {
        const r = edit(s, p);
        return r === undefined ? undefined : encodeGgufFile(r.spec);
      }])),
      judge: judgeGguf,
    });
    const t = await run(cases, '/fuzz/model.gguf');
    report('GGUF', t);
    expect(t.disagreements).toEqual([]);
  });

  it('torch zip and legacy: every answer a header or a coded refusal with a hint', async () => {
    const dir = tempDir();
    const prng = new Prng(3003);
    const bases: Array<{ container: string; bytes: Buffer }> = [];
    for (let i = 0; i < 12; i++) {
      const obj: Record<string, PickleValue> = { step: prng.int(1000), name: `m${i}` };
      for (let k = 0, n = 1 + prng.int(6); k < n; k++) obj[`w${k}`] = tensor([1 + prng.int(9), 1 + prng.int(9)], prng.pick(['F16', 'F32', 'I64', 'BF16']));
      if (prng.chance(0.2)) obj.payload = pickleGlobal('os', 'system', ['id']);
      const zip = join(dir, `z${i}.pt`);
      const legacy = join(dir, `l${i}.pt`);
      await writeTorchZip(zip, obj, { protocol: prng.pick([2, 4] as const) });
      await writeTorchLegacy(legacy, obj);
      bases.push({ container: 'torch-zip', bytes: readFileSync(zip) }, { container: 'torch-legacy', bytes: readFileSync(legacy) });
    }
    for (const container of ['torch-zip', 'torch-legacy']) {
      const own = bases.filter((b) => b.container === container);
      const cases: Case[] = [];
      for (let i = 0; i < PER_FORMAT; i++) {
        const base = prng.pick(own).bytes;
        const { bytes, applied } = mutate(base, prng, base.length);
        cases.push({ bytes, how: applied.join(' + '), rule: false });
      }
      report(container, await run(cases, '/fuzz/model.pt'));
    }
  });
});
