import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';

interface EjectFlags {
  dryRun?: boolean;
}

/** Declare `modelhub eject` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('eject')
    .description('turn link-backs or deployed links back into real, verified copies that scans and plans leave alone')
    .argument('<paths...>', 'links ModelHub made, or folders holding them (their links are ejected, any depth)')
    .option('--dry-run', 'show what would be copied and change nothing')
    .action(withContext(eject));
}

/**
 * `modelhub eject PATH...`: find what each PATH is (refusing anything but ModelHub's links),
 * check the free space for all copies, then under the hub lock copy, verify and swap each link
 * for its copy, recording it as ejected. `--dry-run` stops after the check.
 */
async function eject(ctx: CommandContext, paths: string[], flags: EjectFlags): Promise<void> {
  const { planEject, assertRoomFor, executeEject } = await import('../reconcile/eject.js');
  const { renderEject } = await import('./render/eject.js');
  const dryRun = flags.dryRun === true;
  const hub = await ctx.hub(dryRun ? { readonly: true } : {});
  if (dryRun) {
    const plan = planEject(hub, paths, ctx.io.cwd);
    assertRoomFor(plan);
    if (ctx.json) ctx.printJson({ dryRun, ...plan, ejected: [] });
    else ctx.out(renderEject(plan, null, ctx.chalk));
    return;
  }
  const lock = await ctx.lock(hub, 'modelhub eject');
  try {
    const { sqliteLedger } = await import('../reconcile/ledger.js');
    const plan = planEject(hub, paths, ctx.io.cwd);
    assertRoomFor(plan);
    const done = await executeEject(hub, plan, { ledger: sqliteLedger(hub.db) });
    if (ctx.json) ctx.printJson({ dryRun, ...plan, ejected: done });
    else ctx.out(renderEject(plan, done, ctx.chalk));
  } finally {
    lock.release();
  }
}
