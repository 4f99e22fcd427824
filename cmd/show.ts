import type { Command } from 'commander';
import { MODEL_ARGUMENT, withContext } from './command-kit.js';
import type { CommandContext } from './context.js';

/** Declare `modelhub show` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('show')
    .description('everything known about one model: metadata, paths, classification evidence')
    .argument('<model>', MODEL_ARGUMENT)
    .action(withContext(show));
}

/** `modelhub show MODEL`: every fact the inventory holds about one model (store/model-facts.ts). */
async function show(ctx: CommandContext, ref: string): Promise<void> {
  const { findModel } = await import('../store/model-ref.js');
  const facts = await import('../store/model-facts.js');
  let hub = await ctx.hub({ readonly: true });
  let m = findModel(hub, ref, ctx.io.cwd);
  const mayAsk = ctx.globals.offline !== true && ctx.config.external_apis.civitai.enabled;
  if (facts.shouldAskCivitaiFirst(hub, m, mayAsk)) {
    hub = await ctx.hub();
    const { createClassifierSetup } = await import('./classifier.js');
    const asked = await facts.classifyWithCivitai(hub, m, await createClassifierSetup(ctx));
    if (asked.lookupError !== undefined) ctx.err(`warning: CivitAI lookup failed: ${asked.lookupError}`);
    m = asked.model;
  }
  if (facts.lacksAutoV3(m)) {
    hub = await ctx.hub();
    m = await facts.withAutoV3(hub, m);
  }
  const result = await facts.readModelFacts(hub, m);
  if (ctx.json) {
    ctx.printJson(result);
    return;
  }
  const { renderShow } = await import('./render/show.js');
  ctx.out(renderShow({ ...result, deletedAt: m.deleted_at }, ctx.chalk));
}
