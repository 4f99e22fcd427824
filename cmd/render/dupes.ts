import type { ChalkInstance } from 'chalk';
import type { DupesReport } from '../../store/dupes.js';
import { formatBytes } from '../format.js';
import { shortHash } from '../removal.js';
import { forTerminal } from '../../core/terminal-text.js';

/** The human view of `dupes`: three groups, each with the bytes it saves or wastes. */
export function renderDupes(input: DupesReport, chalk: ChalkInstance): string {
  const r = forTerminal(input);
  const lines: string[] = [];
  if (r.sourcePaths.length > 0) {
    lines.push(chalk.bold('Found at several paths (one store entry each)'));
    for (const g of r.sourcePaths) {
      const money = [g.savedBytes > 0 ? `saves ${formatBytes(g.savedBytes)}` : '', g.wastedBytes > 0 ? chalk.yellow(`wastes ${formatBytes(g.wastedBytes)} in copies`) : ''].filter((s) => s !== '').join(', ');
      lines.push(`  ${chalk.dim(shortHash(g.hash))}  ${g.name}  ${formatBytes(g.size)}${money === '' ? '' : `  ${money}`}`);
      for (const p of g.paths) lines.push(`      ${p.path}  ${chalk.dim(p.state)}`);
    }
    lines.push('');
  }
  if (r.sameWeights.length > 0) {
    lines.push(chalk.bold('Same weights, different files (same AutoV3; only the header differs)'));
    for (const g of r.sameWeights) {
      lines.push(`  AutoV3 ${g.autov3.slice(0, 12).toUpperCase()}  ${chalk.yellow(`wastes ${formatBytes(g.wastedBytes)}`)}`);
      for (const m of g.models) lines.push(`      ${chalk.dim(shortHash(m.hash))}  ${m.name}  ${formatBytes(m.size)}`);
    }
    lines.push('');
  }
  if (r.sameName.length > 0) {
    lines.push(chalk.bold('Same name, different content (informative)'));
    for (const g of r.sameName) {
      lines.push(`  ${g.name}`);
      for (const m of g.models) lines.push(`      ${chalk.dim(shortHash(m.hash))}  ${m.name}  ${formatBytes(m.size)}`);
    }
    lines.push('');
  }
  if (lines.length === 0) return 'No duplicates.';
  lines.push(`Deduplication saves ${formatBytes(r.savedBytes)}; duplicates still waste ${formatBytes(r.wastedBytes)}.`);
  if (r.sameWeights.length > 0) lines.push(chalk.dim('To keep one file of a same-weights group: `modelhub delete MODEL`, `modelhub apply`, then `modelhub gc`.'));
  return lines.join('\n');
}
