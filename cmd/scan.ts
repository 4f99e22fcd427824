import type { StoredClassification } from '../store/reclassify.js';
import type { ScanReport } from '../store/scan.js';
import { escapeForTerminal } from '../core/terminal-text.js';
import type { CommandContext } from './context.js';
import { createClassifierSetup, mirrorRulesInto } from './classifier.js';
import { ProgressBar } from './progress.js';
import { renderScanReport } from './render/scan.js';
import { EXIT } from './exit.js';

interface ScanFlags {
  copy?: boolean;
  link?: boolean;
  dryRun?: boolean;
  settle?: boolean;
}

/**
 * `modelhub scan PATH...`: import into the store (see store/scan.ts for the guarantees), then
 * classify what was imported with everything known: header, sidecars and, unless offline,
 * CivitAI (one batched lookup).
 */
export default async function scan(ctx: CommandContext, paths: string[], flags: ScanFlags): Promise<void> {
  const { scanPaths } = await import('../store/scan.js');
  const config = ctx.config;
  const mode = flags.copy ? 'copy' : flags.link === false || !config.symlinks ? 'move' : 'link';
  // The first scan creates the hub; a dry run changes nothing, so it needs one that exists.
  const hub = await ctx.hub({ create: flags.dryRun !== true });
  const setup = await createClassifierSetup(ctx);
  const lock = flags.dryRun ? undefined : await ctx.lock(hub, 'modelhub scan');
  try {
    if (!flags.dryRun) await mirrorRulesInto(hub, setup, ctx);
    const progress = ctx.showProgress ? new ProgressBar(ctx.io.stderr, 'hashing') : undefined;
    const report = await scanPaths(hub, paths, {
      mode,
      dryRun: flags.dryRun === true,
      classify: setup.classifyFile,
      cwd: ctx.io.cwd,
      settleMs: flags.settle === false ? 0 : config.scan.settle_seconds * 1000,
      now: ctx.io.now,
      ...(progress ? { progress } : {}),
    });
    const enriched = flags.dryRun ? [] : await classifyImported(ctx, report, setup);
    const civitai = summarizeCivitai(enriched, setup.civitai !== null);
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
      ctx.out(renderScanReport(report, { mode, dryRun: flags.dryRun === true, chalk: ctx.chalk, quiet: ctx.quiet }));
      if (civitai.asked) ctx.info(`CivitAI: ${civitai.found} found, ${civitai.notFound} not on CivitAI${civitai.errors > 0 ? `, ${civitai.errors} failed (${escapeForTerminal(civitai.firstError ?? '')})` : ''}.`);
    }
    ctx.exitCode = report.failed > 0 ? EXIT.error : EXIT.ok;
  } finally {
    lock?.release();
  }
}

/**
 * Classify the newly imported models again where sidecars or CivitAI add to their header (the
 * rest keep the classification made at import); update the report's lines.
 */
async function classifyImported(ctx: CommandContext, report: ScanReport, setup: Awaited<ReturnType<typeof createClassifierSetup>>): Promise<StoredClassification[]> {
  const { classifyStoredModels } = await import('../store/reclassify.js');
  const { getModelBySha } = await import('../store/inventory.js');
  const hub = await ctx.hub();
  const hashes = [...new Set(report.files.filter((f) => f.outcome === 'imported' && f.sha256 !== undefined).map((f) => f.sha256 as string))];
  const models = hashes.map((h) => getModelBySha(hub.db, h)).filter((m) => m !== undefined);
  if (models.length === 0) return [];
  const results = await classifyStoredModels(hub, models, { classify: setup.options, civitai: setup.civitai, lookup: setup.lookup, onlyWithOutsideEvidence: true });
  const byHash = new Map(results.map((r) => [r.hash, r]));
  for (const f of report.files) {
    const r = f.sha256 === undefined ? undefined : byHash.get(f.sha256);
    const now = r === undefined ? undefined : getModelBySha(hub.db, r.hash);
    if (now !== undefined) Object.assign(f, { type: now.primary_type, base: now.base_model });
  }
  return results;
}

function summarizeCivitai(results: StoredClassification[], online: boolean): { asked: boolean; found: number; notFound: number; errors: number; firstError?: string } {
  const count = (s: string): number => results.filter((r) => r.civitai.status === s).length;
  const out: { asked: boolean; found: number; notFound: number; errors: number; firstError?: string } = {
    asked: online && results.length > 0,
    found: count('found'),
    notFound: count('not-found'),
    errors: count('error'),
  };
  const firstError = results.find((r) => r.civitai.error !== undefined)?.civitai.error;
  if (firstError !== undefined) out.firstError = firstError;
  return out;
}
