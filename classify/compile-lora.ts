import type { RawLoraSettings } from './raw-rules.js';
import type { LoraSettings, LoraSuffix } from './ruleset.js';

/**
 * Merge the `lora:` sections of all files in load order: later scalars and `variant_order`
 * win, prefixes and suffixes are keyed by their text (a later entry replaces an earlier one).
 */
export function compileLoraSettings(sections: RawLoraSettings[]): LoraSettings {
  let priority = 900;
  let minShare = 0.5;
  let variantOrder: string[] = [];
  const ignore = new Set<string>();
  const prefixes = new Map<string, string>();
  const suffixes = new Map<string, LoraSuffix>();
  for (const s of sections) {
    if (s.priority !== undefined) priority = s.priority;
    if (s.min_share !== undefined) minShare = s.min_share;
    if (s.variant_order !== undefined) variantOrder = s.variant_order;
    for (const p of s.ignore_prefixes ?? []) ignore.add(p);
    for (const p of s.prefixes ?? []) prefixes.set(p.prefix, p.component);
    for (const x of s.suffixes ?? []) {
      const entry: LoraSuffix = { suffix: x.suffix, algo: x.algo };
      if (x.in_dim !== undefined) entry.inDim = x.in_dim;
      if (x.out_dim !== undefined) entry.outDim = x.out_dim;
      if (x.rank_dim !== undefined) entry.rankDim = x.rank_dim;
      if (x.in_factor !== undefined) entry.inFactor = x.in_factor;
      if (x.out_factor !== undefined) entry.outFactor = x.out_factor;
      suffixes.set(x.suffix, entry);
    }
  }
  const exact = new Map<string, LoraSuffix>();
  const loose: LoraSuffix[] = [];
  let maxSuffixSegments = 1;
  for (const entry of suffixes.values()) {
    if (!entry.suffix.startsWith('.')) {
      loose.push(entry);
      continue;
    }
    exact.set(entry.suffix, entry);
    maxSuffixSegments = Math.max(maxSuffixSegments, entry.suffix.split('.').length - 1);
  }
  return {
    priority,
    minShare,
    ignorePrefixes: [...ignore],
    prefixes: [...prefixes].map(([prefix, component]) => ({ prefix, component })).sort((a, b) => b.prefix.length - a.prefix.length),
    suffixes: exact,
    maxSuffixSegments,
    looseSuffixes: loose,
    variantOrder,
  };
}
