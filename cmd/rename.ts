import type { Command } from 'commander';
import { MODEL_ARGUMENT, withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import type { ManifestChangeFlags } from './manifest-change.js';

/** Declare `modelhub rename` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('rename')
    .description('give a model the name its links get (an Override in the manifests), show the diff and the plan')
    .argument('<model>', MODEL_ARGUMENT)
    .argument('<new-name>', 'the file name links get, with the model file extension (e.g. add_detail.safetensors)')
    .option('--apply', 'carry out the plan at once (as `modelhub apply --yes`)')
    .action(withContext(rename));
}

/** `modelhub rename MODEL NEW [--apply]`: an Override's `set.name` written to the manifests, then the plan (cmd/manifest-change.ts). */
async function rename(ctx: CommandContext, ref: string, name: string, flags: ManifestChangeFlags): Promise<void> {
  const { findModel } = await import('../store/model-ref.js');
  const { runManifestChange } = await import('./manifest-change.js');
  await runManifestChange(
    ctx,
    'rename',
    (hub) => {
      const m = findModel(hub, ref, ctx.io.cwd);
      return { kind: 'rename', model: { hash: m.sha256, name: m.name }, name };
    },
    { target: null, apply: flags.apply ?? false },
  );
}
