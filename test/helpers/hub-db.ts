import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Rows from a hub's modelhub.db, read directly (a separate read-only connection). */
export function queryHub<T>(hub: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(hub, 'modelhub.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
