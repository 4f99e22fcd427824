/**
 * Injected time for tests: no test waits for real time or measures it. Code under test takes
 * `now` and `sleep`; a fake clock records every sleep and moves by that much at once, so a test
 * checks the waits the code asked for instead of timing them.
 */

export interface FakeClock {
  /** Milliseconds since the epoch, as `Date.now` gives them. */
  now: () => number;
  /** Records `ms`, moves the clock by it, then calls `onSleep`; returns without waiting. */
  sleep: (ms: number) => Promise<void>;
  /** Every sleep asked for, in order. */
  readonly slept: number[];
}

/**
 * A clock that moves only when the code under test sleeps. `onSleep` sees the sleeps so far
 * (e.g. to release a lock after the third poll).
 */
export function fakeClock(start = 1_700_000_000_000, onSleep: (slept: readonly number[]) => void = () => {}): FakeClock {
  return clockOn(() => start, onSleep);
}

/**
 * The clock the in-process CLI gets unless a test brings its own: real time an hour ahead, so
 * files a test has just written count as downloaded an hour ago (outside scan's settle window),
 * plus whatever the command slept. Sleeping (CivitAI spacing and backoff, lock polls) returns at
 * once.
 */
export function settledClock(): FakeClock {
  return clockOn(() => Date.now() + 3_600_000);
}

function clockOn(base: () => number, onSleep: (slept: readonly number[]) => void = () => {}): FakeClock {
  let moved = 0;
  const slept: number[] = [];
  return {
    now: () => base() + moved,
    sleep: async (ms) => {
      slept.push(ms);
      moved += ms;
      onSleep(slept);
    },
    slept,
  };
}
