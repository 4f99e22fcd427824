import type { ChalkInstance } from 'chalk';
import { forTerminal } from '../../core/terminal-text.js';
import { formatBytes, formatConfidence } from '../format.js';
import type { ClassSummary, ModelDetails } from '../../store/model-details-types.js';
import { renderEvidence, type EvidenceLike } from './evidence.js';

/** Everything `show` knows about one model: the --json result, plus when it was soft-deleted. */
export type ShowResult = Pick<ModelDetails, 'hash' | 'autov2' | 'autov3' | 'name' | 'size' | 'format' | 'container' | 'unsafe' | 'deleted' | 'storeFile' | 'paths' | 'metadata'> &
  ClassSummary & { deletedAt: string | null; evidence: EvidenceLike[] };

/** The human view of `show`, from the same result as --json. */
export function renderShow(input: ShowResult, chalk: ChalkInstance): string {
  const v = forTerminal(input);
  const row = (k: string, text: string): string => `${chalk.dim(k.padEnd(12))} ${text}`;
  const lines = [
    chalk.bold(v.name),
    row('hash', v.hash),
    row('autov2', v.autov2 ?? '-'),
    row('autov3', v.autov3 ? v.autov3.slice(0, 12).toUpperCase() : '-'),
    row('size', `${formatBytes(v.size)} (${v.size} bytes)`),
    row('format', `${v.format}${v.container && v.container !== v.format ? ` (${v.container})` : ''}`),
    row('type', `${v.type}${v.variant ? ` (${v.variant})` : ''}`),
    row('base', v.base),
    row('confidence', formatConfidence(v.confidence)),
    row('civitai', describeCivitai(v.metadata)),
    row('store', v.storeFile ?? chalk.red('missing from the store (run `modelhub verify`)')),
  ];
  if (v.unsafe) lines.push(row('warning', chalk.yellow('pickle references code outside what torch uses; ModelHub never executes it')));
  if (v.deleted) lines.push(row('deleted', v.deletedAt ?? 'yes'));
  lines.push('', chalk.bold(`paths (${v.paths.length})`));
  for (const s of v.paths) lines.push(`  ${s.path}  ${chalk.dim(s.state)}`);
  lines.push('', chalk.bold('classification evidence'), renderEvidence(v.evidence, chalk));
  lines.push('', chalk.bold(`metadata (${v.metadata.length})`));
  for (const md of v.metadata) lines.push(`  ${chalk.dim(`${md.source}:`)}${md.key} = ${truncate(md.value ?? 'null', 200)}`);
  return lines.join('\n');
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}… (${s.length} chars)` : s;
}

function describeCivitai(metadata: Array<{ source: string; key: string; value: string | null }>): string {
  const get = (k: string): string | undefined => metadata.find((x) => x.source === 'civitai' && x.key === k)?.value ?? undefined;
  const status = get('civitai.status');
  if (status === 'found') return `${get('civitai.model_name') ?? ''} ${get('civitai.version_name') ?? ''} (${get('civitai.base_model') ?? '?'}) ${get('civitai.url') ?? ''}`.trim();
  if (status === 'not-found') return 'not on CivitAI';
  return 'not asked (offline)';
}
