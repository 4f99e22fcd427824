import type { CommandContext } from './context.js';

/**
 * `modelhub dupes`: files found at several paths, models with the same weights (AutoV3) but
 * different files, and same-name files with different content, with the bytes each group
 * saves or wastes. Reads only; exit 0.
 */
export default async function dupes(ctx: CommandContext): Promise<void> {
  const { findDupes, gatherDupes } = await import('../store/dupes.js');
  const hub = await ctx.hub({ readonly: true });
  const report = findDupes(gatherDupes(hub));
  if (ctx.json) {
    ctx.printJson(report);
    return;
  }
  const { renderDupes } = await import('./render/dupes.js');
  ctx.out(renderDupes(report, ctx.chalk));
}
