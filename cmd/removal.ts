import type { CommandContext } from './context.js';
import { EXIT } from './exit.js';

/**
 * The confirmation every removing command asks for, after it has shown what it would do.
 * `--yes` goes ahead; on a terminal the user is asked; otherwise nothing is done, the command
 * says so with a hint to pass --yes, and exits 1. Returns whether to go ahead. Refusing is
 * not thrown, so `--json` still prints its one document (the plan, with a null result).
 */
export async function confirmOrRefuse(ctx: CommandContext, opts: { yes: boolean; command: string; question: string }): Promise<boolean> {
  if (opts.yes) return true;
  if (!ctx.io.stdinIsTTY) {
    ctx.err(`${ctx.chalk.red('error:')} nothing was changed: \`${opts.command}\` acts only with --yes, or after a confirmation on a terminal`);
    ctx.err(`hint: review the list${ctx.json ? ' (stdout)' : ' above'}, then run \`${opts.command} --yes\``);
    ctx.exitCode = EXIT.error;
    return false;
  }
  const { confirmChanges } = await import('./prompt.js');
  const go = await confirmChanges(ctx, { yes: false, command: opts.command, question: opts.question });
  if (!go) {
    ctx.err('Cancelled; nothing was changed.');
    ctx.exitCode = EXIT.error;
  }
  return go;
}

/** `3f2a9c01d4e5` (the first 12 hex digits, as `list` shows hashes). */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
