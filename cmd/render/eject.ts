import type { ChalkInstance } from 'chalk';
import { formatBytes } from '../../core/human-units.js';
import { forTerminal } from '../../core/terminal-text.js';
import type { EjectPlan } from '../../reconcile/eject.js';

const WAS: Record<EjectPlan['items'][number]['was'], string> = { 'link-back': 'link-back', deployed: 'deployed link', both: 'link-back, deployed' };

/**
 * The human view of an eject: each link that becomes a real copy (what it was, the model, its
 * size), what is already an ejected copy, the foreign links in named folders left alone, and
 * the total; `done`: the paths ejected (null: a dry run, nothing done).
 */
export function renderEject(input: EjectPlan, done: string[] | null, chalk: ChalkInstance): string {
  const plan = forTerminal(input);
  const lines: string[] = [];
  const finished = new Set(done ?? []);
  for (const item of plan.items) {
    const sign = done === null ? chalk.cyan('~') : finished.has(item.path) ? chalk.green('✓') : chalk.dim('·');
    lines.push(`${sign} ${item.path}  ${chalk.dim(`${WAS[item.was]} → real copy of ${item.name} ${item.hash.slice(0, 12)}, ${formatBytes(item.size)}`)}`);
  }
  for (const p of plan.alreadyEjected) lines.push(`${chalk.dim('=')} ${p}  ${chalk.dim('already a copy `modelhub eject` made')}`);
  for (const p of plan.skipped) lines.push(`${chalk.dim('-')} ${p}  ${chalk.dim('not a ModelHub link: left alone')}`);
  const n = plan.items.length;
  const links = `${n} link${n === 1 ? '' : 's'}`;
  if (done === null) lines.push(`Would eject ${links} (${formatBytes(plan.bytes)} to copy). Nothing was changed (--dry-run).`);
  else lines.push(`${chalk.green.bold('Ejected')} ${finished.size} of ${links} (${formatBytes(plan.items.filter((i) => finished.has(i.path)).reduce((s, i) => s + i.size, 0))} copied and verified); scans and plans leave the copies alone.`);
  return lines.join('\n');
}
