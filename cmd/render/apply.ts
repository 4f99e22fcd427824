import type { ChalkInstance } from 'chalk';
import type { ApplyResult } from '../../reconcile/apply.js';
import type { Plan } from '../../reconcile/plan-types.js';

/** `Apply complete! 2 linked, 0 relinked, 1 removed, 1 override recorded.` (the plan itself renders through ./plan.ts). */
export function renderApplyResult(r: ApplyResult, plan: Plan, chalk: ChalkInstance): string {
  const parts = [`${r.created.length} linked`, `${r.replaced.length} relinked`, `${r.deleted.length} removed`];
  if (r.adopted.length > 0) parts.push(`${r.adopted.length} adopted`);
  if (r.forgotten.length > 0) parts.push(`${r.forgotten.length} record${r.forgotten.length === 1 ? '' : 's'} forgotten`);
  if (r.filesWritten.length > 0) parts.push(`${r.filesWritten.length} file${r.filesWritten.length === 1 ? '' : 's'} written`);
  if (r.filesRemoved.length > 0) parts.push(`${r.filesRemoved.length} file${r.filesRemoved.length === 1 ? '' : 's'} removed`);
  if (plan.overrides.length > 0) parts.push(`${plan.overrides.length} override${plan.overrides.length === 1 ? '' : 's'} recorded`);
  const restart = r.filesWritten.length + r.filesRemoved.length > 0 ? `\n${chalk.yellow('ComfyUI reads its extra model paths only when it starts: restart it to see the change.')}` : '';
  return `${chalk.green.bold('Apply complete!')} ${parts.join(', ')}.${restart}`;
}
