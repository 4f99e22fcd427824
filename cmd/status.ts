import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';

interface StatusFlags {
  target?: string;
}

/** Declare `modelhub status` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('status')
    .description('per target: declared, in sync, missing, drifted, conflicts, broken links, unselected models')
    .option('--target <name>', 'only this target')
    .action(withContext(status));
}

/**
 * `modelhub status`: per target, what is declared, in sync, missing, drifted or in conflict,
 * broken links in its folders, and mapped models no deployment selects. Changes nothing.
 */
async function status(ctx: CommandContext, flags: StatusFlags): Promise<void> {
  const { computeStatus, gatherStatus } = await import('../reconcile/status.js');
  const { loadDeploymentContext } = await import('../reconcile/deployment-context.js');
  const hub = await ctx.hub({ readonly: true });
  const input = await gatherStatus({ hub, context: await loadDeploymentContext(ctx.config, ctx.io), target: flags.target ?? null, adopt: false });
  const { plan } = input;
  const targets = computeStatus(input);
  if (ctx.json) {
    ctx.printJson({ targets, overrides: plan.overrides.length, summary: plan.summary });
    return;
  }
  const { renderStatus } = await import('./render/status.js');
  ctx.out(renderStatus(targets, plan, ctx.chalk));
}
