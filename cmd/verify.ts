import type { Command } from 'commander';
import { MODELS_ARGUMENT, withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import { EXIT } from './exit.js';

interface VerifyFlags {
  fast?: boolean;
}

/** Declare `modelhub verify` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('verify')
    .description('re-hash store files and compare with the inventory; report missing, corrupted and unexpected files')
    .argument('[models...]', `${MODELS_ARGUMENT} (default: every model and the whole store)`)
    .option('--fast', 'compare size and modification time only (no hashing)')
    .action(withContext(verify));
}

/**
 * `modelhub verify [--fast] [MODEL...]`: re-hash store files against the inventory (or, --fast,
 * compare size and mtime) and report missing, corrupted and unexpected files. Opens the hub
 * read-only and never changes a file. Exit 0 clean, 1 problems found.
 */
async function verify(ctx: CommandContext, refs: string[], flags: VerifyFlags): Promise<void> {
  const { verifyStore, hasVerifyProblems } = await import('../store/verify.js');
  const { findModel } = await import('../store/model-ref.js');
  const { renderVerify } = await import('./render/verify.js');
  const hub = await ctx.hub({ readonly: true });
  const hashes = refs.length === 0 ? undefined : [...new Set(refs.map((ref) => findModel(hub, ref, ctx.io.cwd).sha256))];
  const bar = ctx.showProgress ? new (await import('./progress.js')).ProgressBar(ctx.io.stderr, 'verifying') : undefined;
  let report;
  try {
    report = await verifyStore(hub, {
      fast: flags.fast === true,
      ...(hashes === undefined ? {} : { hashes }),
      ...(bar === undefined ? {} : { onBegin: (files: number, bytes: number) => bar.begin(files, bytes), onProgress: (b: number) => bar.advance(b), onFile: () => bar.fileDone() }),
    });
  } finally {
    bar?.end();
  }
  if (ctx.json) ctx.printJson(report);
  else ctx.out(renderVerify(report, ctx.chalk, { hubModels: hub.layout.modelsDir }));
  ctx.exitCode = hasVerifyProblems(report) ? EXIT.error : EXIT.ok;
}
