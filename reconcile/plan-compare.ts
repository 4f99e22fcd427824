import { ModelHubError } from '../core/errors.js';
import type { Plan } from './plan-types.js';

/** What two plans would do differently, each action in words (`create PATH -> TEXT`, `rmdir PATH`, …). */
export interface PlanDifference {
  onlySaved: string[];
  onlyFresh: string[];
}

/**
 * Compare what a saved plan would do with what a fresh plan of the same inputs does: every
 * change (action, path, link text), every folder removal, every override update and every
 * file action (action, path, the SHA-256 of the text written or removed). Nothing
 * else of the saved file counts, since apply carries out the fresh plan: a saved plan is only
 * the user's approval of exactly these actions. Empty lists: the same actions.
 */
export function comparePlans(saved: Plan, fresh: Plan): PlanDifference {
  const a = describeActions(saved);
  const b = describeActions(fresh);
  return { onlySaved: without(a, b), onlyFresh: without(b, a) };
}

function describeActions(plan: Plan): string[] {
  const out: string[] = [];
  for (const c of plan.changes) out.push(`${c.action} ${c.path}${'linkTarget' in c ? ` -> ${c.linkTarget}` : ''}`);
  for (const d of plan.dirs) out.push(`rmdir ${d.path}`);
  for (const o of plan.overrides) out.push(`override ${o.action} ${o.model.hash} ${JSON.stringify(o.set ?? null)}`);
  for (const f of plan.files) out.push(`${f.action} ${f.path} (sha256 ${f.sha256})`);
  return out;
}

/** The entries of `a` not matched one for one in `b` (a multiset difference), in `a`'s order. */
function without(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  return a.filter((x) => {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    return n === 0;
  });
}

/**
 * Refuse a saved plan unless a fresh plan of the same hub and inputs would do exactly what it
 * says: stale when the inputs changed since it was made (fingerprint), mismatched when its
 * actions differ from the fresh plan's (a hand edit, or target folders changed since).
 */
export function assertSavedPlanCurrent(saved: Plan & { hub: string; savedAt: string }, fresh: Plan, where: { file: string; hub: string }): void {
  const again = `run \`modelhub plan --out ${where.file}\` again, review it, then \`modelhub apply ${where.file}\``;
  if (saved.fingerprint !== fresh.fingerprint || saved.hub !== where.hub) {
    throw new ModelHubError('PLAN_STALE', `the saved plan ${where.file} is stale: the manifests, the inventory or the recorded links changed since it was made (${saved.savedAt})`, { path: where.file, hint: again });
  }
  const diff = comparePlans(saved, fresh);
  if (diff.onlySaved.length === 0 && diff.onlyFresh.length === 0) return;
  const lines = [...diff.onlySaved.map((d) => `  only in the saved plan: ${d}`), ...diff.onlyFresh.map((d) => `  only in the fresh plan: ${d}`)];
  throw new ModelHubError('PLAN_MISMATCH', `the saved plan ${where.file} does not match a fresh plan; nothing was changed:\n${lines.slice(0, 20).join('\n')}${lines.length > 20 ? `\n  … ${lines.length - 20} more` : ''}`, {
    path: where.file,
    hint: again,
    details: diff,
  });
}
