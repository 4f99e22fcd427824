import Database from 'better-sqlite3';
import { readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { formatDurationMs } from '../core/duration.js';
import { ModelHubError, errnoCode } from '../core/errors.js';
import type { Hub } from './hub.js';
import { recoverHub, type HubRecovery } from './recover.js';

/**
 * The hub's write lock: one `scan`, `apply`, `gc`, … at a time.
 *
 * The lock is held by the kernel, not by the existence of a file: `HUB/modelhub.lock` is an
 * empty SQLite database on which the holder keeps an exclusive transaction (an fcntl lock)
 * open. So there is never a takeover step that two processes could race through, and when
 * the holder dies, however it dies, the operating system drops its lock. The file is never
 * written, removed or renamed. Connections in one process exclude each other too (SQLite
 * tracks its locks per file across connections).
 *
 * A waiter cannot read a database locked this way, so the holder also writes who it is into
 * `HUB/modelhub.lock.holder` (replaced by rename; removed on release) for the LOCKED error.
 *
 * A lock file of the earlier format (JSON naming a pid, with no kernel lock behind it) is
 * respected while its pid is alive on this host or it names another host; one whose process
 * is gone is emptied in place, which turns it into the new format (emptying is harmless when
 * several processes do it at once, unlike removing and re-creating).
 *
 * Never open the lock file with anything but SQLite in this process: closing any other
 * descriptor of it drops this process's fcntl locks on it (POSIX semantics).
 */

/** Who holds a hub lock, as the holder writes it down. */
export interface LockInfo {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export interface HubLock {
  info: LockInfo;
  /** Give the lock back (idempotent). Dying gives it back as well. */
  release(): void;
  /** From takeHubLock: what was cleaned up after dead processes right after taking it. */
  recovered?: HubRecovery;
}

/** How to wait for a held lock; by default not at all. Tests pass their own clock and sleep. */
export interface LockWait {
  /** How long to keep trying; 0 (the default) fails at the first refusal. */
  timeoutMs?: number;
  /** Pause between attempts (default 250 ms; never longer than the time left). */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once, before the first pause, with the holder found (undefined when unknown). */
  onWait?: (holder: LockInfo | undefined) => void;
}

/**
 * Take the hub's write lock for `command` (e.g. `modelhub scan`), waiting as `wait` says. The
 * one entry point commands use: work that must follow every acquisition belongs here. While the
 * lock is held and before the command does anything, what interrupted processes left is dealt
 * with (store/recover.ts recoverHub: their temporary files removed, their imports finished or
 * rolled back).
 */
export async function takeHubLock(hub: Hub, command: string, wait: LockWait = {}): Promise<HubLock> {
  const lock = await acquireLock(hub.layout.lockFile, command, wait);
  try {
    lock.recovered = await recoverHub(hub);
  } catch (err) {
    lock.release();
    throw err;
  }
  return lock;
}

/**
 * Take the lock on `file`, trying again every `pollMs` until `timeoutMs` has passed. A lock
 * still held then is an ERR_MODELHUB_LOCKED naming its holder (and the time waited).
 */
export async function acquireLock(file: string, command: string, wait: LockWait = {}): Promise<HubLock> {
  const now = wait.now ?? Date.now;
  const timeoutMs = wait.timeoutMs ?? 0;
  const start = now();
  for (let attempt = 0; ; attempt++) {
    const got = tryLock(file, { pid: process.pid, host: hostname(), since: new Date().toISOString(), command });
    if ('lock' in got) return got.lock;
    const left = timeoutMs - (now() - start);
    if (left <= 0) throw lockedError(file, got, timeoutMs);
    if (attempt === 0) wait.onWait?.(got.holder);
    await (wait.sleep ?? sleepMs)(Math.min(wait.pollMs ?? 250, left));
  }
}

/** A refused attempt: who holds the lock, as far as it can be told. */
interface Refusal {
  holder: LockInfo | undefined;
  /** The holder is a lock file of the earlier format (no kernel lock behind it). */
  oldFormat: boolean;
}

function tryLock(file: string, info: LockInfo): { lock: HubLock } | Refusal {
  for (;;) {
    const db = openLockDb(file);
    try {
      db.pragma('journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      db.close();
      const code = (err as { code?: unknown }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return { holder: readHolder(file), oldFormat: false };
      if (code !== 'SQLITE_NOTADB') throw lockFailed(file, err);
      const old = readOldFormat(file);
      if (old === 'converted') continue;
      if (!isGoneHere(old)) return { holder: old, oldFormat: true };
      truncateSync(file, 0);
      continue;
    }
    try {
      writeHolder(file, info);
    } catch (err) {
      db.close();
      throw err;
    }
    return { lock: heldLock(db, file, info) };
  }
}

/**
 * The connections of the locks this process holds. A better-sqlite3 connection that is garbage
 * collected is closed, which would end its kernel lock: a held lock stays referenced here until
 * it is released, whatever its taker does with the HubLock.
 */
const HELD_CONNECTIONS = new Set<Database.Database>();

function heldLock(db: Database.Database, file: string, info: LockInfo): HubLock {
  let released = false;
  HELD_CONNECTIONS.add(db);
  return {
    info,
    release() {
      if (released) return;
      released = true;
      HELD_CONNECTIONS.delete(db);
      try {
        unlinkSync(holderFile(file));
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
      } finally {
        db.exec('ROLLBACK');
        db.close();
      }
    },
  };
}

function openLockDb(file: string): Database.Database {
  try {
    return new Database(file, { timeout: 0 });
  } catch (err) {
    throw lockFailed(file, err);
  }
}

export function holderFile(lockFile: string): string {
  return `${lockFile}.holder`;
}

/** Written only by the holder, so never by two processes at once. */
function writeHolder(file: string, info: LockInfo): void {
  const tmp = `${holderFile(file)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(info)}\n`);
  renameSync(tmp, holderFile(file));
}

/** The holder's note, unless it is missing or left by a process that is gone (the new holder has not written yet). */
function readHolder(file: string): LockInfo | undefined {
  const info = parseLockInfo(readText(holderFile(file)));
  return info === undefined || isGoneHere(info) ? undefined : info;
}

/**
 * The JSON an earlier ModelHub wrote into the lock file, or 'converted' when another process
 * has just emptied it (try SQLite again); anything else is not a lock.
 */
function readOldFormat(file: string): LockInfo | 'converted' {
  const text = readText(file);
  if (text === undefined || text === '') return 'converted';
  const info = parseLockInfo(text);
  if (info !== undefined) return info;
  throw new ModelHubError('LOCK_FAILED', `${file} is not a ModelHub lock file`, { path: file, hint: `no ModelHub uses it: move it away, and the next command creates a new one` });
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

function parseLockInfo(text: string | undefined): LockInfo | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.host === 'string') return { pid: v.pid, host: v.host, since: String(v.since ?? ''), command: String(v.command ?? '') };
  } catch {
    // not JSON: not a note of ours
  }
  return undefined;
}

/** Only a process of this host can be known to be gone. */
function isGoneHere(info: LockInfo | undefined): boolean {
  if (info === undefined || info.host !== hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (err) {
    return errnoCode(err) === 'ESRCH';
  }
}

/** `modelhub apply (pid 1234 on host, since …)`, or `another process` when unknown. */
export function describeHolder(holder: LockInfo | undefined): string {
  return holder === undefined ? 'another process' : `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
}

function lockedError(file: string, refusal: Refusal, timeoutMs: number): ModelHubError {
  const who = describeHolder(refusal.holder);
  const message = timeoutMs > 0 ? `the hub is still locked by ${who} after waiting ${formatDurationMs(timeoutMs)}` : `the hub is locked by ${who}`;
  const hint = refusal.oldFormat
    ? `an older ModelHub holds it: wait for it to finish; if that process is gone, remove ${file}`
    : timeoutMs > 0
      ? 'try again once it has finished, or wait longer with a larger --lock-timeout'
      : 'wait for it to finish, or let the command wait for it with --lock-timeout 5m (the lock frees itself when its holder exits or dies)';
  return new ModelHubError('LOCKED', message, { path: file, hint, details: refusal.holder });
}

function lockFailed(file: string, err: unknown): ModelHubError {
  return new ModelHubError('LOCK_FAILED', `cannot take the hub lock ${file}: ${(err as Error).message}`, { path: file, hint: 'check that the hub folder is writable (--hub DIR)', cause: err });
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
