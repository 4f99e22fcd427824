import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import type { GcResult } from '../store/gc.js';

interface GcFlags {
  yes?: boolean;
  orphans?: boolean;
}

/** Declare `modelhub gc` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('gc')
    .description('free store space: deleted models nothing links to, staging files of dead scans; lists store folders the inventory lacks')
    .option('--orphans', 'also remove store folders no inventory row references (unregistered models and damaged folders)')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(withContext(gc));
}

/**
 * `modelhub gc [--orphans]`: remove soft-deleted models that nothing links to any more, and
 * staging files of scans that died. Store folders no inventory row references are hashed:
 * those holding the model their name promises are listed as unregistered (with the command
 * that registers them again), the others as orphans; both are removed only with --orphans.
 * Shows each with its size and the total, then acts only with --yes (or a confirmation on a
 * terminal), under the hub lock.
 */
async function gc(ctx: CommandContext, flags: GcFlags): Promise<void> {
  const { gatherGc, planGc, executeGc } = await import('../store/gc.js');
  const { checkOrphanContent } = await import('../store/gc-content.js');
  const { renderGcPlan, renderGcResult } = await import('./render/gc.js');
  const { confirmOrRefuse } = await import('./removal.js');
  const hub = await ctx.hub();
  const orphans = flags.orphans === true;
  const gathered = gatherGc(hub, { orphans });
  const progress = ctx.showProgress ? new (await import('./progress.js')).ProgressBar(ctx.io.stderr, 'checking unregistered folders') : undefined;
  const orphanContent = await checkOrphanContent(gathered.store, new Set(gathered.models.map((m) => m.hash)), {
    ...(progress ? { onBegin: (files: number, bytes: number) => progress.begin(files, bytes), onProgress: (b: number) => progress.advance(b), onFileDone: () => progress.fileDone() } : {}),
  });
  progress?.end();
  const plan = planGc({ ...gathered, orphanContent });
  const command = orphans ? 'modelhub gc --orphans' : 'modelhub gc';
  if (!ctx.json) ctx.out(renderGcPlan(plan, ctx.chalk, { command }));
  let result: GcResult | null = null;
  if (plan.remove.length + plan.staging.length > 0 && (await confirmOrRefuse(ctx, { yes: flags.yes ?? false, command, question: 'Remove these from the store?' }))) {
    const lock = await ctx.lock(hub, 'modelhub gc');
    try {
      result = await executeGc(hub, plan, { recovered: lock.recovered?.staging ?? [] });
    } finally {
      lock.release();
    }
    if (!ctx.json) ctx.out(`\n${renderGcResult(result, ctx.chalk)}`);
  }
  if (ctx.json) ctx.printJson({ plan, result });
}
