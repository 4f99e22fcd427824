import type { Writable } from 'node:stream';
import { ModelHubError, errnoCode } from '../core/errors.js';

/**
 * Output streams that can close under the program: `modelhub list | head -1` closes stdout as
 * soon as head has its line. Node reports that as an 'error' event (EPIPE), which, unheard,
 * kills the process with a stack trace. A watched stream is always heard: its first failure is
 * recorded, and CommandContext ends the command at its next write (OUTPUT_CLOSED), so the CLI
 * exits quietly with EXIT.pipe, as a program killed by SIGPIPE would.
 */

/** Codes that mean the reader went away (not a fault of ours or of the disk). */
const CLOSED = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

const failures = new WeakMap<Writable, { code: string | undefined }>();

/** Listen for write failures on `stream` (once per stream; the listener stays for its life). */
export function watchOutput(stream: Writable): void {
  if (failures.has(stream)) return;
  const state: { code: string | undefined } = { code: undefined };
  failures.set(stream, state);
  stream.on('error', (err: unknown) => {
    state.code ??= errnoCode(err) ?? 'EIO';
  });
}

/** The errno code with which writing to `stream` failed, or undefined while it works. */
export function outputFailure(stream: Writable): string | undefined {
  const recorded = failures.get(stream)?.code;
  if (recorded !== undefined) return recorded;
  const errored = (stream as { errored?: unknown }).errored;
  return errored === null || errored === undefined ? undefined : (errnoCode(errored) ?? 'EIO');
}

/** Whether a failure code means the reader closed the stream. */
export function isClosedOutput(code: string | undefined): boolean {
  return code !== undefined && CLOSED.has(code);
}

/** Whether the reader of any of `streams` went away. */
export function anyOutputClosed(streams: Writable[]): boolean {
  return streams.some((s) => isClosedOutput(outputFailure(s)));
}

/**
 * Throw when writing to `stream` (named `name`, e.g. 'stdout') has failed: OUTPUT_CLOSED when
 * its reader went away (the CLI exits quietly), OUTPUT_FAILED otherwise (e.g. ENOSPC on a
 * redirected file: reported like any error).
 */
export function assertWritable(stream: Writable, name: string): void {
  const code = outputFailure(stream);
  if (code === undefined) return;
  if (isClosedOutput(code)) throw new ModelHubError('OUTPUT_CLOSED', `${name} was closed by its reader (${code})`);
  throw new ModelHubError('OUTPUT_FAILED', `cannot write to ${name}: ${code}`, { hint: `check where ${name} is redirected to (a full disk?)` });
}

/**
 * Make the process's stdout and stderr block while a pipe is full, so a slow reader slows the
 * program down instead of output piling up in memory (Node queues writes to a pipe otherwise).
 * Uses the handle's setBlocking, as tsc does; a no-op where the handle has none.
 */
export function blockOnFullPipes(streams: Writable[]): void {
  for (const s of streams) {
    const handle = (s as { _handle?: { setBlocking?: (on: boolean) => unknown } })._handle;
    handle?.setBlocking?.(true);
  }
}
