import { InvalidArgumentError, type Command } from 'commander';
import { contextOf, type CommandContext } from './context.js';

/**
 * The commander action of a command whose behaviour is `run`: commander passes the declared
 * arguments, then the parsed options, then the command; `run` gets the command's context first,
 * then those arguments and options, typed as its own signature says (the declaration beside it,
 * in the same file, is what keeps the two in step).
 */
export function withContext<A extends unknown[]>(run: (ctx: CommandContext, ...args: A) => Promise<void>) {
  return async function (this: Command, ...args: unknown[]): Promise<void> {
    await run(contextOf(this), ...(args.slice(0, -1) as A));
  };
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  return n;
}
