import type { Command } from 'commander';
import { MODELS_ARGUMENT, withContext } from './command-kit.js';
import { ModelHubError } from '../core/errors.js';
import type { StoredClassification } from '../store/reclassify.js';
import type { CommandContext } from './context.js';
import { createClassifierSetup, mirrorRulesInto } from './classifier.js';
import { EXIT } from './exit.js';

interface ReclassifyFlags {
  all?: boolean;
  online?: boolean;
  offline?: boolean;
  dryRun?: boolean;
  refresh?: boolean;
}

/** Declare `modelhub reclassify` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('reclassify')
    .description('classify stored models again with the current rules, sidecars and CivitAI; print what changed')
    .argument('[models...]', MODELS_ARGUMENT)
    .option('--all', 'every model in the inventory')
    .option('--online', 'ask CivitAI even if the config switch is off')
    .option('--offline', 'do not ask CivitAI (cached answers still count)')
    .option('--refresh', 'ask CivitAI again even where an answer is cached')
    .option('--dry-run', 'show what would change; write nothing')
    .action(withContext(reclassify));
}

/**
 * `modelhub reclassify [MODEL...] [--all]`: classify stored models again with the current rules,
 * sidecars and CivitAI, and print what changed. Overrides from the manifests stay in force.
 */
async function reclassify(ctx: CommandContext, refs: string[], flags: ReclassifyFlags): Promise<void> {
  const { classifyStoredModels } = await import('../store/reclassify.js');
  const { listAllModels } = await import('../store/inventory.js');
  const { findModel } = await import('../store/model-ref.js');
  const { overriddenHashes } = await import('../store/overrides.js');
  if (flags.online && flags.offline) throw new ModelHubError('USAGE', '--online and --offline contradict each other', { hint: 'give one of them' });
  if (refs.length === 0 && !flags.all) throw new ModelHubError('USAGE', 'name the models to reclassify, or pass --all', { hint: 'modelhub reclassify --all' });
  const online = flags.online ? true : flags.offline ? false : undefined;
  const hub = await ctx.hub();
  const setup = await createClassifierSetup(ctx, online === undefined ? {} : { online });
  const models = flags.all ? listAllModels(hub.db) : refs.map((r) => findModel(hub, r, ctx.io.cwd));
  const lock = flags.dryRun ? undefined : await ctx.lock(hub, 'modelhub reclassify');
  let results: StoredClassification[];
  try {
    if (!flags.dryRun) await mirrorRulesInto(hub, setup, ctx);
    results = await classifyStoredModels(hub, models, { classify: setup.options, civitai: setup.civitai, lookup: setup.lookup, dryRun: flags.dryRun === true, refresh: flags.refresh === true });
  } finally {
    lock?.release();
  }
  const overridden = overriddenHashes(hub.db);
  const changed = results.filter((r) => r.changed);
  const failed = results.filter((r) => r.error !== undefined);
  ctx.exitCode = failed.length > 0 ? EXIT.error : EXIT.ok;
  if (ctx.json) {
    ctx.printJson({
      dryRun: flags.dryRun === true,
      models: results.length,
      changed: changed.length,
      failed: failed.length,
      results: results.map(({ classification: _c, ...r }) => ({ ...r, overridden: overridden.has(r.hash) })),
    });
    return;
  }
  const { renderReclassify } = await import('./render/reclassify.js');
  const view = renderReclassify(results, { overridden, dryRun: flags.dryRun === true, offline: setup.civitai === null }, ctx.chalk);
  if (view.changes !== '') ctx.out(view.changes);
  if (view.warning !== '') ctx.err(view.warning);
  ctx.out(view.summary);
}
