import type { Command } from 'commander';
import { countedCrashHook, withContext } from './command-kit.js';
import type { CommandContext } from './context.js';
import { createClassifierSetup, mirrorRulesInto, type ClassifierSetup } from './classifier.js';
import { EXIT } from './exit.js';

interface ScanFlags {
  copy?: boolean;
  link?: boolean;
  dryRun?: boolean;
  settle?: boolean;
}

/** Declare `modelhub scan` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('scan')
    .description('hash model files into the store, leave symlinks behind, classify and record them')
    .argument('<paths...>', 'files or folders to scan')
    .option('--copy', 'copy into the store and leave the originals in place')
    .option('--no-link', 'move into the store without leaving a symlink behind')
    .option('--dry-run', 'show what would be imported; change nothing')
    .option('--no-settle', 'also import files modified within the settle window (config scan.settle_seconds)')
    .action(withContext(scan));
}

function onStep(env: NodeJS.ProcessEnv): { onStep?: () => void } {
  const hook = countedCrashHook(env);
  return hook === undefined ? {} : { onStep: hook };
}

/**
 * `modelhub scan PATH...`: import into the store (see store/scan.ts for the guarantees), then
 * classify what was imported with everything known: header, sidecars and, unless offline,
 * CivitAI (one batched lookup).
 */
async function scan(ctx: CommandContext, paths: string[], flags: ScanFlags): Promise<void> {
  // A hashing thread starts now, while the rest of the command loads (a dry run hashes nothing).
  if (flags.dryRun !== true) (await import('../store/hash-pool.js')).prestartHashWorker();
  const { scanAndClassify } = await import('../store/scan-classify.js');
  const config = ctx.config;
  const mode = flags.copy ? 'copy' : flags.link === false || !config.symlinks ? 'move' : 'link';
  // The first scan creates the hub; a dry run changes nothing, so it needs one that exists.
  const hub = await ctx.hub({ create: flags.dryRun !== true });
  const lock = flags.dryRun ? undefined : await ctx.lock(hub, 'modelhub scan');
  // Loaded only when a file is to be imported, while the first files hash; the rules of a run
  // that classifies are mirrored into the hub.
  const setup = async (): Promise<ClassifierSetup> => {
    const loaded = await createClassifierSetup(ctx);
    if (!flags.dryRun) await mirrorRulesInto(hub, loaded, ctx);
    return loaded;
  };
  try {
    const progress = ctx.showProgress ? new (await import('./progress.js')).ProgressBar(ctx.io.stderr, 'hashing') : undefined;
    const { report, civitai } = await scanAndClassify(hub, paths, setup, {
      mode,
      dryRun: flags.dryRun === true,
      cwd: ctx.io.cwd,
      settleMs: flags.settle === false ? 0 : config.scan.settle_seconds * 1000,
      now: ctx.io.now,
      ...(progress ? { progress } : {}),
      ...onStep(ctx.io.env),
    });
    if (ctx.json) {
      ctx.printJson({
        mode,
        dryRun: flags.dryRun === true,
        imported: report.imported,
        duplicates: report.duplicates,
        repaired: report.repaired,
        unchanged: report.unchanged,
        skipped: report.skipped,
        failed: report.failed,
        bytesHashed: report.bytesHashed,
        civitai,
        files: report.files,
        failures: report.failures,
      });
    } else {
      const { renderCivitaiSummary, renderScanReport } = await import('./render/scan.js');
      ctx.out(renderScanReport(report, { mode, dryRun: flags.dryRun === true, chalk: ctx.chalk, quiet: ctx.quiet }));
      if (civitai.asked) ctx.info(renderCivitaiSummary(civitai));
    }
    ctx.exitCode = report.failed > 0 ? EXIT.error : EXIT.ok;
  } finally {
    lock?.release();
  }
}
