import { writeSync } from 'node:fs';

/** Switch to the alternate screen and hide the cursor; the way back restores both. */
export const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l';
export const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';

/** The signals that end the TUI cleanly, with their numbers (exit status 128 + n). */
export const ENDING_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
export type EndingSignal = keyof typeof ENDING_SIGNALS;

export interface TerminalSession {
  /** Leave the alternate screen (once; later calls do nothing). */
  restore(): void;
  /** The signal that ended the session, if one did. */
  readonly signal: EndingSignal | undefined;
}

export interface TerminalOptions {
  /** Where the screen is drawn. */
  out: { write(text: string): unknown; fd?: number };
  /** Process events to hook (tests pass their own emitter). */
  process: Pick<NodeJS.Process, 'on' | 'off'>;
  /** Called once when a signal arrives: unmount the app; the caller's `finally` then restores. */
  onSignal(signal: EndingSignal): void;
}

/**
 * Take the terminal for a full-screen UI (Ink 6 has no option for the alternate screen) and
 * make sure it is given back on every way out: the normal end and errors (the caller's
 * `finally` calls restore), SIGTERM, SIGHUP and SIGINT (the app is unmounted, then restored),
 * and, as a last resort, the process exiting from anywhere else (a synchronous write).
 */
export function takeTerminal(opts: TerminalOptions): TerminalSession {
  let restored = false;
  let signal: EndingSignal | undefined;
  const handlers = new Map<EndingSignal, () => void>();
  const onExit = (): void => {
    if (restored) return;
    restored = true;
    if (opts.out.fd !== undefined) writeSync(opts.out.fd, LEAVE_SCREEN);
    else opts.out.write(LEAVE_SCREEN);
  };
  for (const name of Object.keys(ENDING_SIGNALS) as EndingSignal[]) {
    const h = (): void => {
      if (signal !== undefined) return;
      signal = name;
      opts.onSignal(name);
    };
    handlers.set(name, h);
    opts.process.on(name, h);
  }
  opts.process.on('exit', onExit);
  opts.out.write(ENTER_SCREEN);
  return {
    restore() {
      if (restored) return;
      restored = true;
      for (const [name, h] of handlers) opts.process.off(name, h);
      opts.process.off('exit', onExit);
      opts.out.write(LEAVE_SCREEN);
    },
    get signal() {
      return signal;
    },
  };
}
