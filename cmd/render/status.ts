import type { ChalkInstance } from 'chalk';
import type { Plan } from '../../reconcile/plan-types.js';
import type { TargetStatus } from '../../reconcile/status.js';
import { renderTable } from '../format.js';
import { renderConflict } from './plan.js';
import { forTerminal } from '../../core/terminal-text.js';

const MAX_LISTED = 10;

/** The human view of `status`: one table row per target, then what needs attention. */
export function renderStatus(input: TargetStatus[], plan: Plan, chalk: ChalkInstance): string {
  const targets = forTerminal(input);
  if (targets.length === 0) return 'No targets. Add a Target document to the manifests (`modelhub init` copies the defaults).';
  const rows = targets.map((t) => [
    t.name,
    t.enabled === null ? 'removed' : t.enabled ? 'enabled' : 'disabled',
    String(t.declared),
    String(t.inSync),
    String(t.missing),
    String(t.drifted),
    String(t.extra),
    String(t.conflicts),
    String(t.broken.length),
    String(t.unselected.length),
  ]);
  const table = renderTable(
    [
      { header: 'TARGET' },
      { header: 'STATE' },
      { header: 'DECLARED', align: 'right' },
      { header: 'IN SYNC', align: 'right' },
      { header: 'MISSING', align: 'right' },
      { header: 'DRIFTED', align: 'right' },
      { header: 'EXTRA', align: 'right' },
      { header: 'CONFLICTS', align: 'right' },
      { header: 'BROKEN', align: 'right' },
      { header: 'UNSELECTED', align: 'right' },
    ],
    rows,
    (col, row, text) => {
      const t = targets[row];
      if (t === undefined) return text;
      if (col === 1) return t.enabled === true ? chalk.green(text) : chalk.dim(text);
      if ((col === 4 || col === 5 || col === 6) && text.trim() !== '0') return chalk.yellow(text);
      if ((col === 7 || col === 8) && text.trim() !== '0') return chalk.red(text);
      return text;
    },
  );
  const lines = [table];
  for (const t of targets) {
    const conflicts = plan.conflicts.filter((c) => c.target === t.name);
    if (conflicts.length === 0 && t.broken.length === 0 && t.unselected.length === 0 && t.unmapped.length === 0 && t.notes.length === 0 && t.extraModelPaths === undefined) continue;
    lines.push('', chalk.bold(`${t.name}`) + chalk.dim(`  ${t.root}`));
    if (t.extraModelPaths !== undefined) {
      const when = t.extraModelPaths.pending ? 'apply will change it; restart ComfyUI after that' : 'restart ComfyUI after an apply that changes it';
      lines.push(`  ${chalk.yellow('extra model paths')} ${t.extraModelPaths.path}: ComfyUI reads it only when it starts (with --extra-model-paths-config ${t.extraModelPaths.path}); ${when}`);
    }
    for (const c of conflicts.slice(0, MAX_LISTED)) lines.push(...renderConflict(c, chalk));
    for (const b of t.broken.slice(0, MAX_LISTED)) lines.push(`  ${chalk.red('broken link')} ${b}`);
    if (t.unselected.length > 0) {
      const names = t.unselected.slice(0, MAX_LISTED).map((m) => `${m.name} (${m.type})`);
      lines.push(`  ${chalk.dim('not selected by any deployment:')} ${names.join(', ')}${t.unselected.length > MAX_LISTED ? `, … ${t.unselected.length - MAX_LISTED} more (--json lists all)` : ''}`);
    }
    for (const m of t.unmapped.slice(0, MAX_LISTED)) lines.push(`  ${chalk.dim('selected, but lands nowhere:')} ${m.name} (${m.type}): ${m.reason}`);
    if (t.unmapped.length > MAX_LISTED) lines.push(`  ${chalk.dim(`… ${t.unmapped.length - MAX_LISTED} more selected models land nowhere (--json lists all)`)}`);
    for (const n of t.notes) {
      lines.push(`  ${n.level === 'warning' ? chalk.yellow('warning') : chalk.dim('note')} ${n.message}`);
      lines.push(...n.paths.slice(0, MAX_LISTED).map((p) => `    ${p}`));
      if (n.paths.length > MAX_LISTED) lines.push(chalk.dim(`    … ${n.paths.length - MAX_LISTED} more (--json lists all)`));
    }
  }
  const s = plan.summary;
  const pending = s.create + s.replace + s.delete + s.adopt + s.forget + s.dirs + s.overrides + s.files;
  lines.push('', pending === 0 && s.conflict === 0 ? chalk.green('In sync with the manifests.') : `Run ${chalk.bold('modelhub plan')} to see the ${pending} pending change${pending === 1 ? '' : 's'}${s.conflict > 0 ? ` and ${s.conflict} conflict${s.conflict === 1 ? '' : 's'}` : ''}.`);
  return lines.join('\n');
}
