import { resolve } from 'node:path';
import type { CommandContext } from './context.js';

/**
 * `modelhub export FILE`: write the inventory as a portable document (YAML, or JSON for a
 * `.json` file), sorted and free of timestamps so successive exports diff cleanly. The file is
 * replaced atomically. Reads the hub only.
 */
export default async function exportInventory(ctx: CommandContext, file: string): Promise<void> {
  const { buildInventoryDocument, inventoryFormatFor, serializeInventory, writeFileAtomic } = await import('../store/export.js');
  const hub = await ctx.hub({ readonly: true });
  const path = resolve(ctx.io.cwd, file);
  const doc = buildInventoryDocument(hub);
  const format = inventoryFormatFor(path);
  writeFileAtomic(path, serializeInventory(doc, format));
  const deleted = doc.models.filter((m) => m.deleted).length;
  if (ctx.json) ctx.printJson({ file: path, format, models: doc.models.length, deleted });
  else ctx.out(`Exported ${doc.models.length} model${doc.models.length === 1 ? '' : 's'}${deleted > 0 ? ` (${deleted} soft-deleted)` : ''} to ${path} (${format.toUpperCase()}).`);
}
