import { lstatSync } from 'node:fs';
import { stmt, type DB } from '../core/db.js';

/**
 * Record a store file's modification time (nanoseconds) for `verify --fast`. Called right after
 * the file was placed or re-registered, when its content is known to hash to `sha256`.
 * `onlyIfUnset` keeps an earlier record (the file was already there and was not hashed now).
 */
export function recordStoreMtime(db: DB, sha256: string, storeFile: string, opts: { onlyIfUnset?: boolean } = {}): void {
  const st = lstatSync(storeFile, { bigint: true, throwIfNoEntry: false });
  if (st === undefined || !st.isFile()) return;
  const sql = opts.onlyIfUnset
    ? 'UPDATE models SET store_mtime_ns = ? WHERE sha256 = ? AND store_mtime_ns IS NULL'
    : 'UPDATE models SET store_mtime_ns = ? WHERE sha256 = ?';
  stmt(db, sql).run(st.mtimeNs.toString(), sha256);
}
