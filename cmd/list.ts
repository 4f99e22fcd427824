import type { CommandContext } from './context.js';
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
  const { renderModelList } = await import('./render/list.js');
  ctx.out(renderModelList({ models, total, page: flags.page, limit }, ctx.chalk, { quiet: ctx.quiet }));
}
