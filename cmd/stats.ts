import type { CommandContext } from './context.js';
import { escapeForTerminal, forTerminal } from '../core/terminal-text.js';
import { formatBytes, renderTable } from './format.js';
import type { Bucket } from '../store/query.js';

/** `modelhub stats`: what the store holds and what deduplication saved. */
export default async function stats(ctx: CommandContext): Promise<void> {
  const { inventoryStats } = await import('../store/query.js');
  const hub = await ctx.hub({ readonly: true });
  const raw = inventoryStats(hub.db);
  if (ctx.json) {
    ctx.printJson(raw);
    return;
  }
  const s = forTerminal(raw);
  const { chalk } = ctx;
  const section = (title: string, buckets: Bucket[]): string =>
    `${chalk.bold(title)}\n${renderTable(
      [{ header: title.toUpperCase() }, { header: 'MODELS', align: 'right' }, { header: 'SIZE', align: 'right' }],
      buckets.map((b) => [b.key, String(b.count), formatBytes(b.bytes)]),
    )}`;
  ctx.out(`${chalk.bold(`${s.models} models, ${formatBytes(s.bytes)}`)} in ${escapeForTerminal(hub.layout.modelsDir)}`);
  ctx.out('');
  ctx.out(section('type', s.byType));
  ctx.out('');
  ctx.out(section('base', s.byBase));
  ctx.out('');
  ctx.out(section('format', s.byFormat));
  ctx.out('');
  ctx.out(`Deduplication: ${s.linkedPaths} source paths served by the store; ${chalk.green(formatBytes(s.savedBytes))} saved.`);
  if (s.deleted.count > 0) ctx.out(`Soft-deleted: ${s.deleted.count} models, ${formatBytes(s.deleted.bytes)} (see \`modelhub gc\`).`);
}
