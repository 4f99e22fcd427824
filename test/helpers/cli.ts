import { Writable } from 'node:stream';
import { run } from '../../cmd/program.js';

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
export async function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; configHome?: string; online?: boolean } = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: opts.env?.HOME ?? process.env.HOME,
    XDG_CONFIG_HOME: opts.configHome ?? '/nonexistent-modelhub-config',
    NO_COLOR: '1',
    ...opts.env,
  };
  // Tests never reach beyond 127.0.0.1: offline unless a test brings its own CivitAI server.
  const argv = opts.online === true ? args : ['--offline', ...args];
  const code = await run(argv, { stdout, stderr, env, cwd: opts.cwd ?? process.cwd(), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false });
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    json<T>() {
      return JSON.parse(stdout.text) as T;
    },
  };
}
