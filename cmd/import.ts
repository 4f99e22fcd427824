import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import { resolve } from 'node:path';
import type { CommandContext } from './context.js';

interface ImportFlags {
  dryRun?: boolean;
}

/** Declare `modelhub import` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('import')
    .description('merge an exported inventory by hash; models this store lacks are only reported')
    .argument('<file>', 'a file written by `modelhub export`')
    .option('--dry-run', 'show what would be added; change nothing')
    .action(withContext(importInventory));
}

/**
 * `modelhub import FILE [--dry-run]`: merge an exported inventory by hash. Models this store has
 * gain what they lack (see store/import-inventory.ts for the rule); models it does not have are
 * reported and never added. Under the hub lock; nothing on disk changes but the inventory.
 */
async function importInventory(ctx: CommandContext, file: string, flags: ImportFlags): Promise<void> {
  const { readInventoryDocument } = await import('../store/inventory-doc.js');
  const { gatherImport, planImport, executeImport } = await import('../store/import-inventory.js');
  const { renderImportPlan } = await import('./render/inventory.js');
  const path = resolve(ctx.io.cwd, file);
  const doc = readInventoryDocument(path, file);
  const hub = await ctx.hub();
  const dryRun = flags.dryRun === true;
  let plan;
  if (dryRun) plan = planImport(gatherImport(hub, doc));
  else {
    const lock = await ctx.lock(hub, 'modelhub import');
    try {
      plan = planImport(gatherImport(hub, doc));
      executeImport(hub, plan, { file: path });
    } finally {
      lock.release();
    }
  }
  if (ctx.json) ctx.printJson({ file: path, dryRun, ...plan });
  else ctx.out(renderImportPlan(plan, ctx.chalk, { dryRun, modelsDir: hub.layout.modelsDir }));
}
