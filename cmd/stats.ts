import type { CommandContext } from './context.js';

/** `modelhub stats`: what the store holds and what deduplication saved. */
export default async function stats(ctx: CommandContext): Promise<void> {
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
