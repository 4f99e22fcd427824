import { inTransaction, stmt, type DB } from '../core/db.js';

/**
 * The record of real copies `modelhub eject` made in place of a link-back or a deployed link
 * (ejected_files, owned here). A finished record names the copy by path and (dev, ino, size):
 * while the file at that path is still that inode, `scan` skips it and `plan` leaves it alone.
 * A copy replaced or removed by the user simply stops matching; the record then means nothing.
 * A record in state `copying` is the journal of an eject under way: its owner-tagged temporary
 * copy (`tempPath`) beside the link, which recovery removes when its owner died.
 */
export interface EjectedFile {
  path: string;
  hash: string;
  /** What the path held before: a link-back, a deployed link, or a link that was both. */
  was: 'link-back' | 'deployed' | 'both';
  state: 'copying' | 'done';
  tempPath: string | null;
  /** The copy's identity: the temporary file's, which the rename over the link keeps. */
  dev: number | null;
  ino: number | null;
  size: number;
}

const SELECT = 'SELECT path, model_sha256 AS hash, was, state, temp_path AS tempPath, dev, ino, size FROM ejected_files';

/** Finished ejections, by path. */
export function readEjectedFiles(db: DB): Map<string, EjectedFile> {
  const rows = stmt(db, `${SELECT} WHERE state = 'done' ORDER BY path`).all() as EjectedFile[];
  return new Map(rows.map((r) => [r.path, r]));
}

/** Ejections a crash interrupted (journal rows). */
export function readEjectJournal(db: DB): EjectedFile[] {
  return stmt(db, `${SELECT} WHERE state = 'copying' ORDER BY path`).all() as EjectedFile[];
}

/** Journal an eject before its temporary copy is made (replacing any older record of the path). */
export function journalEject(db: DB, e: { path: string; hash: string; was: EjectedFile['was']; tempPath: string; size: number }): void {
  inTransaction(db, () =>
    stmt(
      db,
      `INSERT INTO ejected_files (path, model_sha256, was, state, temp_path, dev, ino, size) VALUES (?, ?, ?, 'copying', ?, NULL, NULL, ?)
       ON CONFLICT (path) DO UPDATE SET model_sha256 = excluded.model_sha256, was = excluded.was, state = 'copying', temp_path = excluded.temp_path,
         dev = NULL, ino = NULL, size = excluded.size, ejected_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    ).run(e.path, e.hash, e.was, e.tempPath, e.size),
  );
}

/** Note the verified temporary copy's identity (it keeps it when renamed over the link). */
export function noteEjectCopy(db: DB, path: string, id: { dev: number; ino: number }): void {
  inTransaction(db, () => stmt(db, "UPDATE ejected_files SET dev = ?, ino = ? WHERE path = ? AND state = 'copying'").run(id.dev, id.ino, path));
}

/**
 * The copy is in place: the record is finished and, for a link-back, the source path is kept as
 * a copied source (its model's bytes are there, no longer a link), in one transaction.
 */
export function finishEject(db: DB, path: string): void {
  inTransaction(db, () => {
    stmt(db, "UPDATE ejected_files SET state = 'done', temp_path = NULL WHERE path = ?").run(path);
    stmt(db, "UPDATE model_sources SET state = 'copied', last_seen = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE path = ? AND state = 'linked'").run(path);
  });
}

/** Drop the journal of an eject that did not happen (the link is still in place). */
export function abandonEject(db: DB, path: string): void {
  inTransaction(db, () => stmt(db, "DELETE FROM ejected_files WHERE path = ? AND state = 'copying'").run(path));
}

/** Whether `file` (an lstat of `path`) is the copy an eject left there. */
export function isEjectedCopy(record: EjectedFile | undefined, file: { ino: number | bigint; size: number | bigint; dev?: number | bigint }): boolean {
  if (record === undefined || record.state !== 'done' || record.ino === null) return false;
  if (file.dev !== undefined && record.dev !== null && BigInt(file.dev) !== BigInt(record.dev)) return false;
  return BigInt(file.ino) === BigInt(record.ino) && BigInt(file.size) === BigInt(record.size);
}
