import type { BigIntStats } from 'node:fs';
import { stmt, type DB } from '../core/db.js';

/** What must be unchanged for a file not to be hashed again: device, inode, size, mtime (ns). */
export interface FileStamp {
  dev: number;
  ino: number;
  size: number;
  mtimeNs: string;
}

export function stampOf(st: BigIntStats): FileStamp {
  return { dev: Number(st.dev), ino: Number(st.ino), size: Number(st.size), mtimeNs: st.mtimeNs.toString() };
}

/** The SHA-256 recorded for `path` if its stamp is exactly the one recorded with it. */
export function lookupCachedHash(db: DB, path: string, stamp: FileStamp): string | undefined {
  const row = stmt(db, 'SELECT dev, ino, size, mtime_ns, sha256 FROM scan_cache WHERE path = ?').get(path) as
    | { dev: number; ino: number; size: number; mtime_ns: string; sha256: string }
    | undefined;
  if (row === undefined) return undefined;
  const same = row.dev === stamp.dev && row.ino === stamp.ino && row.size === stamp.size && row.mtime_ns === stamp.mtimeNs;
  return same ? row.sha256 : undefined;
}

/** Whether any hash is cached (copy-mode imports record them; link and move mode never do). */
export function hasCachedHashes(db: DB): boolean {
  return stmt(db, 'SELECT 1 FROM scan_cache LIMIT 1').get() !== undefined;
}

export function rememberHash(db: DB, path: string, stamp: FileStamp, sha256: string): void {
  stmt(db, 
    `INSERT INTO scan_cache (path, dev, ino, size, mtime_ns, sha256) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, size = excluded.size,
       mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, scanned_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  ).run(path, stamp.dev, stamp.ino, stamp.size, stamp.mtimeNs, sha256);
}

export function forgetHash(db: DB, path: string): void {
  stmt(db, 'DELETE FROM scan_cache WHERE path = ?').run(path);
}
