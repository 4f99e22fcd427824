import type { ChalkInstance } from 'chalk';
import type { EvidenceRow } from '../../store/inventory.js';
import { forTerminal } from '../../core/terminal-text.js';

export type EvidenceLike = Pick<EvidenceRow, 'method' | 'observed' | 'type' | 'base' | 'variant' | 'weight'>;

/** One line per piece of evidence: method, what it concluded, weight, and what it saw. */
export function renderEvidence(input: EvidenceLike[], chalk: ChalkInstance): string {
  const evidence = forTerminal(input);
  if (evidence.length === 0) return '  (none)';
  return evidence
    .map((e) => {
      const concluded = [e.type, e.base, e.variant].filter((x) => x !== null && x !== undefined && x !== '').join(' / ') || '-';
      return `  ${e.method.padEnd(9)} ${concluded.padEnd(28)} ${chalk.dim(`w=${e.weight.toFixed(2)}`)}  ${e.observed}`;
    })
    .join('\n');
}
