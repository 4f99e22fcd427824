import type { Command } from 'commander';
import type { Action } from './commands.js';

type Lazy = (load: () => Promise<{ default: Action }>) => (this: Command, ...args: unknown[]) => Promise<void>;

/** Housekeeping commands (verify, prune, gc, dupes, delete, restore, hashes, export, import). */
export function registerHousekeeping(_program: Command, _lazy: Lazy): void {}
