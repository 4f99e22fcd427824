import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../store/lock.js';
import { tempDir } from '../helpers/tmp.js';

describe('hub lock', () => {
  it('refuses a second holder and names the first', () => {
    const file = join(tempDir(), 'modelhub.lock');
    const first = acquireLock(file, 'modelhub apply');
    expect(() => acquireLock(file, 'modelhub scan')).toThrowError(/locked by modelhub apply \(pid \d+ on .*, since /);
    first.release();
    expect(existsSync(file)).toBe(false);
    acquireLock(file, 'modelhub scan').release();
  });

  it('takes over a lock left by a process that no longer exists on this host', () => {
    const file = join(tempDir(), 'modelhub.lock');
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), since: '2020-01-01T00:00:00Z', command: 'modelhub apply' }));
    const lock = acquireLock(file, 'modelhub apply');
    expect(lock.info.pid).toBe(process.pid);
    lock.release();
  });

  it('never takes over a lock held from another host', () => {
    const file = join(tempDir(), 'modelhub.lock');
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'some-other-host', since: '2020-01-01T00:00:00Z', command: 'modelhub apply' }));
    expect(() => acquireLock(file, 'modelhub apply')).toThrowError(/pid 1 on some-other-host/);
  });
});
