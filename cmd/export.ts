import type { CommandContext } from './context.js';

/**
 * `modelhub export FILE`: write the inventory as a portable document (YAML, or JSON for a
 * `.json` file), sorted and free of timestamps so successive exports diff cleanly. The file is
 * replaced atomically, and only if it is a regular file (core/safe-write.ts). `-` writes the
 * document to stdout (JSON with --json) and the summary to stderr. Reads the hub only.
 */
export default async function exportInventory(ctx: CommandContext, file: string): Promise<void> {
  const { buildInventoryDocument, inventoryFormatFor, serializeInventory } = await import('../store/export.js');
  const { writeOutput } = await import('../core/safe-write.js');
  const hub = await ctx.hub({ readonly: true });
  const doc = buildInventoryDocument(hub);
  const toStdout = file === '-';
  const format = toStdout ? (ctx.json ? 'json' : 'yaml') : inventoryFormatFor(file);
  const path = writeOutput(file, serializeInventory(doc, format), ctx.io);
  const deleted = doc.models.filter((m) => m.deleted).length;
  const summary = `Exported ${doc.models.length} model${doc.models.length === 1 ? '' : 's'}${deleted > 0 ? ` (${deleted} soft-deleted)` : ''} to ${toStdout ? 'stdout' : path} (${format.toUpperCase()}).`;
  if (toStdout) ctx.info(summary);
  else if (ctx.json) ctx.printJson({ file: path, format, models: doc.models.length, deleted });
  else ctx.out(summary);
}
