import type { ChalkInstance } from 'chalk';
import type { DeletePlan, RestorePlan } from '../../store/delete.js';
import { shortHash } from '../removal.js';
import { renderGcPlan } from './gc.js';
import { forTerminal } from '../../core/terminal-text.js';

/** The human view of a delete: what is marked, what deployments lose, and (--hard) the store removal. */
export function renderDeletePlan(input: DeletePlan, chalk: ChalkInstance): string {
  const plan = forTerminal(input);
  const lines: string[] = [];
  for (const m of plan.mark) lines.push(`${chalk.red('delete')}  ${chalk.dim(shortHash(m.hash))}  ${m.name}`);
  for (const m of plan.already) lines.push(`${chalk.dim('already deleted')}  ${chalk.dim(shortHash(m.hash))}  ${m.name}`);
  if (plan.undeploy.length > 0) {
    lines.push('', `The next \`modelhub apply\` removes ${plan.undeploy.length} deployment link${plan.undeploy.length === 1 ? '' : 's'} (run \`modelhub plan\` to see):`);
    for (const l of plan.undeploy) lines.push(`  ${l.target}  ${l.path}`);
  }
  if (plan.hard !== null) lines.push('', renderGcPlan(plan.hard, chalk, { command: 'modelhub delete --hard' }));
  return lines.join('\n');
}

export function renderRestorePlan(input: RestorePlan, chalk: ChalkInstance): string {
  const plan = forTerminal(input);
  const lines: string[] = [];
  for (const m of plan.restore) lines.push(`${chalk.green('restored')}  ${chalk.dim(shortHash(m.hash))}  ${m.name}`);
  for (const m of plan.notDeleted) lines.push(`${chalk.dim('not deleted')}  ${chalk.dim(shortHash(m.hash))}  ${m.name}`);
  for (const m of plan.missing) lines.push(`${chalk.red('cannot restore')}  ${chalk.dim(shortHash(m.hash))}  ${m.name}: its store file ${m.path} is gone`);
  if (plan.restore.length > 0) lines.push('', 'Run `modelhub plan` to see where the next apply deploys them again.');
  return lines.join('\n');
}
