import type { CommandContext } from './context.js';

/** `modelhub init`: create the hub. Safe to run again: nothing existing is changed. */
export default async function init(ctx: CommandContext): Promise<void> {
  const hub = await ctx.hub();
  const result = { hub: hub.layout.root, inventory: hub.layout.inventoryDb, classification: hub.layout.classificationDb, store: hub.layout.modelsDir };
  if (ctx.json) {
    ctx.printJson(result);
    return;
  }
  ctx.out(`Hub ready at ${result.hub}`);
  ctx.out(`  inventory       ${result.inventory}`);
  ctx.out(`  classification  ${result.classification}`);
  ctx.out(`  store           ${result.store}`);
}
