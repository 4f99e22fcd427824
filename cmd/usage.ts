import type { CommanderError } from 'commander';
import { ModelHubError } from '../core/errors.js';

/**
 * Usage errors (commander's: unknown option or command, missing argument, invalid value, too many
 * arguments, no command at all) as ModelHub errors, so that `--json` prints them like any other
 * error: `{"error": {"code": "ERR_MODELHUB_USAGE", "message", "hint"}}` on stdout. Commander has
 * already written its text (and the usage line) on stderr.
 */
export function usageError(err: CommanderError, command: string | undefined): ModelHubError {
  const message =
    err.code === 'commander.help'
      ? 'no command given'
      : err.message
          .replace(/^error: /, '')
          .replace(/\n\(Did you mean (.+)\?\)$/s, '; did you mean $1?')
          .trim();
  const hint = command === undefined ? 'run `modelhub --help` for the commands and global options' : `run \`modelhub ${command} --help\` for its arguments and options`;
  return new ModelHubError('USAGE', message, { hint });
}

/** Whether the command line asks for JSON: `--json` anywhere before a `--` that ends the options. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}
