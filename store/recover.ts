import { lstat, readlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errnoCode } from '../core/errors.js';
import { inTransaction, stmt } from '../core/db.js';
import { storeHashOf, type Hub } from './hub.js';
import { findStoreFile, linkBack } from './import.js';
import { cleanLeftovers, type LeftoverCleanup } from './leftovers.js';
import { recoverEjects } from './eject.js';
import { refreshModelName } from './model-name.js';

export interface Recovery {
  path: string;
  action: 'linked' | 'relinked' | 'abandoned';
}

/**
 * Finish or roll back imports a crash interrupted. An import is journalled as a source in state
 * `importing` before any file moves, so each one is in one of three states on disk:
 * the link back exists (mark it done), the original is gone but the store has the content
 * (make the link back), or the original is still there (forget the attempt; the next scan
 * starts over). Nothing here ever removes a model file.
 */
export async function recoverPendingImports(hub: Hub): Promise<Recovery[]> {
  const db = hub.db;
  const rows = stmt(db, "SELECT s.path, s.model_id, m.sha256 FROM model_sources s JOIN models m ON m.id = s.model_id WHERE s.state = 'importing'").all() as Array<{
    path: string;
    model_id: number;
    sha256: string;
  }>;
  const done: Recovery[] = [];
  for (const row of rows) {
    const state = await inspect(row.path);
    const storeFile = findStoreFile(hub.layout, row.sha256);
    if (state.kind === 'link' && storeHashOf(hub.layout, state.target) === row.sha256) {
      setState(hub, row.path, 'linked');
      done.push({ path: row.path, action: 'linked' });
    } else if (state.kind === 'missing' && storeFile !== undefined) {
      linkBack(row.path, storeFile);
      setState(hub, row.path, 'linked');
      done.push({ path: row.path, action: 'relinked' });
    } else {
      inTransaction(db, () => {
        stmt(db, 'DELETE FROM model_sources WHERE path = ?').run(row.path);
        if (storeFile === undefined) {
          const others = stmt(db, 'SELECT COUNT(*) AS n FROM model_sources WHERE model_id = ?').get(row.model_id) as { n: number };
          if (others.n === 0) stmt(db, 'DELETE FROM models WHERE id = ?').run(row.model_id);
        }
      });
      done.push({ path: row.path, action: 'abandoned' });
    }
  }
  return done;
}

function setState(hub: Hub, path: string, state: 'linked'): void {
  inTransaction(hub.db, () => {
    stmt(hub.db, 'UPDATE model_sources SET state = ? WHERE path = ?').run(state, path);
    const row = stmt(hub.db, 'SELECT model_id FROM model_sources WHERE path = ?').get(path) as { model_id: number } | undefined;
    if (row !== undefined) refreshModelName(hub.db, row.model_id);
  });
}

async function inspect(path: string): Promise<{ kind: 'missing' } | { kind: 'link'; target: string } | { kind: 'other' }> {
  try {
    const st = await lstat(path);
    if (st.isSymbolicLink()) return { kind: 'link', target: resolve(dirname(path), await readlink(path)) };
    return { kind: 'other' };
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
}

export interface HubRecovery extends LeftoverCleanup {
  imports: Recovery[];
  /** Ejects a crash interrupted: finished (the copy was in place) or rolled back (the link kept). */
  ejects: Array<{ path: string; action: 'finished' | 'rolled-back' }>;
}

/**
 * What the next command that takes the hub lock does first: remove the temporary files of dead
 * processes (staging copies, temporary links), then finish or roll back the imports they
 * journalled, and the ejects they journalled (store/eject.ts). The caller holds the lock.
 */
export async function recoverHub(hub: Hub): Promise<HubRecovery> {
  const cleaned = cleanLeftovers(hub);
  return { ...cleaned, imports: await recoverPendingImports(hub), ejects: recoverEjects(hub) };
}
