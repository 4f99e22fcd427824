import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import type { CommandContext } from './context.js';

/** Declare `modelhub export` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('export')
    .description('write the inventory as a portable, diff-friendly YAML (or .json) file')
    .argument('<file>', 'the file to write (.json: JSON, otherwise YAML)')
    .action(withContext(exportInventory));
}

/**
 * `modelhub export FILE`: write the inventory as a portable document (YAML, or JSON for a
 * `.json` file), sorted and free of timestamps so successive exports diff cleanly. The file is
 * replaced atomically, and only if it is a regular file (core/safe-write.ts). `-` writes the
 * document to stdout (JSON with --json) and the summary to stderr. Reads the hub only.
 */
async function exportInventory(ctx: CommandContext, file: string): Promise<void> {
  const { buildInventoryDocument, inventoryFormatFor, serializeInventory } = await import('../store/export.js');
  const { writeOutput } = await import('../core/safe-write.js');
  const hub = await ctx.hub({ readonly: true });
  const doc = buildInventoryDocument(hub);
  const toStdout = file === '-';
  const format = toStdout ? (ctx.json ? 'json' : 'yaml') : inventoryFormatFor(file);
  const path = writeOutput(file, serializeInventory(doc, format), ctx.io);
  const deleted = doc.models.filter((m) => m.deleted).length;
  const { renderExportSummary } = await import('./render/export.js');
  const summary = renderExportSummary({ to: toStdout ? 'stdout' : path, format, models: doc.models.length, deleted }, ctx.chalk);
  if (toStdout) ctx.info(summary);
  else if (ctx.json) ctx.printJson({ file: path, format, models: doc.models.length, deleted });
  else ctx.out(summary);
}
