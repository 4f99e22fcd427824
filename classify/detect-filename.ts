import type { RuleSet } from './ruleset.js';
import type { Evidence } from './types.js';

/**
 * Evidence from the file's name: every filename rule whose token or pattern occurs in the last
 * path segment (case-insensitive). A rule with no conclusion (a quantisation token) yields an
 * informational evidence of weight 0.
 */
export function detectFilename(fileName: string, rules: RuleSet, weight: number): Evidence[] {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const out: Evidence[] = [];
  for (const rule of rules.filenames) {
    const m = rule.re.exec(name);
    if (m === null) continue;
    const concludes = rule.type !== undefined || rule.base !== undefined || rule.variant !== undefined;
    const e: Evidence = {
      method: 'filename',
      observed: `"${m[0]}" in filename ${name}`,
      weight: concludes ? weight * rule.weight : 0,
      rule: rule.id,
    };
    if (rule.type !== undefined) e.type = rule.type;
    if (rule.base !== undefined) e.base = rule.base;
    if (rule.variant !== undefined) e.variant = rule.variant;
    out.push(e);
  }
  return out;
}
