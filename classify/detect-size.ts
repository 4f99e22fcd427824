import type { RuleSet } from './ruleset.js';
import type { Evidence } from './types.js';

/**
 * The size prior: every size rule whose range holds `size` gives an evidence, the method weight
 * shared among them (a size that fits five ranges says less than one that fits one).
 */
export function detectSize(size: number, rules: RuleSet, weight: number): Evidence[] {
  if (!(size > 0)) return [];
  const hits = rules.sizes.filter((r) => size >= r.minBytes && size <= r.maxBytes);
  return hits.map((r) => {
    const e: Evidence = {
      method: 'size',
      observed: `size ${formatBytes(size)} within ${formatBytes(r.minBytes)}–${formatBytes(r.maxBytes)}`,
      type: r.type,
      weight: (weight * r.weight) / hits.length,
      rule: r.id,
    };
    if (r.base !== undefined) e.base = r.base;
    if (r.variant !== undefined) e.variant = r.variant;
    return e;
  });
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
