import { resolve } from 'node:path';
import { forTerminal } from '../core/terminal-text.js';
import type { InspectResult } from '../store/inspect-files.js';
import type { CommandContext } from './context.js';
import { createClassifierSetup } from './classifier.js';
import { formatBytes, formatConfidence } from './format.js';
import { renderEvidence } from './render/evidence.js';
import { EXIT } from './exit.js';

interface InspectFlags {
  hash?: boolean;
}

/**
 * `modelhub inspect FILE...`: read headers and classify, without a hub. Nothing is hashed
 * unless `--hash`; CivitAI (when online) is asked only for files whose hash is known without
 * hashing (a link into a store, a sidecar that records it, kohya's `sshs_model_hash`) or with
 * `--hash`. Sidecar files next to each file count as evidence.
 */
export default async function inspect(ctx: CommandContext, files: string[], flags: InspectFlags): Promise<void> {
  const { inspectFiles } = await import('../store/inspect-files.js');
  const { hubLayout } = await import('../store/hub.js');
  const setup = await createClassifierSetup(ctx);
  const results = await inspectFiles(
    files.map((f) => resolve(ctx.io.cwd, f)),
    setup,
    { hash: flags.hash === true, cacheFile: hubLayout(ctx.config.hub).classificationDb },
  );
  ctx.exitCode = results.some((r) => r.error) ? EXIT.error : EXIT.ok;
  if (ctx.json) ctx.printJson(results);
  else ctx.out(forTerminal(results).map((r) => renderOne(ctx, r)).join('\n\n'));
}

function renderOne(ctx: CommandContext, r: InspectResult): string {
  const { chalk } = ctx;
  if (r.error) return `${chalk.bold(r.path)}\n  ${chalk.red('error:')} ${r.error.message}${r.error.hint ? `\n  hint: ${r.error.hint}` : ''}`;
  const head = `${chalk.bold(r.path)}\n  ${r.type}${r.variant ? ` (${r.variant})` : ''}  base ${r.base}  confidence ${formatConfidence(r.confidence ?? 0)}`;
  const facts = `  ${r.format} (${r.container}), ${formatBytes(r.size ?? 0)}, ${r.tensors} tensors, ${formatBytes(r.bytesRead ?? 0)} read${r.sha256 ? `, sha256 ${r.sha256.slice(0, 12)}` : ''}`;
  const civitai = r.civitai ? `\n  CivitAI: ${r.civitai.status}${r.civitai.url ? ` ${r.civitai.url}` : ''}${r.civitai.error ? ` (${r.civitai.error})` : ''}` : '';
  const unsafe = r.unsafe ? `\n  ${chalk.yellow('warning:')} unsafe to load: ${r.unsafe.join(', ')} (ModelHub never executes pickles)` : '';
  return `${head}\n${facts}${civitai}${unsafe}\n${renderEvidence(r.evidence ?? [], chalk)}`;
}
