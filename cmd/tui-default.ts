/** Global options that take a value (`--hub DIR`), so their value is not taken for a command. */
const VALUE_OPTIONS = new Set(['--hub', '--config', '--manifests', '--lock-timeout']);

/**
 * Whether `modelhub` was run with no command (global options at most, no --help or --version)
 * on a terminal: then it opens the TUI. Without a terminal it keeps its old behaviour (the help,
 * as a usage error), so scripts never get a full-screen program.
 */
export function opensTuiByDefault(argv: string[], io: { stdinIsTTY: boolean; stdoutIsTTY: boolean }): boolean {
  if (!io.stdinIsTTY || !io.stdoutIsTTY) return false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help' || arg === '-V' || arg === '--version' || arg === '--json') return false;
    if (!arg.startsWith('-')) return false;
    if (VALUE_OPTIONS.has(arg)) i++;
  }
  return true;
}

/** The command word of a command line: its first argument that is not a global option or an option's value. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return argv[i + 1];
    if (!arg.startsWith('-')) return arg;
    if (VALUE_OPTIONS.has(arg)) i++;
  }
  return undefined;
}
