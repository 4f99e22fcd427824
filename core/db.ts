import Database from 'better-sqlite3';
import { ModelHubError } from './errors.js';

/** One step of a database's schema, applied once (PRAGMA user_version counts them). */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Runs after `sql`, in the same transaction: a backfill that needs code (a rule SQL cannot express). */
  after?: (db: Database.Database) => void;
}

export type DB = Database.Database;

/**
 * Open (creating if needed) one of the hub's SQLite files: WAL journal, foreign keys on,
 * a busy timeout so a second process waits instead of failing, and every pending migration
 * applied in its own transaction. A file written by a newer ModelHub is refused, not touched.
 */
export function openDatabase(file: string, migrations: Migration[], opts: { readonly?: boolean } = {}): DB {
  let db: DB;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (err) {
    throw new ModelHubError('DB_OPEN', `cannot open database ${file}: ${(err as Error).message}`, { path: file, cause: err });
  }
  try {
    db.pragma('busy_timeout = 10000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, file, migrations, opts.readonly ?? false);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof ModelHubError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new ModelHubError('DB_CORRUPT', `${file} is not a ModelHub database (or is damaged)`, {
        path: file,
        hint: 'point --hub at the right folder, or move this file away and run `modelhub scan` again to rebuild the inventory',
        cause: err,
      });
    }
    throw err;
  }
}

function migrate(db: DB, file: string, migrations: Migration[], readonly: boolean): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new ModelHubError('DB_TOO_NEW', `${file} has schema version ${current}, newer than this ModelHub understands (${latest})`, {
      path: file,
      hint: 'upgrade ModelHub (npm install) before using this hub',
    });
  }
  if (current === latest) return;
  if (readonly) {
    throw new ModelHubError('DB_OUTDATED', `${file} has schema version ${current}; this ModelHub needs ${latest}`, {
      path: file,
      hint: 'run any writing command (e.g. `modelhub init`) once to upgrade the hub',
    });
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.after?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** Run `fn` in one transaction (IMMEDIATE, so concurrent writers queue instead of deadlocking). */
export function inTransaction<T>(db: DB, fn: () => T): T {
  return db.transaction(fn).immediate();
}

const statements = new WeakMap<DB, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per connection (scans run the same few queries 10,000s of times). */
export function stmt(db: DB, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (cache === undefined) statements.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (s === undefined) cache.set(sql, (s = db.prepare(sql)));
  return s;
}
