import { InvalidArgumentError, type Command } from 'commander';
import { contextOf, type CommandContext } from './context.js';

/** How a MODEL argument is described in --help (store/model-ref.ts resolves it). */
export const MODEL_ARGUMENT = 'hash prefix (6+ hex digits), name, or any source file name or path';
/** The same for a list of models. */
export const MODELS_ARGUMENT = 'hash prefixes (6+ hex digits), names, or source file names or paths';

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

/**
 * TEST ONLY: MODELHUB_TEST_CRASH_AFTER=N kills the process with SIGKILL right after the N-th
 * filesystem step, before it is recorded, so tests can prove that the next command converges.
 */
export function crashHook(env: NodeJS.ProcessEnv): ((done: number) => void) | undefined {
  const n = Number(env.MODELHUB_TEST_CRASH_AFTER ?? '');
  if (!Number.isInteger(n) || n < 1) return undefined;
  return (done) => {
    if (done >= n) process.kill(process.pid, 'SIGKILL');
  };
}

/** The same hook for a step counter that calls back without a count. */
export function countedCrashHook(env: NodeJS.ProcessEnv): (() => void) | undefined {
  const hook = crashHook(env);
  if (hook === undefined) return undefined;
  let done = 0;
  return () => hook(++done);
}
