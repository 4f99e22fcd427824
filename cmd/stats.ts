import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';

/** Declare `modelhub stats` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('stats')
    .description('models and bytes by type, base and format, and space saved by deduplication')
    .action(withContext(stats));
}

/** `modelhub stats`: what the store holds and what deduplication saved. */
async function stats(ctx: CommandContext): Promise<void> {
  const { inventoryStats } = await import('../store/query.js');
  const hub = await ctx.hub({ readonly: true });
  const raw = inventoryStats(hub.db);
  if (ctx.json) {
    ctx.printJson(raw);
    return;
  }
  const { renderStats } = await import('./render/stats.js');
  ctx.out(renderStats(raw, ctx.chalk, { modelsDir: hub.layout.modelsDir }));
}
