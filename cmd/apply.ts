import type { Command } from 'commander';
import { crashHook, withContext } from './command-kit.js';
import { resolve } from 'node:path';
import { ModelHubError } from '../core/errors.js';
import type { CommandContext } from './context.js';
import { EXIT } from './exit.js';
import type { Plan } from '../reconcile/plan-types.js';

interface ApplyFlags {
  target?: string;
  yes?: boolean;
  adopt?: boolean;
  allowEmpty?: boolean;
}

/** Declare `modelhub apply` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('apply')
    .description('make the target folders match the manifests: link, relink, remove owned links')
    .argument('[planfile]', 'a plan saved by `modelhub plan --out FILE` (refused when stale)')
    .option('--target <name>', 'only this target')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .option('--adopt', 'replace foreign files identical to the declared model (same SHA-256) by links')
    .option('--allow-empty', 'allow removing every link of a target whose declared links became none')
    .action(withContext(apply));
}

/**
 * `modelhub apply [PLANFILE]`: compute the plan (or load a saved one, refused when its inputs
 * changed), show it, confirm, and carry it out under the hub lock. Then record overrides in the
 * inventory and mirror the targets into deploy_targets / deploy_mappings.
 */
async function apply(ctx: CommandContext, planFile: string | undefined, flags: ApplyFlags): Promise<void> {
  const { computePlan } = await import('../reconcile/gather.js');
  const { assertApplicable } = await import('../reconcile/apply.js');
  const { carryOutPlan } = await import('../reconcile/apply-run.js');
  const { hasChanges } = await import('../reconcile/plan.js');
  const { renderPlan } = await import('./render/plan.js');
  const { loadDeploymentContext } = await import('../reconcile/deployment-context.js');

  const hub = await ctx.hub();
  const lock = await ctx.lock(hub, 'modelhub apply');
  try {
    const saved = planFile === undefined ? undefined : await loadSaved(ctx, planFile, flags);
    const options = saved?.options ?? { target: flags.target ?? null, adopt: flags.adopt ?? false };
    const { plan: fresh, gathered } = await computePlan({ hub, context: await loadDeploymentContext(ctx.config, ctx.io), target: options.target, adopt: options.adopt });
    // A saved plan is the approval of exactly its actions; what runs is always the fresh plan.
    if (saved !== undefined && planFile !== undefined) {
      const { assertSavedPlanCurrent } = await import('../reconcile/plan-compare.js');
      assertSavedPlanCurrent(saved, fresh, { file: planFile, hub: hub.layout.root });
    }
    const plan: Plan = fresh;
    if (!ctx.json) ctx.out(renderPlan(plan, ctx.chalk));
    assertApplicable(plan, flags.allowEmpty ?? false);
    if (hasChanges(plan)) {
      const go = await confirmIfNeeded(ctx, flags.yes ?? false);
      if (!go) {
        ctx.err('Apply cancelled; nothing was changed.');
        ctx.exitCode = EXIT.error;
        return;
      }
    }
    const result = await carryOutPlan(hub, plan, gathered, { allowEmpty: flags.allowEmpty ?? false, onStep: crashHook(ctx.io.env) });
    if (ctx.json) ctx.printJson({ plan, result });
    else if (result !== null) {
      const { renderApplyResult } = await import('./render/apply.js');
      ctx.out(`\n${renderApplyResult(result, plan, ctx.chalk)}`);
    }
  } finally {
    lock.release();
  }
}

async function loadSaved(ctx: CommandContext, planFile: string, flags: ApplyFlags) {
  if (flags.target !== undefined || flags.adopt !== undefined) {
    throw new ModelHubError('USAGE', 'a saved plan carries its own --target and --adopt; give them to `modelhub plan --out FILE` instead', { hint: `run \`modelhub apply ${planFile}\` without them` });
  }
  const { readPlanFile } = await import('../reconcile/saved-plan.js');
  return readPlanFile(resolve(ctx.io.cwd, planFile));
}

async function confirmIfNeeded(ctx: CommandContext, yes: boolean): Promise<boolean> {
  const { confirmChanges } = await import('./prompt.js');
  return confirmChanges(ctx, { yes, command: 'modelhub apply', question: 'Do you want to perform these actions?' });
}
