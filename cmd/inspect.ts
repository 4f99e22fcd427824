import { basename, resolve } from 'node:path';
import { isModelHubError } from '../core/errors.js';
import type { CommandContext } from './context.js';
import { createClassifier } from './classifier.js';
import { formatBytes, formatConfidence } from './format.js';
import { renderEvidence } from './render/evidence.js';
import { EXIT } from './program.js';

interface InspectResult {
  path: string;
  format: string | null;
  container?: string;
  size?: number;
  tensors?: number;
  type?: string;
  base?: string;
  variant?: string | null;
  confidence?: number;
  evidence?: unknown[];
  unsafe?: string[];
  bytesRead?: number;
  error?: { code: string; message: string; hint?: string };
}

/** `modelhub inspect FILE...`: read headers and classify, without a hub and without hashing. */
export default async function inspect(ctx: CommandContext, files: string[]): Promise<void> {
  const { readModelHeader } = await import('../formats/read.js');
  const { formatFromPath } = await import('../core/vocabulary.js');
  const classify = await createClassifier(ctx.config);
  const results: InspectResult[] = [];
  for (const file of files) {
    const path = resolve(ctx.io.cwd, file);
    try {
      const header = await readModelHeader(path);
      const c = classify({ fileName: basename(path), size: header.size, header });
      const r: InspectResult = {
        path,
        format: header.format,
        container: header.container,
        size: header.size,
        tensors: header.tensors.length,
        type: c.type,
        base: c.base,
        variant: c.variant,
        confidence: c.confidence,
        evidence: c.evidence,
        bytesRead: header.bytesRead,
      };
      if (header.unsafeGlobals && header.unsafeGlobals.length > 0) r.unsafe = header.unsafeGlobals;
      results.push(r);
    } catch (err) {
      if (!isModelHubError(err)) throw err;
      const e: InspectResult['error'] = { code: err.code, message: err.message };
      if (err.hint !== undefined) e.hint = err.hint;
      results.push({ path, format: formatFromPath(path) ?? null, error: e });
    }
  }
  ctx.exitCode = results.some((r) => r.error) ? EXIT.error : EXIT.ok;
  if (ctx.json) {
    ctx.printJson(results);
    return;
  }
  const { chalk } = ctx;
  const blocks = results.map((r) => {
    if (r.error) return `${chalk.bold(r.path)}\n  ${chalk.red('error:')} ${r.error.message}${r.error.hint ? `\n  hint: ${r.error.hint}` : ''}`;
    const head = `${chalk.bold(r.path)}\n  ${r.type}${r.variant ? ` (${r.variant})` : ''}  base ${r.base}  confidence ${formatConfidence(r.confidence ?? 0)}`;
    const facts = `  ${r.format} (${r.container}), ${formatBytes(r.size ?? 0)}, ${r.tensors} tensors, ${formatBytes(r.bytesRead ?? 0)} read`;
    const unsafe = r.unsafe ? `\n  ${chalk.yellow('warning:')} pickle references ${r.unsafe.join(', ')} (never executed)` : '';
    return `${head}\n${facts}${unsafe}\n${renderEvidence((r.evidence ?? []) as Parameters<typeof renderEvidence>[0], chalk)}`;
  });
  ctx.out(blocks.join('\n\n'));
}
