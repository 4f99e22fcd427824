import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import { resolve } from 'node:path';
import { isModelHubError } from '../core/errors.js';
import type { YamlProblem } from '../core/yaml.js';
import type { Manifests } from '../reconcile/manifest-types.js';
import type { CommandContext } from './context.js';
import { EXIT } from './exit.js';

interface ValidateFlags {
  inventory?: string;
}

/** Declare `modelhub validate` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('validate')
    .description('check the manifests (schemas and references) without a hub; exit 1 when invalid')
    .option('--inventory <file>', 'also check them against an exported inventory: every deployment selects a model, no link path collides')
    .action(withContext(validate));
}

/**
 * `modelhub validate [--inventory FILE]`: check the manifests (schemas, references, folders,
 * vocabulary) without opening the hub, for CI in the repository that holds them. With an
 * exported inventory, also check that every enabled deployment selects at least one model and
 * that no two models collide on a link path (the planner's own selection code). Exit 0 valid,
 * 1 invalid; every problem is printed as `file:line:col: message`.
 */
async function validate(ctx: CommandContext, flags: ValidateFlags = {}): Promise<void> {
  const { loadDeploymentContext, openManifests } = await import('../reconcile/deployment-context.js');
  const context = await loadDeploymentContext(ctx.config, ctx.io);
  const dir = context.manifestsDir;
  const storeDir = context.storeDir;
  let m: Manifests;
  try {
    m = openManifests(context);
  } catch (err) {
    if (!isModelHubError(err) || err.code !== 'ERR_MODELHUB_MANIFESTS_INVALID') throw err;
    const problems = err.details as YamlProblem[];
    if (ctx.json) ctx.printJson({ valid: false, manifests: dir, problems });
    else {
      const { renderManifestProblems } = await import('./render/validate.js');
      ctx.err(renderManifestProblems(problems, ctx.chalk));
    }
    ctx.exitCode = EXIT.error;
    return;
  }
  const counts = { files: m.files.length, targets: m.targets.length, deployments: m.deployments.length, overrides: m.overrides.length };
  const inventory = flags.inventory === undefined ? undefined : await checkAgainstInventory(ctx, m, flags.inventory, storeDir);
  if (ctx.json) {
    ctx.printJson({ valid: inventory === undefined || !inventory.failed, manifests: dir, ...counts, problems: [], ...(inventory === undefined ? {} : { inventory: inventory.json }) });
  } else {
    const { renderManifestsValid } = await import('./render/validate.js');
    ctx.out(renderManifestsValid(counts, dir, ctx.chalk));
    if (inventory !== undefined) {
      if (inventory.rendered.out !== '') ctx.out(inventory.rendered.out);
      if (inventory.rendered.err !== '') ctx.err(inventory.rendered.err);
    }
  }
  if (inventory?.failed === true) ctx.exitCode = EXIT.error;
}

async function checkAgainstInventory(ctx: CommandContext, m: Manifests, file: string, storeDir: string) {
  const { readInventoryDocument } = await import('../store/inventory-doc.js');
  const { checkInventory, inventoryCheckFailed } = await import('../reconcile/validate-inventory.js');
  const { renderInventoryCheck } = await import('./render/inventory.js');
  const path = resolve(ctx.io.cwd, file);
  const check = checkInventory(m, readInventoryDocument(path, file), storeDir);
  return { failed: inventoryCheckFailed(check), json: { file: path, ...check }, rendered: renderInventoryCheck(check, ctx.chalk, file) };
}
