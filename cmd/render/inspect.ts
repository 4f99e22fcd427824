import type { ChalkInstance } from 'chalk';
import { forTerminal } from '../../core/terminal-text.js';
import type { InspectResult } from '../../store/inspect-files.js';
import { formatBytes, formatConfidence } from '../format.js';
import { renderEvidence } from './evidence.js';

/** `modelhub inspect`: per file, the classification and what it rests on, or the error with its hint. */
export function renderInspect(results: InspectResult[], chalk: ChalkInstance): string {
  return forTerminal(results).map((r) => renderOne(r, chalk)).join('\n\n');
}

function renderOne(r: InspectResult, chalk: ChalkInstance): string {
  if (r.error) return `${chalk.bold(r.path)}\n  ${chalk.red('error:')} ${r.error.message}${r.error.hint ? `\n  hint: ${r.error.hint}` : ''}`;
  const head = `${chalk.bold(r.path)}\n  ${r.type}${r.variant ? ` (${r.variant})` : ''}  base ${r.base}  confidence ${formatConfidence(r.confidence ?? 0)}`;
  const facts = `  ${r.format} (${r.container}), ${formatBytes(r.size ?? 0)}, ${r.tensors} tensors, ${formatBytes(r.bytesRead ?? 0)} read${r.sha256 ? `, sha256 ${r.sha256.slice(0, 12)}` : ''}`;
  const civitai = r.civitai ? `\n  CivitAI: ${r.civitai.status}${r.civitai.url ? ` ${r.civitai.url}` : ''}${r.civitai.error ? ` (${r.civitai.error})` : ''}` : '';
  const unsafe = r.unsafe ? `\n  ${chalk.yellow('warning:')} unsafe to load: ${r.unsafe.join(', ')} (ModelHub never executes pickles)` : '';
  return `${head}\n${facts}${civitai}${unsafe}\n${renderEvidence(r.evidence ?? [], chalk)}`;
}
