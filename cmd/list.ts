import type { CommandContext } from './context.js';
import { forTerminal } from '../core/terminal-text.js';
import { formatBytes, formatConfidence, renderTable } from './format.js';
import type { ListSort } from '../store/query.js';

interface ListFlags {
  type?: string;
  base?: string;
  name?: string;
  format?: string;
  sort: ListSort;
  limit?: number;
  page: number;
  deleted?: boolean;
  /** false with --no-civitai */
  civitai?: boolean;
  unsafe?: boolean;
}

/** `modelhub list`: one page of the inventory. */
export default async function list(ctx: CommandContext, flags: ListFlags): Promise<void> {
  const { checkListFilter, listModels } = await import('../store/query.js');
  const hub = await ctx.hub({ readonly: true });
  const limit = flags.limit ?? ctx.config.page_size;
  const filter = checkListFilter(
    hub.db,
    { type: flags.type, base: flags.base, name: flags.name, format: flags.format, includeDeleted: flags.deleted, noCivitai: flags.civitai === false, unsafe: flags.unsafe },
    await ctx.ruleBases(),
  );
  const { total, models } = listModels(hub.db, filter, { sort: flags.sort, limit, offset: (flags.page - 1) * limit });
  if (ctx.json) {
    ctx.printJson(models);
    return;
  }
  if (models.length === 0) {
    ctx.out(total === 0 ? 'No models match. Add some with `modelhub scan PATH`.' : `Page ${flags.page} is past the end (${total} models).`);
    return;
  }
  const { chalk } = ctx;
  const rows = forTerminal(models).map((m) => [
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
  ctx.out(table);
  const pages = Math.ceil(total / limit);
  if (!ctx.quiet) ctx.out(chalk.dim(`${models.length} of ${total} models${pages > 1 ? ` (page ${flags.page} of ${pages}; --page N for more)` : ''}`));
}
