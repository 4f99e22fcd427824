import type { ChalkInstance } from 'chalk';
import type { PrunePlan, PruneResult } from '../../reconcile/prune.js';
import { forTerminal } from '../../core/terminal-text.js';

/** The human view of a prune plan: what is removed, what is only listed. */
export function renderPrunePlan(input: PrunePlan, chalk: ChalkInstance): string {
  const plan = forTerminal(input);
  const lines: string[] = [];
  if (plan.links.length + plan.linkBacks.length > 0) {
    lines.push('modelhub prune will remove these symlinks (they free no model bytes; the store is untouched):', '');
    for (const l of plan.links) lines.push(`  ${chalk.red('-')} ${l.path}  ${chalk.dim(`owned link of target ${l.target} to ${l.name}; its store file is gone`)}`);
    for (const b of plan.linkBacks) {
      const why = b.reason === 'model-deleted' ? `link-back to ${b.name}, which is deleted` : `link-back to ${b.name}; its store file is gone`;
      lines.push(`  ${chalk.red('-')} ${b.path}  ${chalk.dim(why)}`);
    }
    lines.push('');
  }
  if (plan.foreign.length > 0) {
    lines.push(chalk.yellow('Broken symlinks ModelHub did not make (listed, never removed):'));
    for (const f of plan.foreign) lines.push(`  ${chalk.yellow('!')} ${f.path} -> ${f.text}`);
    lines.push('');
  }
  const n = plan.links.length + plan.linkBacks.length;
  lines.push(n === 0 ? 'Nothing to prune.' : chalk.bold(`This will remove ${n} symlink${n === 1 ? '' : 's'} (${plan.links.length} deployment link${plan.links.length === 1 ? '' : 's'}, ${plan.linkBacks.length} link-back${plan.linkBacks.length === 1 ? '' : 's'}).`));
  return lines.join('\n');
}

export function renderPruneResult(input: PruneResult, chalk: ChalkInstance): string {
  const r = forTerminal(input);
  const lines = r.skipped.map((s) => `${chalk.yellow('skipped')} ${s.path}: ${s.why}`);
  lines.push(`${chalk.green.bold('Pruned')} ${r.removedLinks.length} deployment link${r.removedLinks.length === 1 ? '' : 's'} and ${r.removedLinkBacks.length} link-back${r.removedLinkBacks.length === 1 ? '' : 's'}.`);
  return lines.join('\n');
}
