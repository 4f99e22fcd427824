import type { ChalkInstance } from 'chalk';
import type { ApplyResult } from '../../reconcile/apply.js';
import type { Plan } from '../../reconcile/plan-types.js';

/** `Apply complete! 2 linked, 0 relinked, 1 removed, 4 companion files linked, 1 override recorded.` (the plan itself renders through ./plan.ts). */
export function renderApplyResult(input: ApplyResult, plan: Plan, chalk: ChalkInstance): string {
  const companions = new Set(plan.changes.filter((c) => c.companionOf !== undefined).map((c) => c.path));
  const { links: r, companions: c } = splitCompanions(input, companions);
  const parts = [`${r.created.length} linked`, `${r.replaced.length} relinked`, `${r.deleted.length} removed`];
  if (r.adopted.length > 0) parts.push(`${r.adopted.length} adopted`);
  if (r.forgotten.length > 0) parts.push(`${r.forgotten.length} record${r.forgotten.length === 1 ? '' : 's'} forgotten`);
  const made = c.created + c.replaced + c.adopted;
  const gone = c.deleted + c.forgotten;
  if (made > 0) parts.push(`${made} companion file${made === 1 ? '' : 's'} linked`);
  if (gone > 0) parts.push(`${gone} companion file${gone === 1 ? '' : 's'} unlinked`);
  if (r.filesWritten.length > 0) parts.push(`${r.filesWritten.length} file${r.filesWritten.length === 1 ? '' : 's'} written`);
  if (r.filesRemoved.length > 0) parts.push(`${r.filesRemoved.length} file${r.filesRemoved.length === 1 ? '' : 's'} removed`);
  if (plan.overrides.length > 0) parts.push(`${plan.overrides.length} override${plan.overrides.length === 1 ? '' : 's'} recorded`);
  const restart = r.filesWritten.length + r.filesRemoved.length > 0 ? `\n${chalk.yellow('ComfyUI reads its extra model paths only when it starts: restart it to see the change.')}` : '';
  return `${chalk.green.bold('Apply complete!')} ${parts.join(', ')}.${restart}`;
}

/** The result's link lists without the companion links, and how many companion paths each list held. */
function splitCompanions(r: ApplyResult, companions: Set<string>): { links: ApplyResult; companions: Record<'created' | 'replaced' | 'deleted' | 'adopted' | 'forgotten', number> } {
  const keys = ['created', 'replaced', 'deleted', 'adopted', 'forgotten'] as const;
  const links = { ...r };
  const counts = { created: 0, replaced: 0, deleted: 0, adopted: 0, forgotten: 0 };
  for (const k of keys) {
    links[k] = r[k].filter((p) => !companions.has(p));
    counts[k] = r[k].length - links[k].length;
  }
  return { links, companions: counts };
}
