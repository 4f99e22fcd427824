import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { Hub } from '../store/hub.js';
import type { ModelRow } from '../store/inventory.js';
import type { CommandContext } from './context.js';

/** Declare `modelhub show` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('show')
    .description('everything known about one model: metadata, paths, classification evidence')
    .argument('<model>', 'hash prefix (6+ hex digits) or file name')
    .action(withContext(show));
}

/** `modelhub show MODEL`: every fact the inventory holds about one model. */
async function show(ctx: CommandContext, ref: string): Promise<void> {
  const inv = await import('../store/inventory.js');
  const { findStoreFile } = await import('../store/import.js');
  let hub = await ctx.hub({ readonly: true });
  let m = inv.resolveModelRef(hub.db, ref);
  if (await askCivitaiFirst(ctx, hub, m.id)) {
    hub = await ctx.hub();
    await classifyWithCivitai(ctx, hub, m);
    m = inv.resolveModelRef(hub.db, m.sha256);
  }
  const sources = inv.getSources(hub.db, m.id);
  const metadata = inv.getMetadata(hub.db, m.id);
  const evidence = inv.getEvidence(hub.db, m.id);
  const storeFile = (await findStoreFile(hub.layout, m.sha256)) ?? null;
  const result = {
    hash: m.sha256,
    autov2: m.autov2,
    autov3: m.autov3,
    name: m.filename,
    size: m.file_size,
    format: m.format,
    container: m.container,
    type: m.primary_type,
    base: m.base_model,
    variant: m.sub_type,
    confidence: m.confidence,
    unsafe: m.unsafe === 1,
    deleted: m.deleted === 1,
    added: m.created_at,
    updated: m.updated_at,
    storeFile,
    paths: sources,
    metadata,
    evidence,
  };
  if (ctx.json) {
    ctx.printJson(result);
    return;
  }
  const { renderShow } = await import('./render/show.js');
  ctx.out(renderShow({ ...result, deletedAt: m.deleted_at }, ctx.chalk));
}

/** When online and CivitAI was never asked about this model, ask first (the answer is cached and recorded). */
async function askCivitaiFirst(ctx: CommandContext, hub: Hub, modelId: number): Promise<boolean> {
  if (ctx.globals.offline === true || !ctx.config.external_apis.civitai.enabled) return false;
  const { civitaiWasAsked } = await import('../store/inventory.js');
  return !civitaiWasAsked(hub.db, modelId);
}

async function classifyWithCivitai(ctx: CommandContext, hub: Hub, m: ModelRow): Promise<void> {
  const { classifyStoredModels } = await import('../store/reclassify.js');
  const { createClassifierSetup } = await import('./classifier.js');
  const setup = await createClassifierSetup(ctx);
  const [r] = await classifyStoredModels(hub, [m], { classify: setup.options, civitai: setup.civitai, lookup: setup.lookup });
  if (r?.civitai.status === 'error') ctx.err(`warning: CivitAI lookup failed: ${r.civitai.error ?? ''}`);
}
