import type { Command } from 'commander';
import { MODELS_ARGUMENT, withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import type { ManifestChangeFlags } from './manifest-change.js';

interface DeployFlags extends ManifestChangeFlags {
  target: string;
  path?: string;
}

/** Declare `modelhub deploy` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('deploy')
    .description("declare models for a target in the manifests (ModelHub's own Deployment, by hash), show the file's diff and the plan")
    .argument('<models...>', MODELS_ARGUMENT)
    .requiredOption('--target <name>', 'the target to deploy them to')
    .option('--path <template>', 'path template under the mapped folder (default {name}); a Deployment of its own per template')
    .option('--apply', 'carry out the plan at once (as `modelhub apply --yes`, for this target)')
    .action(withContext(deploy));
}

/** `modelhub deploy MODEL… --target T [--path TEMPLATE] [--apply]`: a manifest edit, then the plan (cmd/manifest-change.ts). */
async function deploy(ctx: CommandContext, refs: string[], flags: DeployFlags): Promise<void> {
  const { findModel } = await import('../store/model-ref.js');
  const { runManifestChange } = await import('./manifest-change.js');
  await runManifestChange(
    ctx,
    'deploy',
    (hub) => ({
      kind: 'deploy',
      target: flags.target,
      models: refs.map((ref) => findModel(hub, ref, ctx.io.cwd)).map((m) => ({ hash: m.sha256, name: m.name })),
      ...(flags.path === undefined ? {} : { path: flags.path }),
    }),
    { target: flags.target, apply: flags.apply ?? false },
  );
}
