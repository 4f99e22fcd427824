import type { CommandContext } from './context.js';
import { createClassifier } from './classifier.js';
import { ProgressBar } from './progress.js';
import { renderScanReport } from './render/scan.js';
import { EXIT } from './program.js';

interface ScanFlags {
  copy?: boolean;
  link?: boolean;
  dryRun?: boolean;
}

/** `modelhub scan PATH...`: import into the store (see store/scan.ts for the guarantees). */
export default async function scan(ctx: CommandContext, paths: string[], flags: ScanFlags): Promise<void> {
  const { scanPaths } = await import('../store/scan.js');
  const { acquireLock } = await import('../store/lock.js');
  const config = ctx.config;
  const mode = flags.copy ? 'copy' : flags.link === false || !config.symlinks ? 'move' : 'link';
  const hub = await ctx.hub();
  const classify = await createClassifier(config);
  const lock = flags.dryRun ? undefined : acquireLock(hub.layout.lockFile, 'modelhub scan');
  try {
    const progress = ctx.showProgress ? new ProgressBar(ctx.io.stderr, 'hashing') : undefined;
    const report = await scanPaths(hub, paths, {
      mode,
      dryRun: flags.dryRun === true,
      classify,
      cwd: ctx.io.cwd,
      ...(progress ? { progress } : {}),
    });
    if (ctx.json) {
      ctx.printJson({
        mode,
        dryRun: flags.dryRun === true,
        imported: report.imported,
        duplicates: report.duplicates,
        unchanged: report.unchanged,
        skipped: report.skipped,
        failed: report.failed,
        bytesHashed: report.bytesHashed,
        files: report.files,
        failures: report.failures,
      });
    } else {
      ctx.out(renderScanReport(report, { mode, dryRun: flags.dryRun === true, chalk: ctx.chalk, quiet: ctx.quiet }));
    }
    ctx.exitCode = report.failed > 0 ? EXIT.error : EXIT.ok;
  } finally {
    lock?.release();
  }
}
