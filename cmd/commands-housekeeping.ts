import type { Command } from 'commander';
import type { Action } from './command-kit.js';

type Lazy = (load: () => Promise<{ default: Action }>) => (this: Command, ...args: unknown[]) => Promise<void>;

/** Housekeeping commands (verify, prune, gc, dupes, delete, restore, hashes, export, import). */
export function registerHousekeeping(program: Command, lazy: Lazy): void {
  program
    .command('verify')
    .description('re-hash store files and compare with the inventory; report missing, corrupted and unexpected files')
    .argument('[models...]', 'hash prefixes or file names (default: every model and the whole store)')
    .option('--fast', 'compare size and modification time only (no hashing)')
    .action(lazy(() => import('./verify.js')));

  program
    .command('prune')
    .description('remove broken owned links and link-backs of deleted models; list other broken symlinks')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(lazy(() => import('./prune.js')));

  program
    .command('gc')
    .description('free store space: deleted models nothing links to, staging files of dead scans; lists store folders the inventory lacks')
    .option('--orphans', 'also remove store folders no inventory row references (unregistered models and damaged folders)')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(lazy(() => import('./gc.js')));

  program
    .command('dupes')
    .description('duplicates: several paths of one file, same weights with edited headers, same names')
    .action(lazy(() => import('./dupes.js')));

  program
    .command('delete')
    .description('soft-delete models (undeployed at the next apply; reversible with restore)')
    .argument('<models...>', 'hash prefixes (6+ hex digits) or file names')
    .option('--hard', 'also remove them from the store, once nothing links to them')
    .option('-y, --yes', 'with --hard: do not ask for confirmation (needed without a terminal)')
    .action(lazy(() => import('./delete.js')));

  program
    .command('restore')
    .description('undo a soft delete (the next apply deploys the models again)')
    .argument('<models...>', 'hash prefixes (6+ hex digits) or file names')
    .action(lazy(() => import('./restore.js')));

  program
    .command('hashes')
    .description('write <file>.sha256 files (sha256sum format) next to store files or source paths')
    .option('--at-source', 'next to each source path that still holds its model, not in the store')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(lazy(() => import('./hashes.js')));

  program
    .command('export')
    .description('write the inventory as a portable, diff-friendly YAML (or .json) file')
    .argument('<file>', 'the file to write (.json: JSON, otherwise YAML)')
    .action(lazy(() => import('./export.js')));

  program
    .command('import')
    .description('merge an exported inventory by hash; models this store lacks are only reported')
    .argument('<file>', 'a file written by `modelhub export`')
    .option('--dry-run', 'show what would be added; change nothing')
    .action(lazy(() => import('./import.js')));
}
