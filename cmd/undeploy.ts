import type { Command } from 'commander';
import { MODELS_ARGUMENT, withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import type { ManifestChangeFlags } from './manifest-change.js';

interface UndeployFlags extends ManifestChangeFlags {
  target: string;
}

/** Declare `modelhub undeploy` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('undeploy')
    .description("stop declaring models for a target in the manifests (drop the hash from ModelHub's Deployment, or exclude it from yours), show the diff and the plan")
    .argument('<models...>', MODELS_ARGUMENT)
    .requiredOption('--target <name>', 'the target to take them out of')
    .option('--apply', 'carry out the plan at once (as `modelhub apply --yes`, for this target)')
    .action(withContext(undeploy));
}

/** `modelhub undeploy MODEL… --target T [--apply]`: a manifest edit, then the plan (cmd/manifest-change.ts). */
async function undeploy(ctx: CommandContext, refs: string[], flags: UndeployFlags): Promise<void> {
  const { findModel } = await import('../store/model-ref.js');
  const { runManifestChange } = await import('./manifest-change.js');
  await runManifestChange(
    ctx,
    'undeploy',
    (hub) => ({ kind: 'undeploy', target: flags.target, models: refs.map((ref) => findModel(hub, ref, ctx.io.cwd)).map((m) => ({ hash: m.sha256, name: m.name })) }),
    { target: flags.target, apply: flags.apply ?? false },
  );
}
