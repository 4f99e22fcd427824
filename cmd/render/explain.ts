import type { ChalkInstance } from 'chalk';
import { forTerminal } from '../../core/terminal-text.js';
import type { Explanation } from '../../store/explain.js';
import { formatConfidence } from '../format.js';
import { renderEvidence } from './evidence.js';

/** `modelhub explain`: the decision, the evidence and candidates, CivitAI, and what would change it. */
export function renderExplanation(result: Explanation, chalk: ChalkInstance, opts: { online: boolean }): string {
  const v = forTerminal(result);
  const lines = [
    `${chalk.bold(v.name)}  ${chalk.dim(v.hash.slice(0, 12))}`,
    `  is ${chalk.bold(`${v.decision.type}${v.decision.variant ? ` (${v.decision.variant})` : ''}`)}, base ${chalk.bold(v.decision.base)}, confidence ${formatConfidence(v.decision.confidence)}` +
      (v.override === null ? '' : chalk.cyan(`  — set by an Override (${v.override.origin})`)),
  ];
  if (v.error !== null) lines.push(`  ${chalk.red('cannot classify again:')} ${v.error}`);
  if (v.classifier !== null) {
    const k = v.classifier;
    if (v.override !== null) lines.push(`  the classifier alone says ${k.type}/${k.base}${k.variant ? `/${k.variant}` : ''} (${formatConfidence(k.confidence)})`);
    lines.push('', chalk.bold('evidence'), renderEvidence(v.evidence, chalk));
    lines.push('', chalk.bold('candidates'), ...v.candidates.map((x) => `  ${`${x.type}/${x.base}`.padEnd(32)} ${formatConfidence(x.score)}`));
  }
  lines.push('', chalk.bold('CivitAI'), `  ${describeCivitai(v.civitai, opts.online)}`);
  lines.push('', chalk.bold('what would change it'), ...v.whatWouldChangeIt.map((a) => `  - ${a}`));
  return lines.join('\n');
}

function describeCivitai(c: { status: string; url?: string; error?: string } | null, online: boolean): string {
  if (c === null) return 'not asked';
  switch (c.status) {
    case 'found':
      return `found: ${c.url ?? ''}`;
    case 'not-found':
      return 'not on CivitAI (by SHA-256 or AutoV3)';
    case 'error':
      return `lookup failed: ${c.error ?? ''}`;
    default:
      return online ? 'not asked' : 'not asked (offline; nothing cached)';
  }
}
