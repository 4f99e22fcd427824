import { stmt, type DB } from '../core/db.js';
import type { FilePurpose, RecordedFile } from './file-types.js';

/**
 * The recorded state of the files ModelHub writes (deploy_files: path, target, purpose and the
 * SHA-256 of the text written). `apply` records a file right after writing it and forgets it
 * right after removing it, so a record never leads the disk.
 */
export interface FileLedger {
  findFile(path: string): RecordedFile | undefined;
  recordFile(file: RecordedFile): void;
  forgetFile(path: string): void;
}

const SELECT = 'SELECT target, path, purpose, sha256 FROM deploy_files';

/** The SQLite file ledger (each entry its own statement: a target has one file, not thousands). */
export function sqliteFileLedger(db: DB): FileLedger {
  return {
    findFile: (path) => stmt(db, `${SELECT} WHERE path = ?`).get(path) as RecordedFile | undefined,
    recordFile(f) {
      stmt(
        db,
        `INSERT INTO deploy_files (path, target, purpose, sha256) VALUES (?, ?, ?, ?)
         ON CONFLICT (path) DO UPDATE SET target = excluded.target, purpose = excluded.purpose, sha256 = excluded.sha256,
           written_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
      ).run(f.path, f.target, f.purpose, f.sha256);
    },
    forgetFile(path) {
      stmt(db, 'DELETE FROM deploy_files WHERE path = ?').run(path);
    },
  };
}

/** Recorded files, sorted by path; only one target's when `target` is given. */
export function readRecordedFiles(db: DB, target: string | null = null): RecordedFile[] {
  const rows = (target === null ? stmt(db, `${SELECT} ORDER BY path`).all() : stmt(db, `${SELECT} WHERE target = ? ORDER BY path`).all(target)) as Array<RecordedFile & { purpose: FilePurpose }>;
  return rows;
}
