import type { Command } from 'commander';
import { withContext } from './command-kit.js';
import { ModelHubError } from '../core/errors.js';
import type { CommandContext } from './context.js';

interface TuiFlags {
  readonly?: boolean;
}

/** Exit statuses of the signals that end the TUI: 128 + the signal's number. */
const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/** Declare `modelhub tui` with its arguments and options; it runs the action below. */
export function register(program: Command): Command {
  return program
    .command('tui')
    .description('the full-screen terminal UI: browse, filter, inspect, scan, delete, deploy (bare `modelhub` on a terminal opens it)')
    .option('--readonly', 'open the hub read-only; every action that writes is disabled')
    .action(withContext(tui));
}

/**
 * `modelhub tui [--readonly]` (and bare `modelhub` on a terminal): the full-screen terminal UI
 * on the configured hub, with every global option applied. It needs a terminal on stdin and
 * stdout. `--readonly` opens the hub read-only and refuses every action that writes.
 */
async function tui(ctx: CommandContext, flags: TuiFlags): Promise<void> {
  if (!ctx.io.stdinIsTTY || !ctx.io.stdoutIsTTY) {
    throw new ModelHubError('USAGE', '`modelhub tui` needs a terminal: stdin and stdout must both be one', { hint: '`modelhub list` and `modelhub show MODEL` print the same without one' });
  }
  const readonly = flags.readonly === true;
  const hub = await ctx.hub({ readonly });
  // Ink draws only the last frame when it believes it runs in CI (the CI variable): a terminal
  // UI started on a terminal draws every frame, whatever the environment says.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { launchTui } = await import('../tui/launch.js');
  const { signal } = await launchTui({
    hub,
    config: ctx.config,
    offline: ctx.globals.offline === true,
    readonly,
    color: ctx.chalk.level > 0,
    lockTimeoutMs: ctx.globals.lockTimeout ?? 0,
    stdin: ctx.io.stdin as NodeJS.ReadStream,
    stdout: ctx.io.stdout as NodeJS.WriteStream,
    env: ctx.io.env,
    cwd: ctx.io.cwd,
    now: ctx.io.now,
    sleep: ctx.io.sleep,
  });
  if (signal !== undefined) ctx.exitCode = SIGNAL_EXIT[signal];
}
