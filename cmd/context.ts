import type { Command } from 'commander';
import { Chalk, type ChalkInstance } from 'chalk';
import type { Writable } from 'node:stream';
import type { Config, LoadConfigOptions } from '../core/config.js';
import { escapeTerminalOutput } from '../core/terminal-text.js';
import type { Hub } from '../store/hub.js';
import type { HubLock } from '../store/lock.js';
import { assertWritable } from './output.js';

/** The streams and environment a command runs against; tests pass their own. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stdout/stderr are terminals (progress bars, colour, confirmation prompts). */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** The clock (milliseconds since the epoch); tests pass their own. */
  now: () => number;
  /** Pause (waiting for a held hub lock, --lock-timeout); tests pass their own. */
  sleep: (ms: number) => Promise<void>;
}

/** Options every command accepts (see `modelhub --help`). */
export interface GlobalOptions {
  hub?: string;
  config?: string;
  manifests?: string;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  offline?: boolean;
  /** --lock-timeout, parsed to milliseconds (0: fail at once when the hub lock is held). */
  lockTimeout?: number;
}

/**
 * What a command's action gets: parsed global options, the config (loaded on first use), the
 * hub (opened on first use, closed by the CLI entry), colour, and the exit code it sets.
 * Library code never exits the process; only the CLI entry turns `exitCode` into one.
 */
export class CommandContext {
  exitCode = 0;
  readonly chalk: ChalkInstance;
  private cachedConfig: Config | undefined;
  private openHubs: Hub[] = [];
  private heldLocks: HubLock[] = [];

  /**
   * `readConfig` is core/config.ts loadConfig, handed in by the CLI entry once a command runs,
   * so `--help` never loads the config reader (YAML and the schema validator).
   */
  constructor(
    readonly io: CliIO,
    readonly globals: GlobalOptions,
    private readonly readConfig: (opts: LoadConfigOptions) => Config,
  ) {
    this.chalk = new Chalk({ level: colorLevel(io, globals) });
  }

  get json(): boolean {
    return this.globals.json === true;
  }

  get quiet(): boolean {
    return this.globals.quiet === true;
  }

  get config(): Config {
    if (this.cachedConfig === undefined) {
      this.cachedConfig = this.readConfig({
        flags: { hub: this.globals.hub, config: this.globals.config, manifests: this.globals.manifests },
        env: this.io.env,
        cwd: this.io.cwd,
      });
    }
    return this.cachedConfig;
  }

  /**
   * Open the configured hub; closed when the command ends. A missing hub is a NO_HUB error
   * unless `create` (only `init` and `scan` pass it); `readonly` opens it without writing.
   */
  async hub(opts: { readonly?: boolean; create?: boolean } = {}): Promise<Hub> {
    const { openHub } = await import('../store/hub.js');
    const hub = openHub(this.config.hub, { readonly: opts.readonly === true, create: opts.create === true });
    this.openHubs.push(hub);
    return hub;
  }

  /**
   * Take the hub's write lock for `command` (e.g. 'modelhub scan'), waiting up to --lock-timeout
   * for a holder to finish. Every command takes the lock through here. Release it in a
   * `finally`; the CLI entry releases any still held when the command ends.
   */
  async lock(hub: Hub, command: string): Promise<HubLock> {
    const { describeHolder, takeHubLock } = await import('../store/lock.js');
    const { formatDurationMs } = await import('../core/duration.js');
    const timeoutMs = this.globals.lockTimeout ?? 0;
    const lock = await takeHubLock(hub, command, {
      timeoutMs,
      now: this.io.now,
      sleep: this.io.sleep,
      onWait: (holder) => this.info(`Waiting for the hub lock held by ${describeHolder(holder)} (up to ${formatDurationMs(timeoutMs)})…`),
    });
    this.heldLocks.push(lock);
    return lock;
  }

  /** Bases declared by the user's rule files (config `rules`): manifests may name them. */
  async ruleBases(): Promise<ReadonlySet<string>> {
    if (this.config.rules.length === 0) return new Set();
    const { readDeclaredBases } = await import('../classify/load-rules.js');
    return readDeclaredBases(this.config.rules);
  }

  /** Progress bars and other live output: only on a terminal, never with --json or --quiet. */
  get showProgress(): boolean {
    return this.io.stderrIsTTY && !this.json && !this.quiet;
  }

  /**
   * A block of human output on stdout. Renderers escape the untrusted values they lay out
   * (core/terminal-text.ts forTerminal); here every block passes escapeTerminalOutput as well,
   * so no control sequence but ModelHub's own colours ever reaches the terminal.
   */
  out(text = ''): void {
    this.write(this.io.stdout, escapeTerminalOutput(text));
  }

  /** A block of human output on stderr (escaped like `out`). */
  err(text: string): void {
    this.write(this.io.stderr, escapeTerminalOutput(text));
  }

  /** Informational lines on stderr, silenced by --quiet. */
  info(text: string): void {
    if (!this.quiet) this.err(text);
  }

  /** The result as JSON on stdout, every string exactly as it is (JSON escapes control characters itself). */
  printJson(value: unknown): void {
    this.write(this.io.stdout, JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
  }

  /** Write a block; a stream whose reader went away ends the command (see cmd/output.ts). */
  private write(stream: Writable, text: string): void {
    assertWritable(stream, stream === this.io.stderr ? 'stderr' : 'stdout');
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  close(): void {
    for (const lock of this.heldLocks.splice(0)) lock.release();
    for (const hub of this.openHubs.splice(0)) hub.close();
  }
}

function colorLevel(io: CliIO, globals: GlobalOptions): 0 | 1 | 2 | 3 {
  if (globals.color === false) return 0;
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return 0;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force === '0' || force === 'false' ? 0 : 1;
  return io.stdoutIsTTY ? 1 : 0;
}

/** The context of the running action (set by the preAction hook). */
export function contextOf(cmd: Command): CommandContext {
  const ctx = (cmd as Command & { ctx?: CommandContext }).ctx;
  if (ctx === undefined) throw new Error(`command ${cmd.name()} ran without a context`);
  return ctx;
}
