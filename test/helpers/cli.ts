import { Readable, Writable } from 'node:stream';
import { run } from '../../cmd/program.js';
import { settledClock } from './clock.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws if it is not). */
  json<T = unknown>(): T;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/**
 * Run the real `modelhub` CLI in-process with captured output, no TTY, no colour, offline
 * (`online: true` for tests that point MODELHUB_CIVITAI_URL at their own 127.0.0.1 server), and
 * an environment that cannot see the developer's own config or hub.
 */
export async function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; configHome?: string; online?: boolean; now?: () => number; sleep?: (ms: number) => Promise<void> } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: opts.env?.HOME ?? process.env.HOME,
    XDG_CONFIG_HOME: opts.configHome ?? '/nonexistent-modelhub-config',
    NO_COLOR: '1',
    ...opts.env,
  };
  // Tests never reach beyond 127.0.0.1: offline unless a test brings its own CivitAI server.
  const argv = opts.online === true ? args : ['--offline', ...args];
  return runCapturing(argv, { env, cwd: opts.cwd ?? process.cwd(), ...(opts.now ? { now: opts.now } : {}), ...(opts.sleep ? { sleep: opts.sleep } : {}) });
}

/**
 * The one in-process runner every test helper uses: output captured, stdout and stderr never a
 * terminal; `answer` makes stdin a terminal that types that line (for confirmation prompts).
 * Time is injected: `now` and `sleep` default to a settledClock() (an hour ahead; sleeping
 * returns at once), so no command waits for real time. Tests of the settle window pass `now`.
 */
export async function runCapturing(
  argv: string[],
  io: { env: NodeJS.ProcessEnv; cwd: string; answer?: string; stdin?: NodeJS.ReadableStream; stdinIsTTY?: boolean; now?: () => number; sleep?: (ms: number) => Promise<void> },
): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = io.answer !== undefined ? Readable.from([`${io.answer}\n`]) : io.stdin;
  const clock = settledClock();
  const code = await run(argv, {
    stdout,
    stderr,
    env: io.env,
    cwd: io.cwd,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: io.stdinIsTTY ?? io.answer !== undefined,
    now: io.now ?? clock.now,
    sleep: io.sleep ?? clock.sleep,
    ...(stdin !== undefined ? { stdin: stdin as NodeJS.ReadableStream & { isTTY?: boolean } } : {}),
  });
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    json<T>() {
      return JSON.parse(stdout.text) as T;
    },
  };
}
