/**
 * Exit codes. Set only by the CLI entry (cmd/program.ts) and by command actions through
 * CommandContext.exitCode; library code never exits the process.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  /** plan/verify with a detailed exit code: changes or drift present. */
  changes: 2,
  /** An uncoded exception: a bug in ModelHub. */
  internal: 70,
  /** stdout or stderr was closed by its reader (`modelhub list | head`): 128 + SIGPIPE, as the shell reports `yes | head`. */
  pipe: 141,
} as const;
