import { createInterface } from 'node:readline';
import { ModelHubError } from '../core/errors.js';
import { escapeTerminalOutput } from '../core/terminal-text.js';
import type { CommandContext } from './context.js';

/**
 * Ask for confirmation before a change. `--yes` skips the question; on a terminal the answer
 * must be "yes" (or "y"); without a terminal, and without --yes, the command refuses.
 * Returns whether to go ahead.
 */
export async function confirmChanges(ctx: CommandContext, opts: { yes: boolean; question: string; command: string }): Promise<boolean> {
  if (opts.yes) return true;
  if (!ctx.io.stdinIsTTY) {
    throw new ModelHubError('CONFIRMATION_REQUIRED', `${opts.command} needs confirmation and there is no terminal to ask on`, {
      hint: `review the plan above, then pass --yes to ${opts.command} without asking`,
    });
  }
  const answer = await readAnswer(ctx, `\n${opts.question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
  return answer === 'yes' || answer === 'y';
}

function readAnswer(ctx: CommandContext, question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: ctx.io.stdin, output: ctx.json ? ctx.io.stderr : ctx.io.stdout, terminal: false });
    let answered = false;
    (ctx.json ? ctx.io.stderr : ctx.io.stdout).write(escapeTerminalOutput(question));
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line.trim().toLowerCase());
    });
    rl.once('close', () => {
      if (!answered) resolve('');
    });
  });
}
