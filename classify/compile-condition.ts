import type { RawCondition, RawCount, RawNumberTest, RawShape, RawVariantOption } from './raw-rules.js';
import type { Condition, CountCheck, KeyPattern, NumberTest, ShapeCheck, VariantOption } from './ruleset.js';

/** Reports a problem at a JSON pointer inside the rule being compiled. */
export type Report = (pointer: string, message: string) => void;


/** Compile a condition; bad regexes and incomplete shape tests are reported, not thrown. */
export function compileCondition(raw: RawCondition, at: string, report: Report): Condition {
  const patterns = (list: string[] | undefined, field: string): KeyPattern[] =>
    (list ?? []).flatMap((src, i) => {
      const p = compileKeyPattern(src, `${at}/${field}/${i}`, report);
      return p === undefined ? [] : [p];
    });
  return {
    all: (raw.all ?? []).map((entry) => (Array.isArray(entry) ? entry : [entry])),
    any: raw.any ?? [],
    none: raw.none ?? [],
    match: patterns(raw.match, 'match'),
    notMatch: patterns(raw.not_match, 'not_match'),
    shapes: (raw.shapes ?? []).flatMap((s, i) => compileShape(s, `${at}/shapes/${i}`, report)),
    counts: (raw.counts ?? []).flatMap((c, i) => compileCount(c, `${at}/counts/${i}`, report)),
  };
}

export function compileVariants(raw: RawVariantOption[] | undefined, at: string, report: Report): VariantOption[] {
  return (raw ?? []).map((opt, i) => ({
    facet: opt.facet ?? 'variant',
    value: opt.value,
    when: compileCondition(opt, `${at}/variants/${i}`, report),
  }));
}

/** A key regex with its literal prefix (the text every match must start with). */
export function compileKeyPattern(source: string, at: string, report: Report): KeyPattern | undefined {
  const re = compileRegex(source, '', at, report);
  return re === undefined ? undefined : { source, re, prefix: literalPrefix(source) };
}

export function compileRegex(source: string, flags: string, at: string, report: Report): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch (err) {
    const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    report(at, `invalid regular expression /${source}/: ${reason}`);
    return undefined;
  }
}

/**
 * The literal text an anchored pattern starts with: `^double_blocks\.(\d+)` → "double_blocks.".
 * Stops at the first metacharacter; a quantifier takes back the character it applies to; any
 * top-level alternation means no prefix at all.
 */
export function literalPrefix(source: string): string {
  if (!source.startsWith('^') || hasTopLevelAlternation(source)) return '';
  let out = '';
  for (let i = 1; i < source.length; i++) {
    const ch = source[i] ?? '';
    let lit: string | undefined;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (/[.\\/\-_[\](){}*+?^$|]/.test(next)) lit = next;
      if (lit !== undefined) i++;
    } else if (/[A-Za-z0-9_\-/:,]/.test(ch)) lit = ch;
    if (lit === undefined) break;
    const after = source[i + 1] ?? '';
    if (after === '?' || after === '*' || after === '{') break;
    out += lit;
    if (after === '+') break;
  }
  return out;
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

function compileShape(raw: RawShape, at: string, report: Report): ShapeCheck[] {
  if ((raw.key === undefined) === (raw.match === undefined)) {
    report(at, 'a shape test needs exactly one of "key" and "match"');
    return [];
  }
  if (raw.dim === undefined && raw.ndim === undefined) {
    report(at, 'a shape test needs "dim" (with eq/in/min/max) or "ndim"');
    return [];
  }
  const test = numberTest(raw);
  if (raw.dim !== undefined && Object.keys(test).length === 0) {
    report(at, `"dim: ${raw.dim}" needs one of eq, in, min, max`);
    return [];
  }
  const check: ShapeCheck = { test };
  if (raw.key !== undefined) check.keys = Array.isArray(raw.key) ? raw.key : [raw.key];
  if (raw.match !== undefined) {
    const p = compileKeyPattern(raw.match, `${at}/match`, report);
    if (p === undefined) return [];
    check.pattern = p;
  }
  if (raw.dim !== undefined) check.dim = raw.dim;
  if (raw.ndim !== undefined) check.ndim = raw.ndim;
  return [check];
}

function compileCount(raw: RawCount, at: string, report: Report): CountCheck[] {
  const pattern = compileKeyPattern(raw.pattern, `${at}/pattern`, report);
  if (pattern === undefined) return [];
  const test = numberTest(raw);
  if (Object.keys(test).length === 0) {
    report(at, 'a count test needs one of eq, in, min, max');
    return [];
  }
  return [{ pattern, of: raw.of, test }];
}

function numberTest(raw: RawNumberTest): NumberTest {
  const t: NumberTest = {};
  if (raw.eq !== undefined) t.eq = raw.eq;
  if (raw.in !== undefined) t.in = raw.in;
  if (raw.min !== undefined) t.min = raw.min;
  if (raw.max !== undefined) t.max = raw.max;
  return t;
}
