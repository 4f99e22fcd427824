import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, type HubLock } from '../../store/lock.js';
import { runCapturing, type CliResult } from '../helpers/cli.js';
import { fakeClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/tmp.js';

/** A hub, an empty folder to scan (a scan of nothing still takes the lock), and the CLI with an injected clock. */
function world(): { run: (args: string[], onSleep?: (n: number) => void) => Promise<CliResult>; hub: string; slept: readonly number[] } {
  const root = tempDir();
  const hub = join(root, 'hub');
  mkdirSync(join(root, 'empty'));
  let onSleep: (n: number) => void = () => {};
  const clock = fakeClock(5_000_000, (slept) => onSleep(slept.length));
  const env = { HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'xdg'), NO_COLOR: '1', PATH: process.env.PATH };
  const run = (args: string[], sleeping: (n: number) => void = () => {}) => {
    onSleep = sleeping;
    return runCapturing(['--offline', '--hub', hub, ...args], { env, cwd: root, now: clock.now, sleep: clock.sleep });
  };
  return { run, hub, slept: clock.slept };
}

describe('--lock-timeout', () => {
  it('is a usage error naming the value when it is not a duration', async () => {
    const w = world();
    const r = await w.run(['--lock-timeout', '5 minutes', 'init']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`"5 minutes" is not a duration; give e.g. 30s, 5m, 1h or a number of seconds.`);
  });

  it('fails at once by default, waits when asked, and names the holder and the timeout when it gives up', async () => {
    const w = world();
    expect((await w.run(['init'])).code).toBe(0);
    const held = await acquireLock(join(w.hub, 'modelhub.lock'), 'modelhub apply');
    try {
      const now = await w.run(['scan', 'empty']);
      expect(now.code).toBe(1);
      expect(now.stderr).toMatch(/error: the hub is locked by modelhub apply \(pid \d+ on .*\)\nhint: wait for it to finish, or let the command wait for it with --lock-timeout 5m/);
      expect(w.slept).toEqual([]);

      const waited = await w.run(['--lock-timeout', '2s', 'scan', 'empty']);
      expect(waited.code).toBe(1);
      expect(waited.stderr).toMatch(/Waiting for the hub lock held by modelhub apply \(pid \d+ .*\) \(up to 2s\)…/);
      expect(waited.stderr).toMatch(/error: the hub is still locked by modelhub apply \(pid \d+ on .*\) after waiting 2s/);
      expect(w.slept.reduce((a, b) => a + b, 0)).toBe(2000);
    } finally {
      held.release();
    }
  });

  it('goes ahead as soon as the holder finishes', async () => {
    const w = world();
    expect((await w.run(['init'])).code).toBe(0);
    let held: HubLock | undefined = await acquireLock(join(w.hub, 'modelhub.lock'), 'modelhub apply');
    const r = await w.run(['--lock-timeout', '1h', 'scan', 'empty'], (n) => {
      if (n === 4) {
        held?.release();
        held = undefined;
      }
    });
    expect(r.code, r.stderr).toBe(0);
    expect(w.slept).toEqual([250, 250, 250, 250]);
  });
});
