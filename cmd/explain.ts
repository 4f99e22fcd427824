import type { Command } from 'commander';
import { MODEL_ARGUMENT, withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import { createClassifierSetup } from './classifier.js';

/** Declare `modelhub explain` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('explain')
    .description('why a model is classified as it is: every piece of evidence, candidates, what would change it')
    .argument('<model>', MODEL_ARGUMENT)
    .action(withContext(explain));
}

/**
 * `modelhub explain MODEL`: why the inventory says what it says about a model (store/explain.ts),
 * as JSON or through cmd/render/explain.ts.
 */
async function explain(ctx: CommandContext, ref: string): Promise<void> {
  const { explainModel } = await import('../store/explain.js');
  const hub = await ctx.hub({ readonly: true });
  const setup = await createClassifierSetup(ctx);
  const result = await explainModel(hub, ref, setup, ctx.io.cwd);
  if (ctx.json) {
    ctx.printJson(result);
    return;
  }
  const { renderExplanation } = await import('./render/explain.js');
  ctx.out(renderExplanation(result, ctx.chalk, { online: setup.civitai !== null }));
}
