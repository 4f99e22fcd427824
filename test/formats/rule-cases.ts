import { expect } from 'vitest';
import { ModelHubError } from '../../core/errors.js';
import type { Prng } from '../fixtures/prng.js';

/** A generated file that breaks one rule of its format. */
export interface RuleCase {
  rule: string;
  bytes: Buffer;
  /** The error message names at least one of these (the tensor, key or field at fault). */
  mentions: string[];
}

/**
 * Every rule applied to `count` generated valid bases; an edit returns undefined where a base
 * cannot express its rule (no tensors, no quantised type, …), and `encode` turns its result into bytes.
 */
export function ruleCases<B, R>(
  prng: Prng,
  count: number,
  o: { base: (prng: Prng) => B; rules: Record<string, (base: B, prng: Prng) => R | undefined>; encode: (r: R) => Omit<RuleCase, 'rule'> },
): RuleCase[] {
  const out: RuleCase[] = [];
  for (let i = 0; i < count; i++) {
    const base = o.base(prng);
    for (const [rule, edit] of Object.entries(o.rules)) {
      const r = edit(base, prng);
      if (r !== undefined) out.push({ rule, ...o.encode(r) });
    }
  }
  return out;
}

/**
 * Expects every case to be refused as ERR_MODELHUB_CORRUPT: "PATH: corrupt WHAT: …" naming
 * what is at fault, with the re-download hint and no "[object Object]". Returns cases per rule.
 */
export async function expectAllCorrupt(cases: RuleCase[], read: (bytes: Buffer) => Promise<unknown>, o: { path: string; what: string }): Promise<Map<string, number>> {
  const perRule = new Map<string, number>();
  for (const c of cases) {
    const err = await read(c.bytes).catch((e: unknown) => e);
    expect(err, `${c.rule}: read as a model`).toBeInstanceOf(ModelHubError);
    const e = err as ModelHubError;
    expect({ rule: c.rule, code: e.code, message: e.message }).toMatchObject({ rule: c.rule, code: 'ERR_MODELHUB_CORRUPT' });
    expect(c.mentions.some((m) => e.message.includes(m)), `${c.rule}: "${e.message}" names none of ${c.mentions.join(', ')}`).toBe(true);
    expect(e.message.startsWith(`${o.path}: corrupt ${o.what}: `), e.message).toBe(true);
    expect(e.message).not.toContain('[object Object]');
    expect(e.hint).toMatch(/^re-download it/);
    perRule.set(c.rule, (perRule.get(c.rule) ?? 0) + 1);
  }
  return perRule;
}
