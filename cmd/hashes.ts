import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import { EXIT } from './exit.js';
import type { HashFilesResult } from '../store/hashfiles.js';

interface HashesFlags {
  atSource?: boolean;
  yes?: boolean;
}

/** Declare `modelhub hashes` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('hashes')
    .description('write <file>.sha256 files (sha256sum format) next to store files or source paths')
    .option('--at-source', 'next to each source path that still holds its model, not in the store')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(withContext(hashes));
}

/**
 * `modelhub hashes [--at-source]`: write `<file>.sha256` files (sha256sum format) next to every
 * store file, or next to every source path that still holds its model. Shows what it will
 * write; writes only with --yes (or a confirmation). A file ModelHub did not write is never
 * overwritten: it is reported, and the exit code is 1.
 */
async function hashes(ctx: CommandContext, flags: HashesFlags): Promise<void> {
  const { gatherHashFiles, planHashFiles, writeHashFiles } = await import('../store/hashfiles.js');
  const { renderHashFilesPlan, renderHashFilesResult } = await import('./render/hashes.js');
  const { confirmOrRefuse } = await import('./removal.js');
  const hub = await ctx.hub();
  const plan = planHashFiles(gatherHashFiles(hub, flags.atSource === true ? 'source' : 'store'));
  if (!ctx.json) ctx.out(renderHashFilesPlan(plan, ctx.chalk));
  let result: HashFilesResult | null = null;
  if (plan.write.length > 0 && (await confirmOrRefuse(ctx, { yes: flags.yes ?? false, command: `modelhub hashes${flags.atSource === true ? ' --at-source' : ''}`, question: 'Write these hash files?' }))) {
    const lock = await ctx.lock(hub, 'modelhub hashes');
    try {
      result = writeHashFiles(hub, plan);
    } finally {
      lock.release();
    }
    if (!ctx.json) ctx.out(`\n${renderHashFilesResult(result, ctx.chalk)}`);
  }
  if (ctx.json) ctx.printJson({ plan, result });
  if (plan.conflicts.length > 0) ctx.exitCode = EXIT.error;
}
