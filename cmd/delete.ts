import type { Command } from 'commander';
import { MODELS_ARGUMENT, withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import { EXIT } from './exit.js';
import type { GcResult } from '../store/gc.js';

interface DeleteFlags {
  hard?: boolean;
  yes?: boolean;
}

/** Declare `modelhub delete` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('delete')
    .description('soft-delete models (undeployed at the next apply; reversible with restore)')
    .argument('<models...>', MODELS_ARGUMENT)
    .option('--hard', 'also remove them from the store, once nothing links to them')
    .option('-y, --yes', 'with --hard: do not ask for confirmation (needed without a terminal)')
    .action(withContext(del));
}

/**
 * `modelhub delete MODEL... [--hard]`: mark models deleted (reversible with `restore`; the next
 * apply undeploys them). `--hard` also removes their store entries, through gc's planner, only
 * when nothing links to them: it shows the bytes freed and needs --yes (or a confirmation);
 * without it nothing at all changes. A refused hard removal leaves the model soft-deleted and
 * exits 1 with what still links to it.
 */
async function del(ctx: CommandContext, refs: string[], flags: DeleteFlags): Promise<void> {
  const { findModel } = await import('../store/model-ref.js');
  const { gatherDelete, planDelete, markDeleted, markModelsDeleted } = await import('../store/delete.js');
  const { renderDeletePlan } = await import('./render/delete.js');
  const hub = await ctx.hub();
  const rows = refs.map((ref) => findModel(hub, ref, ctx.io.cwd));
  const hard = flags.hard === true;
  const gathered = gatherDelete(hub, rows, hard);
  const plan = planDelete(gathered.models, gathered.deployLinks, gathered.gcInput);
  if (!ctx.json) ctx.out(renderDeletePlan(plan, ctx.chalk));
  const removing = plan.hard !== null && plan.hard.remove.length > 0;
  if (removing) {
    const { confirmOrRefuse } = await import('./removal.js');
    if (!(await confirmOrRefuse(ctx, { yes: flags.yes ?? false, command: `modelhub delete ${refs.join(' ')} --hard`, question: 'Delete these models and remove them from the store?' }))) {
      if (ctx.json) ctx.printJson({ plan, result: null });
      return;
    }
  }
  const lock = await ctx.lock(hub, 'modelhub delete');
  let gcResult: GcResult | null = null;
  try {
    markModelsDeleted(hub, plan.mark.map((m) => m.hash));
    if (removing && plan.hard !== null) {
      const { executeGc } = await import('../store/gc.js');
      const only = new Set(plan.hard.remove.map((r) => r.hash));
      gcResult = await executeGc(hub, plan.hard, { only, adjust: (input) => markDeleted(input, only) });
    }
  } finally {
    lock.release();
  }
  const result = { deleted: plan.mark.map((m) => m.hash), removed: gcResult };
  if (ctx.json) ctx.printJson({ plan, result });
  else {
    const { renderDeleteResult } = await import('./render/delete.js');
    const text = renderDeleteResult(plan, gcResult, ctx.chalk);
    if (text !== '') ctx.out(text);
  }
  if (plan.hard !== null && plan.hard.refused.length > 0) {
    const { renderHardRefusal } = await import('./render/delete.js');
    ctx.err(renderHardRefusal(plan.hard.refused.length, ctx.chalk));
    ctx.exitCode = EXIT.error;
  }
}
