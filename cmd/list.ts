import { Option, type Command } from 'commander';
import { withContext, parsePositiveInt } from './command-kit.js';
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

/** Declare `modelhub list` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('list')
    .alias('ls')
    .description('list the inventory, with filters')
    .option('--type <type>', 'only this type (checkpoint, lora, vae, …)')
    .option('--base <base>', 'only this base model (sd15, sdxl, flux, …)')
    .option('--name <glob>', 'only names matching this glob (* and ?)')
    .option('--format <format>', 'only this format (safetensors, gguf, ckpt, pt, pth, bin)')
    .addOption(new Option('--sort <key>', 'sort order').choices(['name', 'size', 'type', 'date']).default('name'))
    .option('--limit <n>', 'rows per page (default: config page_size)', parsePositiveInt)
    .option('--page <n>', 'page number, from 1', parsePositiveInt, 1)
    .option('--deleted', 'include soft-deleted models')
    .option('--no-civitai', 'only models CivitAI has no match for (or was never asked about)')
    .option('--unsafe', 'only models flagged unsafe (a pickle referring to code outside what torch uses)')
    .action(withContext(list));
}

/** `modelhub list`: one page of the inventory. */
async function list(ctx: CommandContext, flags: ListFlags): Promise<void> {
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
