import type { ChalkInstance } from 'chalk';
import { escapeMessage, forTerminal } from '../../core/terminal-text.js';
import { formatProblems, type YamlProblem } from '../../core/yaml.js';

/** How many documents of each kind valid manifests hold, and in how many files. */
export interface ManifestCounts {
  files: number;
  targets: number;
  deployments: number;
  overrides: number;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `Manifests valid: 2 targets, 1 deployment, 0 overrides in 3 files (DIR).` */
export function renderManifestsValid(counts: ManifestCounts, dir: string, chalk: ChalkInstance): string {
  return `${chalk.green('Manifests valid:')} ${plural(counts.targets, 'target')}, ${plural(counts.deployments, 'deployment')}, ${plural(counts.overrides, 'override')} in ${plural(counts.files, 'file')} (${forTerminal(dir)}).`;
}

/** Every problem as `file:line:col: message`, grouped by file, then how many in how many files. */
export function renderManifestProblems(problems: YamlProblem[], chalk: ChalkInstance): string {
  const files = new Set(problems.map((p) => p.file)).size;
  return `${escapeMessage(formatProblems(problems))}\n${chalk.red(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file(s).`)}`;
}
