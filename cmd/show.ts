import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { ChalkInstance } from 'chalk';
import { forTerminal } from '../core/terminal-text.js';
import type { Hub } from '../store/hub.js';
import type { ModelRow } from '../store/inventory.js';
import type { CommandContext } from './context.js';
import { formatBytes, formatConfidence } from './format.js';
import { renderEvidence } from './render/evidence.js';

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
  ctx.out(renderShow(forTerminal({ ...result, deletedAt: m.deleted_at }), ctx.chalk));
}

type ShowResult = {
  hash: string;
  autov2: string | null;
  autov3: string | null;
  name: string;
  size: number;
  format: string;
  container: string | null;
  type: string;
  base: string;
  variant: string | null;
  confidence: number;
  unsafe: boolean;
  deleted: boolean;
  deletedAt: string | null;
  storeFile: string | null;
  paths: Array<{ path: string; state: string }>;
  metadata: Array<{ source: string; key: string; value: string | null }>;
  evidence: Parameters<typeof renderEvidence>[0];
};

/** The human view of `show`, from the same result as --json (its strings already escaped). */
function renderShow(v: ShowResult, chalk: ChalkInstance): string {
  const row = (k: string, text: string): string => `${chalk.dim(k.padEnd(12))} ${text}`;
  const lines = [
    chalk.bold(v.name),
    row('hash', v.hash),
    row('autov2', v.autov2 ?? '-'),
    row('autov3', v.autov3 ? v.autov3.slice(0, 12).toUpperCase() : '-'),
    row('size', `${formatBytes(v.size)} (${v.size} bytes)`),
    row('format', `${v.format}${v.container && v.container !== v.format ? ` (${v.container})` : ''}`),
    row('type', `${v.type}${v.variant ? ` (${v.variant})` : ''}`),
    row('base', v.base),
    row('confidence', formatConfidence(v.confidence)),
    row('civitai', describeCivitai(v.metadata)),
    row('store', v.storeFile ?? chalk.red('missing from the store (run `modelhub verify`)')),
  ];
  if (v.unsafe) lines.push(row('warning', chalk.yellow('pickle references code outside what torch uses; ModelHub never executes it')));
  if (v.deleted) lines.push(row('deleted', v.deletedAt ?? 'yes'));
  lines.push('', chalk.bold(`paths (${v.paths.length})`));
  for (const s of v.paths) lines.push(`  ${s.path}  ${chalk.dim(s.state)}`);
  lines.push('', chalk.bold('classification evidence'), renderEvidence(v.evidence, chalk));
  lines.push('', chalk.bold(`metadata (${v.metadata.length})`));
  for (const md of v.metadata) lines.push(`  ${chalk.dim(`${md.source}:`)}${md.key} = ${truncate(md.value ?? 'null', 200)}`);
  return lines.join('\n');
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}… (${s.length} chars)` : s;
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

function describeCivitai(metadata: Array<{ source: string; key: string; value: string | null }>): string {
  const get = (k: string): string | undefined => metadata.find((x) => x.source === 'civitai' && x.key === k)?.value ?? undefined;
  const status = get('civitai.status');
  if (status === 'found') return `${get('civitai.model_name') ?? ''} ${get('civitai.version_name') ?? ''} (${get('civitai.base_model') ?? '?'}) ${get('civitai.url') ?? ''}`.trim();
  if (status === 'not-found') return 'not on CivitAI';
  return 'not asked (offline)';
}
