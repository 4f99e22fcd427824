import type { MetadataValue } from '../formats/types.js';
import type { MetadataRule, RuleSet } from './ruleset.js';
import type { Evidence } from './types.js';

/**
 * Evidence from header metadata (safetensors `__metadata__`, GGUF KVs, torch non-tensor
 * entries). For each present key its rules run highest priority first; each that matches (and
 * whose when/unless hold) fires, until one marked `stop` does. `$1`… in base and variant take
 * the pattern's capture groups, lower-cased.
 */
export function detectMetadata(metadata: Record<string, MetadataValue>, rules: RuleSet, weight: number): Evidence[] {
  const out: Evidence[] = [];
  const text = (key: string): string | undefined => {
    const v = metadata[key];
    return v === undefined ? undefined : valueText(v);
  };
  for (const [key, list] of rules.metadata) {
    const value = text(key);
    if (value === undefined) continue;
    for (const rule of list) {
      const m = rule.re === undefined ? [] : rule.re.exec(value);
      if (m === null || !conditionsHold(rule, text)) continue;
      out.push(toEvidence(rule, key, value, m, weight));
      if (rule.stop) break;
    }
  }
  return out;
}

function conditionsHold(rule: MetadataRule, text: (key: string) => string | undefined): boolean {
  const holds = (t: { key: string; re?: RegExp }): boolean => {
    const v = text(t.key);
    return v !== undefined && (t.re === undefined || t.re.test(v));
  };
  return rule.when.every(holds) && !rule.unless.some(holds);
}

function toEvidence(rule: MetadataRule, key: string, value: string, m: RegExpExecArray | never[], weight: number): Evidence {
  const fill = (s: string): string => s.replace(/\$([1-9])/g, (_x, n: string) => (m[Number(n)] ?? '').toLowerCase());
  const shown = m.length > 0 && value.length > 80 ? `contains "${(m as RegExpExecArray)[0]}"` : `= ${value.length > 80 ? `${value.slice(0, 77)}...` : value}`;
  const concludes = rule.type !== undefined || rule.base !== undefined || rule.variant !== undefined;
  const e: Evidence = { method: 'metadata', observed: `${key} ${shown}`, weight: concludes ? weight * rule.weight : 0, rule: rule.id };
  if (rule.type !== undefined) e.type = rule.type;
  const base = rule.base === undefined ? '' : fill(rule.base);
  if (base !== '') e.base = base;
  const variant = rule.variant === undefined ? '' : fill(rule.variant);
  if (variant !== '') e.variant = variant;
  return e;
}

/** A metadata value as text: arrays joined with ',', summarised arrays left out. */
function valueText(v: MetadataValue): string | undefined {
  if (Array.isArray(v)) return v.map((x) => valueText(x) ?? '').join(',');
  if (typeof v === 'object') return undefined;
  return String(v);
}
