import type { ChalkInstance } from 'chalk';
import type { HashFilesPlan, HashFilesResult } from '../../store/hashfiles.js';
import { forTerminal } from '../../core/terminal-text.js';

/** The human view of `hashes`: files to write, files already right, conflicts, skipped paths. */
export function renderHashFilesPlan(input: HashFilesPlan, chalk: ChalkInstance): string {
  const plan = forTerminal(input);
  const lines: string[] = [];
  if (plan.write.length > 0) {
    lines.push('modelhub hashes will write:', '');
    for (const w of plan.write) lines.push(`  ${chalk.green(w.how === 'new' ? '+' : '~')} ${w.hashFile}`);
    lines.push('');
  }
  if (plan.conflicts.length > 0) {
    lines.push(chalk.yellow('Left alone (something else is there; never overwritten):'));
    for (const c of plan.conflicts) lines.push(`  ${chalk.yellow('!')} ${c.hashFile}: ${c.found}`);
    lines.push('');
  }
  if (plan.skipped.length > 0) {
    lines.push(chalk.dim('Skipped:'));
    for (const s of plan.skipped) lines.push(chalk.dim(`  ${s.path}: ${s.why}`));
    lines.push('');
  }
  lines.push(`${plan.write.length} to write, ${plan.unchanged.length} already up to date, ${plan.conflicts.length} conflict${plan.conflicts.length === 1 ? '' : 's'}.`);
  return lines.join('\n');
}

export function renderHashFilesResult(input: HashFilesResult, chalk: ChalkInstance): string {
  const r = forTerminal(input);
  const lines = r.skipped.map((p) => `${chalk.yellow('skipped')} ${p}: changed since the plan was shown`);
  lines.push(`${chalk.green.bold('Wrote')} ${r.written.length} hash file${r.written.length === 1 ? '' : 's'}. Check them without ModelHub: cd FOLDER && sha256sum -c FILE.sha256`);
  return lines.join('\n');
}
