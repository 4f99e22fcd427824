import { lstatSync } from 'node:fs';
import { stmt, type DB } from '../core/db.js';

/**
 * Record a store file's modification time (nanoseconds) for `verify --fast`. Called right after
 * the file was placed or re-registered, when its content is known to hash to `sha256`.
 * `onlyIfUnset` keeps an earlier record (the file was already there and was not hashed now);
 * `mtimeNs` is the time when the caller has just seen it (a rename checked the moved file's stamp).
 */
export function recordStoreMtime(db: DB, sha256: string, storeFile: string, opts: { onlyIfUnset?: boolean; mtimeNs?: string } = {}): void {
  const mtimeNs = opts.mtimeNs ?? storeFileMtime(storeFile);
  if (mtimeNs === undefined) return;
  const sql = opts.onlyIfUnset
    ? 'UPDATE models SET store_mtime_ns = ? WHERE sha256 = ? AND store_mtime_ns IS NULL'
    : 'UPDATE models SET store_mtime_ns = ? WHERE sha256 = ?';
  stmt(db, sql).run(mtimeNs, sha256);
}

function storeFileMtime(storeFile: string): string | undefined {
  const st = lstatSync(storeFile, { bigint: true, throwIfNoEntry: false });
  return st === undefined || !st.isFile() ? undefined : st.mtimeNs.toString();
}
