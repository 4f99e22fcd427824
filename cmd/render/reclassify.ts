import type { ChalkInstance } from 'chalk';
import { forTerminal } from '../../core/terminal-text.js';
import type { StoredClassification } from '../../store/reclassify.js';
import { formatConfidence } from '../format.js';

/**
 * The human view of `reclassify`, in three parts printed in this order: one line per model that
 * changed or failed (stdout; empty when none), a warning about failed CivitAI lookups (stderr;
 * empty when none), and the summary line (stdout).
 */
export function renderReclassify(
  input: StoredClassification[],
  opts: { overridden: ReadonlySet<string>; dryRun: boolean; offline: boolean },
  chalk: ChalkInstance,
): { changes: string; warning: string; summary: string } {
  const results = forTerminal(input);
  const show = (s: StoredClassification['before']): string => `${s.type}/${s.base}${s.variant ? `/${s.variant}` : ''} (${formatConfidence(s.confidence)})`;
  const changed = results.filter((r) => r.changed);
  const failed = results.filter((r) => r.error !== undefined);
  const lines: string[] = [];
  for (const r of changed) {
    const note = opts.overridden.has(r.hash) ? chalk.dim('  (an Override keeps it in the inventory as the manifests say)') : '';
    lines.push(`${chalk.yellow('~')} ${r.hash.slice(0, 12)}  ${r.name}: ${show(r.before)} → ${chalk.bold(show(r.after))}${note}`);
  }
  for (const r of failed) lines.push(`${chalk.red('!')} ${r.hash.slice(0, 12)}  ${r.name}: ${r.error}`);
  // A failed lookup of a model with a cached answer still has status found/not-found, and an error.
  const civitaiErrors = results.filter((r) => r.civitai.error !== undefined);
  let warning = '';
  if (civitaiErrors.length > 0) {
    const n = civitaiErrors.length;
    const kept = civitaiErrors.filter((r) => r.civitai.status !== 'error').length;
    const note = kept === 0 ? '' : `, ${kept === n ? '' : `${kept} `}classified with the cached answer${kept === 1 ? '' : 's'}`;
    warning = `${chalk.yellow('warning:')} CivitAI lookups failed for ${n} model${n === 1 ? '' : 's'}${note}: ${civitaiErrors[0]?.civitai.error ?? ''}`;
  }
  const verb = opts.dryRun ? 'would change' : 'changed';
  const summary = `Reclassified ${results.length} models: ${changed.length} ${verb}, ${failed.length} failed${opts.offline ? ' (offline: CivitAI answers from the cache only)' : ''}.`;
  return { changes: lines.join('\n'), warning, summary };
}
