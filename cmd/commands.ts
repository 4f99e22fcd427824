import { Command, Option } from 'commander';
import { registerHousekeeping } from './commands-housekeeping.js';
import { lazy, parsePositiveInt } from './command-kit.js';

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
    .option('--no-settle', 'also import files modified within the settle window (config scan.settle_seconds)')
    .action(lazy(() => import('./scan.js')));

  program
    .command('inspect')
    .description('classify files where they are, without a hub (hashing them only with --hash)')
    .argument('<files...>', 'model files')
    .option('--hash', 'also compute SHA-256 (and AutoV3), so CivitAI can be asked about every file')
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
    .option('--no-civitai', 'only models CivitAI has no match for (or was never asked about)')
    .option('--unsafe', 'only models flagged unsafe (a pickle referring to code outside what torch uses)')
    .action(lazy(() => import('./list.js')));

  program
    .command('show')
    .description('everything known about one model: metadata, paths, classification evidence')
    .argument('<model>', 'hash prefix (6+ hex digits) or file name')
    .action(lazy(() => import('./show.js')));

  program
    .command('explain')
    .description('why a model is classified as it is: every piece of evidence, candidates, what would change it')
    .argument('<model>', 'hash prefix (6+ hex digits) or file name')
    .action(lazy(() => import('./explain.js')));

  program
    .command('reclassify')
    .description('classify stored models again with the current rules, sidecars and CivitAI; print what changed')
    .argument('[models...]', 'hash prefixes or file names')
    .option('--all', 'every model in the inventory')
    .option('--online', 'ask CivitAI even if the config switch is off')
    .option('--offline', 'do not ask CivitAI (cached answers still count)')
    .option('--refresh', 'ask CivitAI again even where an answer is cached')
    .option('--dry-run', 'show what would change; write nothing')
    .action(lazy(() => import('./reclassify.js')));

  program
    .command('stats')
    .description('models and bytes by type, base and format, and space saved by deduplication')
    .action(lazy(() => import('./stats.js')));

  program
    .command('plan')
    .description('show what apply would change in the target folders (changes nothing)')
    .option('--target <name>', 'only this target')
    .option('--out <file>', 'also save the plan as JSON, for `modelhub apply FILE`')
    .option('--detailed-exitcode', 'exit 2 when there are changes (0 none, 1 error or conflicts)')
    .option('--adopt', 'plan to replace foreign files identical to the declared model by links')
    .action(lazy(() => import('./plan.js')));

  program
    .command('apply')
    .description('make the target folders match the manifests: link, relink, remove owned links')
    .argument('[planfile]', 'a plan saved by `modelhub plan --out FILE` (refused when stale)')
    .option('--target <name>', 'only this target')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .option('--adopt', 'replace foreign files identical to the declared model (same SHA-256) by links')
    .option('--allow-empty', 'allow removing every link of a target whose declared links became none')
    .action(lazy(() => import('./apply.js')));

  program
    .command('status')
    .description('per target: declared, in sync, missing, drifted, conflicts, broken links, unselected models')
    .option('--target <name>', 'only this target')
    .action(lazy(() => import('./status.js')));

  program
    .command('validate')
    .description('check the manifests (schemas and references) without a hub; exit 1 when invalid')
    .option('--inventory <file>', 'also check them against an exported inventory: every deployment selects a model, no link path collides')
    .action(lazy(() => import('./validate.js')));

  program
    .command('tui')
    .description('the full-screen terminal UI: browse, filter, inspect, scan, delete, deploy (bare `modelhub` on a terminal opens it)')
    .option('--readonly', 'open the hub read-only; every action that writes is disabled')
    .action(lazy(() => import('./tui.js')));

  registerHousekeeping(program, lazy);
}
