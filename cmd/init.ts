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
  ctx.out(`Hub ready at ${result.hub}`);
  ctx.out(`  inventory       ${result.inventory}`);
  ctx.out(`  classification  ${result.classification}`);
  ctx.out(`  store           ${result.store}`);
  if (manifests.copied.length > 0) {
    ctx.out(`Copied the default manifests to ${manifests.dir}: ${manifests.copied.join(', ')}`);
    ctx.out('  Every target is disabled; edit its root, set `enabled: true`, add a Deployment, then run `modelhub plan`.');
  } else {
    ctx.out(`Manifests folder ${manifests.dir} already holds manifests; left as it is.`);
  }
}
