import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';

/** Declare `modelhub init` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('init')
    .description('create the hub (databases and store) and copy the default manifests')
    .action(withContext(init));
}

/**
 * `modelhub init`: create the hub, and copy the default manifests (all targets disabled, plus
 * commented examples) into the manifests folder when it holds no *.yaml/*.yml yet. Safe to run
 * again: nothing existing is changed or overwritten.
 */
async function init(ctx: CommandContext): Promise<void> {
  const { copyDefaultManifests } = await import('../reconcile/default-manifests.js');
  const hub = await ctx.hub({ create: true });
  const manifests = copyDefaultManifests(ctx.config.manifests);
  const result = {
    hub: hub.layout.root,
    inventory: hub.layout.inventoryDb,
    classification: hub.layout.classificationDb,
    store: hub.layout.modelsDir,
    manifests,
  };
  if (ctx.json) {
    ctx.printJson(result);
    return;
  }
  const { renderInit } = await import('./render/init.js');
  ctx.out(renderInit(result, ctx.chalk));
}
