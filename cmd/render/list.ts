import type { ChalkInstance } from 'chalk';
import { forTerminal } from '../../core/terminal-text.js';
import type { ModelListing } from '../../store/query.js';
import { formatBytes, formatConfidence, renderTable } from '../format.js';

/** One page of `modelhub list`: the table and, unless quiet, a line saying where the page is. */
export function renderModelList(input: { models: ModelListing[]; total: number; page: number; limit: number }, chalk: ChalkInstance, opts: { quiet: boolean }): string {
  const { total, page, limit } = input;
  const models = forTerminal(input.models);
  if (models.length === 0) return total === 0 ? 'No models match. Add some with `modelhub scan PATH`.' : `Page ${page} is past the end (${total} models).`;
  const rows = models.map((m) => [
    m.hash.slice(0, 12),
    m.name,
    m.type,
    m.base,
    m.variant ?? '',
    m.format,
    formatBytes(m.size),
    formatConfidence(m.confidence),
    m.deleted ? 'deleted' : String(m.paths.length),
    m.unsafe ? 'unsafe' : '',
  ]);
  const table = renderTable(
    [
      { header: 'HASH' },
      { header: 'NAME', max: 60 },
      { header: 'TYPE' },
      { header: 'BASE' },
      { header: 'VARIANT' },
      { header: 'FORMAT' },
      { header: 'SIZE', align: 'right' },
      { header: 'CONF', align: 'right' },
      { header: 'PATHS', align: 'right' },
      { header: 'FLAGS' },
    ],
    rows,
    (col, _row, text) => (col === 0 ? chalk.dim(text) : (col === 2 && text.trim() === 'unknown') || col === 9 ? chalk.yellow(text) : text),
  );
  if (opts.quiet) return table;
  const pages = Math.ceil(total / limit);
  return `${table}\n${chalk.dim(`${models.length} of ${total} models${pages > 1 ? ` (page ${page} of ${pages}; --page N for more)` : ''}`)}`;
}
