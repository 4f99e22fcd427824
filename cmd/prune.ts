import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import type { PruneResult } from '../reconcile/prune.js';

interface PruneFlags {
  yes?: boolean;
}

/** Declare `modelhub prune` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('prune')
    .description('remove broken owned links and link-backs of deleted models; list other broken symlinks')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(withContext(prune));
}

/**
 * `modelhub prune`: remove owned deployment links whose store file is gone (reconcile/prune.ts,
 * through the ledger) and link-backs of deleted models or whose store file is gone
 * (store/link-back-prune.ts); list every other broken symlink found. Acts only with --yes (or a
 * confirmation on a terminal), under the hub lock.
 */
async function prune(ctx: CommandContext, flags: PruneFlags): Promise<void> {
  const { combinePrunePlans, executeLinkPrune, gatherLinkPrune, planLinkPrune } = await import('../reconcile/prune.js');
  const { executeLinkBackPrune, gatherLinkBackPrune, planLinkBackPrune } = await import('../store/link-back-prune.js');
  const { realFs } = await import('../reconcile/fs.js');
  const { sqliteLedger } = await import('../reconcile/ledger.js');
  const { renderPrunePlan, renderPruneResult } = await import('./render/prune.js');
  const { confirmOrRefuse } = await import('./removal.js');
  const hub = await ctx.hub();
  const plan = combinePrunePlans(planLinkPrune(gatherLinkPrune(hub)), planLinkBackPrune(gatherLinkBackPrune(hub)));
  if (!ctx.json) ctx.out(renderPrunePlan(plan, ctx.chalk));
  let result: PruneResult | null = null;
  if (plan.links.length + plan.linkBacks.length > 0 && (await confirmOrRefuse(ctx, { yes: flags.yes ?? false, command: 'modelhub prune', question: 'Remove these symlinks?' }))) {
    const lock = await ctx.lock(hub, 'modelhub prune');
    try {
      const links = await executeLinkPrune(plan, { fs: realFs(), ledger: sqliteLedger(hub.db) });
      const linkBacks = executeLinkBackPrune(hub, plan);
      result = { removedLinks: links.removedLinks, removedLinkBacks: linkBacks.removedLinkBacks, skipped: [...links.skipped, ...linkBacks.skipped] };
    } finally {
      lock.release();
    }
    if (!ctx.json) ctx.out(`\n${renderPruneResult(result, ctx.chalk)}`);
  }
  if (ctx.json) ctx.printJson({ plan, result });
}
