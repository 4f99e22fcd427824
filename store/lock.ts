import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { ModelHubError, errnoCode } from '../core/errors.js';

/** Who holds a hub lock, as written into the lock file. */
export interface LockInfo {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export interface HubLock {
  info: LockInfo;
  release(): void;
}

/**
 * Take the hub's write lock (one `scan`/`apply`/… at a time). The lock file is created with
 * O_EXCL and names its holder. A lock left by a process that no longer exists on this host is
 * taken over; any other held lock is an error naming the holder and how to clear it.
 */
export function acquireLock(file: string, command: string): HubLock {
  const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(info)}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        info,
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(file);
          } catch (err) {
            if (errnoCode(err) !== 'ENOENT') throw err;
          }
        },
      };
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      const holder = readLock(file);
      if (holder !== undefined && isStale(holder)) {
        try {
          unlinkSync(file);
        } catch (e) {
          if (errnoCode(e) !== 'ENOENT') throw e;
        }
        continue;
      }
      const who = holder === undefined ? 'an unknown process' : `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
      throw new ModelHubError('LOCKED', `the hub is locked by ${who}`, {
        path: file,
        hint: `wait for it to finish; if that process is gone, remove ${file}`,
        details: holder,
      });
    }
  }
  throw new ModelHubError('LOCKED', `could not take the hub lock ${file}`, { path: file });
}

export function readLock(file: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? ''), command: String(parsed.command ?? '') };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** A lock is stale only when it was taken on this host by a process that is gone. */
function isStale(info: LockInfo): boolean {
  if (info.host !== hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (err) {
    return errnoCode(err) === 'ESRCH';
  }
}
