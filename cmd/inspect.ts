import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import { resolve } from 'node:path';
import type { CommandContext } from './context.js';
import { createClassifierSetup } from './classifier.js';
import { EXIT } from './exit.js';

interface InspectFlags {
  hash?: boolean;
}

/** Declare `modelhub inspect` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('inspect')
    .description('classify files where they are, without a hub (hashing them only with --hash)')
    .argument('<files...>', 'model files')
    .option('--hash', 'also compute SHA-256 (and AutoV3), so CivitAI can be asked about every file')
    .action(withContext(inspect));
}

/**
 * `modelhub inspect FILE...`: read headers and classify, without a hub. Nothing is hashed
 * unless `--hash`; CivitAI (when online) is asked only for files whose hash is known without
 * hashing (a link into a store, a sidecar that records it, kohya's `sshs_model_hash`) or with
 * `--hash`. Sidecar files next to each file count as evidence.
 */
async function inspect(ctx: CommandContext, files: string[], flags: InspectFlags): Promise<void> {
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
  else {
    const { renderInspect } = await import('./render/inspect.js');
    ctx.out(renderInspect(results, ctx.chalk));
  }
}
