import type { ChalkInstance } from 'chalk';

export interface EvidenceLike {
  method: string;
  observed: string;
  type?: string | null | undefined;
  base?: string | null | undefined;
  variant?: string | null | undefined;
  weight: number;
}

/** One line per piece of evidence: method, what it concluded, weight, and what it saw. */
export function renderEvidence(evidence: EvidenceLike[], chalk: ChalkInstance): string {
  if (evidence.length === 0) return '  (none)';
  return evidence
    .map((e) => {
      const concluded = [e.type, e.base, e.variant].filter((x) => x !== null && x !== undefined && x !== '').join(' / ') || '-';
      return `  ${e.method.padEnd(9)} ${concluded.padEnd(28)} ${chalk.dim(`w=${e.weight.toFixed(2)}`)}  ${e.observed}`;
    })
    .join('\n');
}
