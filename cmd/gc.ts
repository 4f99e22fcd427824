import type { CommandContext } from './context.js';
import type { GcResult } from '../store/gc.js';

interface GcFlags {
  yes?: boolean;
}

/**
 * `modelhub gc`: remove store entries no inventory row references and soft-deleted models that
 * nothing links to any more, plus staging files older than a day. Shows each with its size and
 * the total, then acts only with --yes (or a confirmation on a terminal), under the hub lock.
 */
export default async function gc(ctx: CommandContext, flags: GcFlags): Promise<void> {
  const { gatherGc, planGc, executeGc } = await import('../store/gc.js');
  const { renderGcPlan, renderGcResult } = await import('./render/gc.js');
  const { confirmOrRefuse } = await import('./removal.js');
  const hub = await ctx.hub();
  const plan = planGc(gatherGc(hub));
  if (!ctx.json) ctx.out(renderGcPlan(plan, ctx.chalk));
  let result: GcResult | null = null;
  if (plan.remove.length + plan.staging.length > 0 && (await confirmOrRefuse(ctx, { yes: flags.yes ?? false, command: 'modelhub gc', question: 'Remove these from the store?' }))) {
    const lock = await ctx.lock(hub, 'modelhub gc');
    try {
      result = await executeGc(hub, plan);
    } finally {
      lock.release();
    }
    if (!ctx.json) ctx.out(`\n${renderGcResult(result, ctx.chalk)}`);
  }
  if (ctx.json) ctx.printJson({ plan, result });
}
