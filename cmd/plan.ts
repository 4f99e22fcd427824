import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import { EXIT } from './exit.js';

interface PlanFlags {
  target?: string;
  out?: string;
  detailedExitcode?: boolean;
  adopt?: boolean;
}

/** Declare `modelhub plan` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('plan')
    .description('show what apply would change in the target folders (changes nothing)')
    .option('--target <name>', 'only this target')
    .option('--out <file>', 'also save the plan as JSON, for `modelhub apply FILE`')
    .option('--detailed-exitcode', 'exit 2 when there are changes (0 none, 1 error or conflicts)')
    .option('--adopt', 'plan to replace foreign files identical to the declared model by links')
    .action(withContext(plan));
}

/**
 * `modelhub plan`: what apply would do, computed from the manifests, the inventory, the
 * recorded links and the target folders. Changes nothing (opens the hub read-only).
 * Exit 0 (1 on conflicts); with --detailed-exitcode, 2 when there are changes.
 */
async function plan(ctx: CommandContext, flags: PlanFlags): Promise<void> {
  const { computePlan } = await import('../reconcile/gather.js');
  const { hasChanges } = await import('../reconcile/plan.js');
  const { loadDeploymentContext } = await import('../reconcile/deployment-context.js');
  const hub = await ctx.hub({ readonly: true });
  const { plan: result } = await computePlan({
    hub,
    context: await loadDeploymentContext(ctx.config, ctx.io),
    target: flags.target ?? null,
    adopt: flags.adopt ?? false,
  });
  // `--out -`: the saved plan is stdout, so the human view goes to stderr.
  const toStdout = flags.out === '-';
  if (flags.out !== undefined) {
    const { writePlanFile } = await import('../reconcile/saved-plan.js');
    writePlanFile(flags.out, result, { savedAt: new Date().toISOString(), hub: hub.layout.root, manifests: ctx.config.manifests }, ctx.io);
  }
  if (ctx.json) {
    if (!toStdout) ctx.printJson(result);
  } else {
    const { renderPlan, renderPlanSaved } = await import('./render/plan.js');
    const text = renderPlan(result, ctx.chalk);
    if (toStdout) ctx.err(text);
    else ctx.out(text);
    if (flags.out !== undefined) ctx.info(`\n${renderPlanSaved(flags.out)}`);
  }
  if (result.conflicts.length > 0) ctx.exitCode = EXIT.error;
  else if (flags.detailedExitcode === true && hasChanges(result)) ctx.exitCode = EXIT.changes;
}
