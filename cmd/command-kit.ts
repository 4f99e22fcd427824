import { InvalidArgumentError, type Command } from 'commander';
import { contextOf, type CommandContext } from './context.js';

/** A command's action: the context first, then commander's arguments and the parsed options. */
export type Action = (ctx: CommandContext, ...args: never[]) => Promise<void>;

/** An action loaded only when its command runs, so `--help` and light commands start fast. */
export function lazy(load: () => Promise<{ default: Action }>) {
  return async function (this: Command, ...args: unknown[]): Promise<void> {
    const mod = await load();
    // commander passes (…arguments, options, command); our actions take (ctx, …arguments, options).
    await mod.default(contextOf(this), ...(args.slice(0, -1) as never[]));
  };
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  return n;
}
