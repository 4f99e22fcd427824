import type { ChalkInstance } from 'chalk';
import type { ScanReport } from '../../store/scan.js';
import type { ScanCivitaiSummary } from '../../store/scan-classify.js';
import { formatBytes } from '../format.js';
import { forTerminal } from '../../core/terminal-text.js';

/** The human summary of a scan: one line per file that changed or failed, then the counts. */
export function renderScanReport(input: ScanReport, opts: { mode: string; dryRun: boolean; chalk: ChalkInstance; quiet: boolean }): string {
  const report = forTerminal(input);
  const { chalk } = opts;
  const lines: string[] = [];
  for (const f of report.files) {
    const what = f.type ? `${f.type}${f.base && f.base !== 'unknown' ? `/${f.base}` : ''}` : '';
    switch (f.outcome) {
      case 'imported':
        if (!opts.quiet) lines.push(`${chalk.green('+')} ${f.path}  ${chalk.dim(`${what} ${formatBytes(f.size ?? 0)}`)}`);
        break;
      case 'duplicate':
        if (!opts.quiet) lines.push(`${chalk.cyan('=')} ${f.path}  ${chalk.dim(`duplicate of ${f.sha256?.slice(0, 12)} ${formatBytes(f.size ?? 0)}`)}`);
        break;
      case 'repaired':
        lines.push(`${chalk.magenta('*')} ${f.path}  ${chalk.dim(`repaired the store from this file ${formatBytes(f.size ?? 0)}`)}`);
        break;
      case 'would-import':
        lines.push(`${chalk.green('+')} ${f.path}  ${chalk.dim(`would import ${formatBytes(f.size ?? 0)}`)}`);
        break;
      case 'skipped':
        if (!opts.quiet) lines.push(`${chalk.yellow('~')} ${f.path}  ${chalk.dim(`skipped: ${f.reason ?? ''}`)}`);
        break;
      case 'failed':
        lines.push(`${chalk.red('!')} ${f.path}  ${chalk.red(withoutPath(f.reason ?? 'failed', f.path))}`);
        break;
      case 'unchanged':
        break;
    }
    if (f.outcome !== 'failed' && f.outcome !== 'skipped' && f.reason) lines.push(`  ${chalk.yellow('warning:')} ${f.reason}`);
  }
  lines.push(...renderCompanions(report.companions, chalk));
  if (opts.dryRun) {
    const n = report.files.filter((f) => f.outcome === 'would-import').length;
    const bytes = report.files.filter((f) => f.outcome === 'would-import').reduce((s, f) => s + (f.size ?? 0), 0);
    lines.push(`Dry run (${opts.mode}): ${n} to import (${formatBytes(bytes)}), ${report.unchanged} unchanged, ${report.skipped} skipped, ${report.failed} failed. Nothing was changed.`);
  } else {
    lines.push(
      `Scan (${opts.mode}): ${report.imported} imported, ${report.duplicates} duplicates, ${report.repaired > 0 ? `${report.repaired} repaired, ` : ''}${report.unchanged} unchanged, ` +
        `${report.skipped} skipped, ${report.failed} failed; ${formatBytes(report.bytesHashed)} hashed.`,
    );
  }
  return lines.join('\n');
}

/** Companion files skipped (one line each, with why), then `Companion files: 3 copied, 1 refreshed …` when any were found. */
function renderCompanions(c: ScanReport['companions'], chalk: ChalkInstance): string[] {
  if (c === undefined || c.copied.length + c.refreshed.length + c.skipped.length === 0) return [];
  const lines = c.skipped.map((s) => `${chalk.yellow('~')} ${s.path}  ${chalk.dim(`companion not copied: ${withoutPath(s.reason, s.path)}`)}`);
  const parts = [`${c.copied.length} copied`, ...(c.refreshed.length > 0 ? [`${c.refreshed.length} refreshed`] : []), ...(c.skipped.length > 0 ? [`${c.skipped.length} skipped`] : [])];
  const bytes = [...c.copied, ...c.refreshed].reduce((n, f) => n + f.size, 0);
  lines.push(`Companion files (previews, metadata): ${parts.join(', ')} (${formatBytes(bytes)} into the store; the originals stay where they are).`);
  return lines;
}

/** What the scan's one batched CivitAI lookup found: `CivitAI: 3 found, 1 not on CivitAI, 1 failed (why).` */
export function renderCivitaiSummary(input: ScanCivitaiSummary): string {
  const c = forTerminal(input);
  return `CivitAI: ${c.found} found, ${c.notFound} not on CivitAI${c.errors > 0 ? `, ${c.errors} failed (${c.firstError ?? ''})` : ''}.`;
}

/** Error messages start with the path they concern; the line already shows it. */
function withoutPath(reason: string, path: string): string {
  return reason.startsWith(`${path}: `) ? reason.slice(path.length + 2) : reason.startsWith(`${path} `) ? reason.slice(path.length + 1) : reason;
}
