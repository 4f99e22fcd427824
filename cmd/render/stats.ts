import type { ChalkInstance } from 'chalk';
import { forTerminal } from '../../core/terminal-text.js';
import type { Bucket, InventoryStats } from '../../store/query.js';
import { formatBytes, renderTable } from '../format.js';

/** `modelhub stats`: totals, then models and bytes by type, base and format, then what deduplication saved. */
export function renderStats(raw: InventoryStats, chalk: ChalkInstance, opts: { modelsDir: string }): string {
  const s = forTerminal(raw);
  const { modelsDir } = forTerminal(opts);
  const section = (title: string, buckets: Bucket[]): string =>
    `${chalk.bold(title)}\n${renderTable(
      [{ header: title.toUpperCase() }, { header: 'MODELS', align: 'right' }, { header: 'SIZE', align: 'right' }],
      buckets.map((b) => [b.key, String(b.count), formatBytes(b.bytes)]),
    )}`;
  const lines = [
    `${chalk.bold(`${s.models} models, ${formatBytes(s.bytes)}`)} in ${modelsDir}`,
    '',
    section('type', s.byType),
    '',
    section('base', s.byBase),
    '',
    section('format', s.byFormat),
    '',
    `Deduplication: ${s.linkedPaths} source paths served by the store; ${chalk.green(formatBytes(s.savedBytes))} saved.`,
  ];
  if (s.deleted.count > 0) lines.push(`Soft-deleted: ${s.deleted.count} model${s.deleted.count === 1 ? '' : 's'}, ${formatBytes(s.deleted.bytes)} (see \`modelhub gc\`).`);
  return lines.join('\n');
}
