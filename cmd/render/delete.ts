import type { ChalkInstance } from 'chalk';
import type { DeletePlan, RestorePlan } from '../../store/delete.js';
import type { GcResult } from '../../store/gc.js';
import { shortHash } from '../removal.js';
import { renderGcPlan, renderGcResult } from './gc.js';
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

/** After a delete: how many were marked, and (--hard) what gc removed from the store. */
export function renderDeleteResult(plan: DeletePlan, removed: GcResult | null, chalk: ChalkInstance): string {
  const lines: string[] = [];
  if (plan.mark.length > 0) lines.push(`\n${chalk.green.bold('Deleted')} ${plan.mark.length} model${plan.mark.length === 1 ? '' : 's'} (reversible with \`modelhub restore\` until removed from the store).`);
  if (removed !== null) lines.push(renderGcResult(removed, chalk));
  return lines.join('\n');
}

/** For stderr, when --hard removed some models from the store but not all: the error and its hint. */
export function renderHardRefusal(refused: number, chalk: ChalkInstance): string {
  return [
    `${chalk.red('error:')} ${refused} model${refused === 1 ? ' was' : 's were'} not removed from the store (see above); ${refused === 1 ? 'it stays' : 'they stay'} soft-deleted`,
    'hint: run `modelhub apply` to undeploy, remove the link-backs (`modelhub prune`), then `modelhub gc`',
  ].join('\n');
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
