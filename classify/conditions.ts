import type { KeyView } from './key-view.js';
import type { Condition, CountCheck, NumberTest, ShapeCheck, VariantOption } from './ruleset.js';

/**
 * Whether every part of a condition holds on a view. Cheap parts (key presence) are checked
 * before patterns and counts, so most rules are rejected with a few Set lookups.
 */
export function testCondition(c: Condition, view: KeyView): boolean {
  for (const alternatives of c.all) if (!alternatives.some((k) => view.has(k))) return false;
  if (c.any.length > 0 && !c.any.some((k) => view.has(k))) return false;
  for (const k of c.none) if (view.has(k)) return false;
  for (const p of c.match) if (view.firstMatch(p) === undefined) return false;
  for (const p of c.notMatch) if (view.firstMatch(p) !== undefined) return false;
  for (const s of c.shapes) if (!testShape(s, view)) return false;
  for (const n of c.counts) if (!testCount(n, view)) return false;
  return true;
}

/** The facets' values, joined with '-' in facet order; undefined when no option holds. */
export function pickVariant(options: VariantOption[], view: KeyView): string | undefined {
  const parts = new Map<string, string | null>();
  for (const opt of options) {
    if (parts.get(opt.facet) != null) continue;
    if (!parts.has(opt.facet)) parts.set(opt.facet, null);
    if (testCondition(opt.when, view)) parts.set(opt.facet, opt.value);
  }
  const values = [...parts.values()].filter((v): v is string => v !== null && v !== '');
  return values.length > 0 ? values.join('-') : undefined;
}

/** Human-readable account of what a matching condition saw: its keys, the shapes and counts it tested. */
export function describeCondition(c: Condition, view: KeyView): string {
  const keys: string[] = [];
  for (const alternatives of c.all) {
    const k = alternatives.find((a) => view.has(a));
    if (k !== undefined) keys.push(k);
  }
  const anyKey = c.any.find((k) => view.has(k));
  if (anyKey !== undefined) keys.push(anyKey);
  for (const p of c.match) {
    const k = view.firstMatch(p);
    if (k !== undefined) keys.push(k);
  }
  const parts: string[] = [];
  const shown = new Set<string>();
  for (const s of c.shapes) {
    const k = shapeKey(s, view);
    if (k === undefined || shown.has(k)) continue;
    shown.add(k);
    parts.push(`${k} [${(view.shape(k) ?? []).join(', ')}]`);
  }
  const plain = keys.filter((k) => !shown.has(k)).slice(0, 3);
  if (plain.length > 0) parts.unshift(`key${plain.length > 1 ? 's' : ''} ${plain.join(', ')}`);
  for (const n of c.counts) {
    const values = view.captures(n.pattern);
    parts.push(`${n.of === 'max' ? 'max index' : 'count'} ${countValue(n, values)} for /${n.pattern.source}/`);
  }
  if (c.none.length > 0) parts.push(`no ${c.none.slice(0, 2).join(', ')}`);
  return parts.join('; ');
}

function testShape(s: ShapeCheck, view: KeyView): boolean {
  const key = shapeKey(s, view);
  if (key === undefined) return false;
  const shape = view.shape(key) ?? [];
  if (s.ndim !== undefined && shape.length !== s.ndim) return false;
  if (s.dim === undefined) return true;
  const axis = s.dim < 0 ? shape.length + s.dim : s.dim;
  const value = shape[axis];
  return value !== undefined && testNumber(s.test, value);
}

function shapeKey(s: ShapeCheck, view: KeyView): string | undefined {
  if (s.keys !== undefined) return s.keys.find((k) => view.has(k));
  return s.pattern === undefined ? undefined : view.firstMatch(s.pattern);
}

function testCount(n: CountCheck, view: KeyView): boolean {
  const values = view.captures(n.pattern);
  if (values.length === 0) return false;
  return testNumber(n.test, countValue(n, values));
}

function countValue(n: CountCheck, values: number[]): number {
  if (n.of === 'count') return values.length;
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

export function testNumber(t: NumberTest, value: number): boolean {
  if (t.eq !== undefined && value !== t.eq) return false;
  if (t.in !== undefined && !t.in.includes(value)) return false;
  if (t.min !== undefined && value < t.min) return false;
  if (t.max !== undefined && value > t.max) return false;
  return true;
}
