import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from './context.js';
import { contextOf } from './program.js';

type Action = (ctx: CommandContext, ...args: never[]) => Promise<void>;

/**
 * Declare every command with its options and one-line description. Each action lives in its
 * own module, loaded only when that command runs, so `--help` and light commands start fast.
 */
export function registerCommands(program: Command): void {
  program
    .command('init')
    .description('create the hub (databases and store) and copy the default manifests')
    .action(lazy(() => import('./init.js')));

  program
    .command('scan')
    .description('hash model files into the store, leave symlinks behind, classify and record them')
    .argument('<paths...>', 'files or folders to scan')
    .option('--copy', 'copy into the store and leave the originals in place')
    .option('--no-link', 'move into the store without leaving a symlink behind')
    .option('--dry-run', 'show what would be imported; change nothing')
    .action(lazy(() => import('./scan.js')));

  program
    .command('inspect')
    .description('classify files where they are, without a hub and without hashing')
    .argument('<files...>', 'model files')
    .action(lazy(() => import('./inspect.js')));

  program
    .command('list')
    .alias('ls')
    .description('list the inventory, with filters')
    .option('--type <type>', 'only this type (checkpoint, lora, vae, …)')
    .option('--base <base>', 'only this base model (sd15, sdxl, flux, …)')
    .option('--name <glob>', 'only names matching this glob (* and ?)')
    .option('--format <format>', 'only this format (safetensors, gguf, ckpt, pt, pth, bin)')
    .addOption(new Option('--sort <key>', 'sort order').choices(['name', 'size', 'type', 'date']).default('name'))
    .option('--limit <n>', 'rows per page (default: config page_size)', parsePositiveInt)
    .option('--page <n>', 'page number, from 1', parsePositiveInt, 1)
    .option('--deleted', 'include soft-deleted models')
    .action(lazy(() => import('./list.js')));

  program
    .command('show')
    .description('everything known about one model: metadata, paths, classification evidence')
    .argument('<model>', 'hash prefix (6+ hex digits) or file name')
    .action(lazy(() => import('./show.js')));

  program
    .command('stats')
    .description('models and bytes by type, base and format, and space saved by deduplication')
    .action(lazy(() => import('./stats.js')));
}

function lazy(load: () => Promise<{ default: Action }>) {
  return async function (this: Command, ...args: unknown[]): Promise<void> {
    const mod = await load();
    // commander passes (…arguments, options, command); our actions take (ctx, …arguments, options).
    await mod.default(contextOf(this), ...(args.slice(0, -1) as never[]));
  };
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  return n;
}
