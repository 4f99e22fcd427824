import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../core/duration.js';
import { packageRoot } from '../core/paths.js';
import { isModelHubError, type ModelHubError } from '../core/errors.js';
import { escapeMessage, escapeTerminalOutput } from '../core/terminal-text.js';
import { CommandContext, type CliIO, type GlobalOptions } from './context.js';
import { commandWord, opensTuiByDefault } from './tui-default.js';
import { anyOutputClosed, watchOutput } from './output.js';
import { usageError, wantsJson } from './usage.js';
import { EXIT } from './exit.js';

/**
 * Run the `modelhub` command line in-process and return its exit code. Nothing here calls
 * process.exit, so tests drive the real CLI with their own streams and environment.
 */
export async function run(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const fullIO = defaultIO(io);
  watchOutput(fullIO.stdout);
  watchOutput(fullIO.stderr);
  const args = opensTuiByDefault(argv, fullIO) ? [...argv, 'tui'] : argv;
  const program = await buildProgram(fullIO, commandWord(args));
  let ctx: CommandContext | undefined;
  const configReader = onlyAsksForHelp(argv) ? undefined : import('../core/config.js');
  program.hook('preAction', async (_root, action) => {
    const { loadConfig } = await (configReader ?? import('../core/config.js'));
    ctx = new CommandContext(fullIO, action.optsWithGlobals<GlobalOptions>(), loadConfig);
    (action as Command & { ctx?: CommandContext }).ctx = ctx;
  });
  let code: number;
  try {
    await program.parseAsync(args, { from: 'user' });
    code = ctx?.exitCode ?? EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version succeed; help shown because no command was given is a usage error.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') code = EXIT.ok;
      else code = err.exitCode === 0 ? EXIT.ok : EXIT.error;
      // Commander has written the text on stderr; --json adds the error as data on stdout.
      if (code === EXIT.error && wantsJson(argv)) writeJsonError(fullIO, usageError(err, failedCommand.get(err)));
    } else code = reportError(fullIO, ctx, err);
  } finally {
    ctx?.close();
  }
  return anyOutputClosed([fullIO.stdout, fullIO.stderr]) ? EXIT.pipe : code;
}

