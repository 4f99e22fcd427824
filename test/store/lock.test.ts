import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration, formatDurationMs } from '../../core/duration.js';
import { acquireLock, holderFile, type LockInfo } from '../../store/lock.js';
import { fakeClock } from '../helpers/clock.js';
import { expectError } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

/** Above Linux's largest pid (2^22): never a live process. */
const DEAD_PID = 2 ** 22 + 17;

describe('hub lock', () => {
  it('refuses a second holder in the same process and names the first; the file stays, the note goes', async () => {
    const file = join(tempDir(), 'modelhub.lock');
    const first = await acquireLock(file, 'modelhub apply');
    const err = await expectError(acquireLock(file, 'modelhub scan'));
    expect(err.code).toBe('ERR_MODELHUB_LOCKED');
    expect(err.message).toMatch(/^the hub is locked by modelhub apply \(pid \d+ on .*, since /);
    expect(err.hint).toContain('--lock-timeout 5m');
    expect(JSON.parse(readFileSync(holderFile(file), 'utf8'))).toMatchObject({ pid: process.pid, command: 'modelhub apply' });
    first.release();
    first.release();
    expect(statSync(file).size, 'the lock file is an empty SQLite database, never written').toBe(0);
    expect(existsSync(holderFile(file))).toBe(false);
    (await acquireLock(file, 'modelhub scan')).release();
  });

  it('takes over a lock file of the earlier format left by a process that no longer exists on this host', async () => {
    const file = join(tempDir(), 'modelhub.lock');
    writeFileSync(file, JSON.stringify({ pid: DEAD_PID, host: hostname(), since: '2020-01-01T00:00:00Z', command: 'modelhub apply' }));
    const lock = await acquireLock(file, 'modelhub apply');
    expect(lock.info.pid).toBe(process.pid);
    expect(statSync(file).size).toBe(0);
    lock.release();
  });

  it('respects a lock file of the earlier format held from another host, or by a live process', async () => {
    const file = join(tempDir(), 'modelhub.lock');
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'some-other-host', since: '2020-01-01T00:00:00Z', command: 'modelhub apply' }));
    const err = await expectError(acquireLock(file, 'modelhub apply'));
    expect(err.message).toContain('locked by modelhub apply (pid 1 on some-other-host');
    expect(err.hint).toContain(`an older ModelHub holds it: wait for it to finish; if that process is gone, remove ${file}`);
    writeFileSync(file, JSON.stringify({ pid: process.pid, host: hostname(), since: '2020-01-01T00:00:00Z', command: 'modelhub scan' }));
    expect((await expectError(acquireLock(file, 'modelhub apply'))).message).toContain(`pid ${process.pid} on ${hostname()}`);
  });

  it('refuses a file at the lock path that is neither a lock of either format', async () => {
    const file = join(tempDir(), 'modelhub.lock');
    writeFileSync(file, 'my notes\n');
    const err = await expectError(acquireLock(file, 'modelhub apply'));
    expect(err.code).toBe('ERR_MODELHUB_LOCK_FAILED');
    expect(err.message).toBe(`${file} is not a ModelHub lock file`);
    expect(readFileSync(file, 'utf8')).toBe('my notes\n');
  });

  it('does not name a holder whose note was left by a process that is gone', async () => {
    const file = join(tempDir(), 'modelhub.lock');
    const held = await acquireLock(file, 'modelhub apply');
    writeFileSync(holderFile(file), JSON.stringify({ pid: DEAD_PID, host: hostname(), since: 'then', command: 'modelhub scan' } satisfies LockInfo));
    expect((await expectError(acquireLock(file, 'modelhub gc'))).message).toBe('the hub is locked by another process');
    held.release();
  });

  it('with a timeout, polls until the holder lets go (injected clock and sleep)', async () => {
    const file = join(tempDir(), 'modelhub.lock');
    const held = await acquireLock(file, 'modelhub scan');
    const seen: Array<LockInfo | undefined> = [];
    const time = fakeClock(1_000_000, (slept) => {
      if (slept.length === 3) held.release();
    });
    const lock = await acquireLock(file, 'modelhub gc', { timeoutMs: 30_000, ...time, onWait: (h) => seen.push(h) });
    expect(time.slept).toEqual([250, 250, 250]);
    expect(seen.map((h) => h?.command)).toEqual(['modelhub scan']);
    lock.release();
  });

  it('gives up after the timeout, naming the holder and the time waited', async () => {
    const file = join(tempDir(), 'modelhub.lock');
    const held = await acquireLock(file, 'modelhub scan');
    const time = fakeClock(1_000_000);
    const err = await expectError(acquireLock(file, 'modelhub gc', { timeoutMs: 1000, pollMs: 300, ...time }));
    expect(err.message).toMatch(/^the hub is still locked by modelhub scan \(pid \d+ on .*\) after waiting 1s$/);
    expect(time.slept).toEqual([300, 300, 300, 100]);
    held.release();
  });
});

describe('durations (--lock-timeout)', () => {
  it('reads seconds, units and compounds; refuses anything else', () => {
    expect(['0', '45', '30s', '5m', '1h', '1m30s', '1.5h', '250ms', '0s'].map(parseDuration)).toEqual([0, 45_000, 30_000, 300_000, 3_600_000, 90_000, 5_400_000, 250, 0]);
    for (const bad of ['', 'abc', '-5s', '5 m', '5x', 's', '1h-2m', '10d']) expect(parseDuration(bad), bad).toBeUndefined();
    expect([0, 250, 1000, 90_000, 3_600_000].map(formatDurationMs)).toEqual(['0s', '250ms', '1s', '1m30s', '1h']);
  });
});
