import type { CommandContext } from './context.js';
import { createClassifierSetup } from './classifier.js';

/**
 * `modelhub explain MODEL`: why the inventory says what it says about a model (store/explain.ts),
 * as JSON or through cmd/render/explain.ts.
 */
export default async function explain(ctx: CommandContext, ref: string): Promise<void> {
  const { explainModel } = await import('../store/explain.js');
  const hub = await ctx.hub({ readonly: true });
  const setup = await createClassifierSetup(ctx);
  const result = await explainModel(hub, ref, setup);
  if (ctx.json) {
    ctx.printJson(result);
    return;
  }
  const { renderExplanation } = await import('./render/explain.js');
  ctx.out(renderExplanation(result, ctx.chalk, { online: setup.civitai !== null }));
}
