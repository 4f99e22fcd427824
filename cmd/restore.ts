import type { Command } from 'commander';
import { MODELS_ARGUMENT, withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import { EXIT } from './exit.js';

/** Declare `modelhub restore` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('restore')
    .description('undo a soft delete (the next apply deploys the models again)')
    .argument('<models...>', MODELS_ARGUMENT)
    .action(withContext(restore));
}

/**
 * `modelhub restore MODEL...`: clear the deleted flag of soft-deleted models whose store file
 * still exists; the next apply deploys them again. Exit 1 when one cannot be restored.
 */
async function restore(ctx: CommandContext, refs: string[]): Promise<void> {
  const { lstatSync } = await import('node:fs');
  const { findModel } = await import('../store/model-ref.js');
  const { storePath } = await import('../store/hub.js');
  const { planRestore, restoreModels } = await import('../store/delete.js');
  const { renderRestorePlan } = await import('./render/delete.js');
  const hub = await ctx.hub();
  const models = refs.map((ref) => findModel(hub, ref, ctx.io.cwd)).map((r) => ({ hash: r.sha256, name: r.name, size: r.file_size, deleted: r.deleted === 1 }));
  const plan = planRestore(models, (m) => {
    const path = storePath(hub.layout, m.hash, m.name);
    return { path, exists: lstatSync(path, { throwIfNoEntry: false })?.isFile() === true };
  });
  restoreModels(hub, plan.restore.map((m) => m.hash));
  if (ctx.json) ctx.printJson(plan);
  else ctx.out(renderRestorePlan(plan, ctx.chalk));
  if (plan.missing.length > 0) ctx.exitCode = EXIT.error;
}
