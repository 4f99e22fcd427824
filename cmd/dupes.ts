import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';

/** Declare `modelhub dupes` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('dupes')
    .description('duplicates: several paths of one file, same weights with edited headers, same names')
    .action(withContext(dupes));
}

/**
 * `modelhub dupes`: files found at several paths, models with the same weights (AutoV3) but
 * different files, and same-name files with different content, with the bytes each group
 * saves or wastes. Reads only, except that it records the AutoV3 it had to compute; exit 0.
 */
async function dupes(ctx: CommandContext): Promise<void> {
  const { findDupes, gatherDupes } = await import('../store/dupes.js');
  const { autov3Candidates, ensureAutoV3 } = await import('../store/autov3.js');
  let hub = await ctx.hub({ readonly: true });
  // AutoV3 is computed when first needed: for the safetensors files whose payload size another one shares.
  const missing = autov3Candidates(hub);
  if (missing.length > 0) {
    hub = await ctx.hub();
    await ensureAutoV3(hub, missing);
  }
  const report = findDupes(gatherDupes(hub));
  if (ctx.json) {
    ctx.printJson(report);
    return;
  }
  const { renderDupes } = await import('./render/dupes.js');
  ctx.out(renderDupes(report, ctx.chalk));
}