function reportError(io: CliIO, ctx: CommandContext | undefined, err: unknown): number {
  const json = ctx?.json ?? false;
  // The reader went away: nobody is left to tell.
  if (isModelHubError(err) && err.code === 'ERR_MODELHUB_OUTPUT_CLOSED') return EXIT.pipe;
  if (isModelHubError(err)) {
    if (json) writeJsonError(io, err);
    const red = ctx?.chalk.red ?? ((s: string) => s);
    // Messages quote paths and names: escaped, their own line breaks kept.
    io.stderr.write(`${red('error:')} ${escapeMessage(err.message)}\n`);
    if (err.hint !== undefined) io.stderr.write(`hint: ${escapeMessage(err.hint)}\n`);
    return EXIT.error;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.stderr.write(`internal error (this is a bug in ModelHub; please report it with the text below):\n${escapeTerminalOutput(stack)}\n`);
  return EXIT.internal;
}

function writeJsonError(io: CliIO, err: ModelHubError): void {
  io.stdout.write(`${JSON.stringify({ error: err.toJSON() }, null, 2)}\n`);
}

interface CommandModule {
  register(program: Command): Command;
}

/**
 * Every command, in the order `modelhub --help` lists them: the names it answers to and the
 * module declaring it. Only the module of the command being run is loaded (each module and
 * what it imports costs Node a millisecond or two to load, and `list` or `plan` should not pay
 * for twenty others); help, a bare `modelhub` and an unknown word load them all. Each module
 * declares its command with its options next to its action and loads its heavy parts only when
 * that action runs. test/cli/program.test.ts holds the names here to what the modules declare.
 */
export const COMMANDS: ReadonlyArray<{ names: readonly string[]; load: () => Promise<CommandModule> }> = [
  { names: ['init'], load: () => import('./init.js') },
  { names: ['scan'], load: () => import('./scan.js') },
  { names: ['inspect'], load: () => import('./inspect.js') },
  { names: ['list', 'ls'], load: () => import('./list.js') },
  { names: ['show'], load: () => import('./show.js') },
  { names: ['explain'], load: () => import('./explain.js') },
  { names: ['reclassify'], load: () => import('./reclassify.js') },
  { names: ['stats'], load: () => import('./stats.js') },
  { names: ['plan'], load: () => import('./plan.js') },
  { names: ['apply'], load: () => import('./apply.js') },
  { names: ['status'], load: () => import('./status.js') },
  { names: ['validate'], load: () => import('./validate.js') },
  { names: ['deploy'], load: () => import('./deploy.js') },
  { names: ['undeploy'], load: () => import('./undeploy.js') },
  { names: ['rename'], load: () => import('./rename.js') },
  { names: ['tui'], load: () => import('./tui.js') },
  { names: ['verify'], load: () => import('./verify.js') },
  { names: ['prune'], load: () => import('./prune.js') },
  { names: ['gc'], load: () => import('./gc.js') },
  { names: ['dupes'], load: () => import('./dupes.js') },
  { names: ['delete'], load: () => import('./delete.js') },
  { names: ['restore'], load: () => import('./restore.js') },
  { names: ['eject'], load: () => import('./eject.js') },
  { names: ['hashes'], load: () => import('./hashes.js') },
  { names: ['export'], load: () => import('./export.js') },
  { names: ['import'], load: () => import('./import.js') },
];

/** The subcommand a usage error was raised in (absent: the top level). */
const failedCommand = new WeakMap<CommanderError, string>();

/**
 * The `modelhub` program with its global options and commands: only `command` when it names
 * one (see COMMANDS), every command otherwise.
 */
export async function buildProgram(io: CliIO, command?: string): Promise<Command> {
  const program = new Command('modelhub');
  program
    .description('Keep AI model files in one content-addressed store and deploy them declaratively into every app.')
    .version(readVersion(), '-V, --version')
    .addOption(new Option('--hub <dir>', 'hub folder (modelhub.db, classification.db, models/); env MODELHUB_HUB'))
    .addOption(new Option('--config <file>', 'config file; env MODELHUB_CONFIG'))
    .addOption(new Option('--manifests <dir>', 'manifests folder; env MODELHUB_MANIFESTS'))
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'print only results and errors, no progress')
    .option('--offline', 'never use the network (no CivitAI lookups)')
    .addOption(new Option('--lock-timeout <duration>', 'wait this long for a held hub lock (30s, 5m, 1h, or seconds; default 0s: fail at once)').argParser(parseLockTimeout))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(escapeTerminalOutput(s)),
      writeErr: (s) => io.stderr.write(escapeTerminalOutput(s)),
    });
  const named = COMMANDS.filter((c) => command !== undefined && c.names.includes(command));
  for (const module of await Promise.all((named.length > 0 ? named : COMMANDS).map((c) => c.load()))) module.register(program);
  for (const cmd of program.commands) {
    cmd.exitOverride((err) => {
      failedCommand.set(err, cmd.name());
      throw err;
    });
  }
  return program;
}

function defaultIO(io: Partial<CliIO>): CliIO {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const stdin = io.stdin ?? process.stdin;
  return {
    stdout,
    stderr,
    stdin,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    stdoutIsTTY: io.stdoutIsTTY ?? (stdout as { isTTY?: boolean }).isTTY === true,
    stderrIsTTY: io.stderrIsTTY ?? (stderr as { isTTY?: boolean }).isTTY === true,
    stdinIsTTY: io.stdinIsTTY ?? (stdin as { isTTY?: boolean }).isTTY === true,
    now: io.now ?? Date.now,
    sleep: io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}

/**
 * Whether the command line only asks for help or the version, which need no config. Otherwise
 * the config reader (YAML and the schema validator, the slowest modules to load) starts loading
 * at once, beside the command modules, instead of after them. A wrong guess costs time only.
 */
function onlyAsksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  return args[0] === 'help' || args.some((a) => a === '-h' || a === '--help' || a === '-V' || a === '--version');
}

/** --lock-timeout: a duration, or a usage error naming the value. */
function parseLockTimeout(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`"${value}" is not a duration; give e.g. 30s, 5m, 1h or a number of seconds.`);
  return ms;
}

let version: string | undefined;
function readVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
