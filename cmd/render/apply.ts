import type { ChalkInstance } from 'chalk';
import type { ApplyResult } from '../../reconcile/apply.js';
import type { Plan } from '../../reconcile/plan-types.js';

/** `Apply complete! 2 linked, 0 relinked, 1 removed, 1 override recorded.` (the plan itself renders through ./plan.ts). */
export function renderApplyResult(r: ApplyResult, plan: Plan, chalk: ChalkInstance): string {
  const parts = [`${r.created.length} linked`, `${r.replaced.length} relinked`, `${r.deleted.length} removed`];
  if (r.adopted.length > 0) parts.push(`${r.adopted.length} adopted`);
  if (r.forgotten.length > 0) parts.push(`${r.forgotten.length} record${r.forgotten.length === 1 ? '' : 's'} forgotten`);
  if (plan.overrides.length > 0) parts.push(`${plan.overrides.length} override${plan.overrides.length === 1 ? '' : 's'} recorded`);
  return `${chalk.green.bold('Apply complete!')} ${parts.join(', ')}.`;
}
