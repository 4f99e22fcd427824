import { stmt, type DB } from '../core/db.js';
import { chooseModelName } from './model-name.js';

/** A place a model was found, with the scan root it was found under (null: recorded before roots were). */
export interface SourcePlace {
  path: string;
  root: string | null;
}

/**
 * The naming source of a model: the source path its name comes from (store/model-name.ts
 * chooses it among all the model's paths). Everything that deploys "where the model came from"
 * ({dir}, {publisher}, {repo}) asks this, so a link's folder and its name always come from the
 * same path. Undefined for a model with no source.
 */
export function chooseNamingSource(sources: readonly SourcePlace[]): SourcePlace | undefined {
  // The rule picks among paths; a single path is its own choice (most models: no ranking per plan).
  if (sources.length < 2) return sources[0];
  const chosen = chooseModelName(sources.map((s) => s.path));
  return chosen === undefined ? undefined : sources.find((s) => s.path === chosen.path);
}

/** Every model's source paths (imports still under way left out), by model id, oldest first. One query. */
export function readSourcePlaces(db: DB): Map<number, SourcePlace[]> {
  const rows = db.prepare("SELECT model_id, path, scan_root FROM model_sources WHERE state != 'importing' ORDER BY model_id, first_seen, id").raw().all() as Array<[number, string, string | null]>;
  const out = new Map<number, SourcePlace[]>();
  for (const [id, path, root] of rows) {
    const list = out.get(id);
    if (list === undefined) out.set(id, [{ path, root }]);
    else list.push({ path, root });
  }
  return out;
}

/** The naming source of one model. */
export function namingSourceOf(db: DB, modelId: number): SourcePlace | undefined {
  const rows = stmt(db, "SELECT path, scan_root FROM model_sources WHERE model_id = ? AND state != 'importing' ORDER BY first_seen, id").all(modelId) as Array<{ path: string; scan_root: string | null }>;
  return chooseNamingSource(rows.map((r) => ({ path: r.path, root: r.scan_root })));
}
