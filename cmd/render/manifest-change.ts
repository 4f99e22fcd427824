import type { ChalkInstance } from 'chalk';
import { escapeTerminalOutput } from '../../core/terminal-text.js';

/** What `deploy`, `undeploy` and `rename` did to the manifests, before the plan that follows. */
export interface ManifestChangeView {
  /** The unified diff of every file rewritten, as lines (reconcile/manifest-edit-io.ts manifestEditDiff). */
  diff: string[];
  /** The files written, absolute. */
  written: string[];
  /** What needed no edit. */
  notes: string[];
}

/** The diff (added lines green, removed red, hunk headers cyan), then which files were written, then the notes. */
export function renderManifestChange(v: ManifestChangeView, chalk: ChalkInstance): string {
  const lines = v.diff.map((l) => {
    const text = escapeTerminalOutput(l);
    if (l.startsWith('+++') || l.startsWith('---')) return chalk.bold(text);
    if (l.startsWith('+')) return chalk.green(text);
    if (l.startsWith('-')) return chalk.red(text);
    if (l.startsWith('@@')) return chalk.cyan(text);
    return text;
  });
  if (v.written.length > 0) lines.push(`Wrote ${v.written.map(escapeTerminalOutput).join(', ')}.`);
  else lines.push('The manifests already say so; nothing was written.');
  for (const n of v.notes) lines.push(chalk.yellow(`note: ${escapeTerminalOutput(n)}`));
  return lines.join('\n');
}

/** After the plan: how to carry it out, unless it was. */
export function renderApplyAdvice(command: string): string {
  return `Run \`modelhub apply\` to make the target folders match (or \`${command} … --apply\` next time).`;
}
