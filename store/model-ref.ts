import { lstatSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ModelHubError } from '../core/errors.js';
import { resolveLocation, resolveReal } from '../core/fs-identity.js';
import { stmt, type DB } from '../core/db.js';
import { storeHashOf, type Hub, type HubLayout } from './hub.js';
import type { ModelRow } from './inventory.js';

/** Where a reference typed by the user is read: relative paths from `cwd`; paths into the store need the hub's layout. */
export interface RefContext {
  cwd?: string;
  layout?: HubLayout;
}

interface Candidate {
  row: ModelRow;
  /** What matched, when it is not the model's own name (a source path, the store file's name). */
  via?: string;
}

/**
 * Resolve what a user typed to one model. Tried in order, the first kind that matches decides:
 *  1. a hash prefix of at least 6 hex digits;
 *  2. the model's name, exactly; then the store file's name or any source file's name, exactly;
 *  3. the same, case-insensitively;
 *  4. a path (relative to `cwd`): a recorded source path, compared on resolved locations (a
 *     folder reached through a symlink is the same folder), or any path whose real file lies in
 *     the store (a deployed link, a link-back). A reference holding a `/` is only a path.
 * Several models matching at one step is an error that lists them and what matched.
 */
export function resolveModelRef(db: DB, ref: string, where: RefContext = {}): ModelRow {
  const steps: Array<() => Candidate[]> = ref.includes('/')
    ? [() => byPath(db, ref, where)]
    : [() => byHash(db, ref), () => byName(db, ref, false), () => byName(db, ref, true), () => byPath(db, ref, where)];
  for (const step of steps) {
    const found = distinct(step());
    if (found.length === 1) return (found[0] as Candidate).row;
    if (found.length > 1) throw ambiguous(db, ref, found);
  }
  const hint = /^[0-9a-f]{1,5}$/i.test(ref) ? 'a hash prefix needs at least 6 hex digits' : 'run `modelhub list` to see the names and hashes (a model is also found by any of its source names or paths)';
  throw new ModelHubError('MODEL_NOT_FOUND', `no model matches "${ref}"`, { hint });
}

/** resolveModelRef on a hub: paths into its store resolve too; relative paths are read from `cwd`. */
export function findModel(hub: Hub, ref: string, cwd?: string): ModelRow {
  return resolveModelRef(hub.db, ref, cwd === undefined ? { layout: hub.layout } : { cwd, layout: hub.layout });
}

function byHash(db: DB, ref: string): Candidate[] {
  const lower = ref.toLowerCase();
  if (!/^[0-9a-f]{6,64}$/.test(lower)) return [];
  return (stmt(db, "SELECT * FROM models WHERE sha256 LIKE ? || '%' ORDER BY sha256 LIMIT 11").all(lower) as ModelRow[]).map((row) => ({ row }));
}

/** The model's own name first; only when none has it, the store file's name and the source file names. */
function byName(db: DB, ref: string, nocase: boolean): Candidate[] {
  const eq = nocase ? '= ? COLLATE NOCASE' : '= ?';
  const own = stmt(db, `SELECT * FROM models WHERE name ${eq} ORDER BY sha256`).all(ref) as ModelRow[];
  if (own.length > 0) return own.map((row) => ({ row }));
  const stored = (stmt(db, `SELECT * FROM models WHERE filename ${eq} ORDER BY sha256`).all(ref) as ModelRow[]).map((row) => ({ row, via: `store file ${row.filename}` }));
  const fromSources = sourcesNamed(db, ref, nocase).map(({ row, path }) => ({ row, via: path }));
  return [...stored, ...fromSources];
}

/** Models with a source path whose last component is `name`. */
function sourcesNamed(db: DB, name: string, nocase: boolean): Array<{ row: ModelRow; path: string }> {
  const tail = `/${name}`;
  const rows = stmt(
    db,
    `SELECT m.*, s.path AS source_path FROM model_sources s JOIN models m ON m.id = s.model_id
     WHERE s.state != 'importing' AND ${nocase ? 'lower(substr(s.path, -length(?))) = lower(?)' : 'substr(s.path, -length(?)) = ?'} ORDER BY m.sha256, s.path`,
  ).all(tail, tail) as Array<ModelRow & { source_path: string }>;
  return rows.filter((r) => !nocase || basename(r.source_path).toLowerCase() === name.toLowerCase()).map(({ source_path, ...row }) => ({ row, path: source_path }));
}

/** A recorded source at the same resolved location, else the model whose store file the path reaches. */
function byPath(db: DB, ref: string, where: RefContext): Candidate[] {
  const abs = resolve(where.cwd ?? process.cwd(), ref);
  const location = resolveLocation(abs);
  const recorded = sourcesNamed(db, basename(abs), false).filter((s) => s.path === abs || resolveLocation(s.path) === location);
  if (recorded.length > 0) return recorded.map(({ row, path }) => ({ row, via: path }));
  if (where.layout === undefined || lstatSync(abs, { throwIfNoEntry: false }) === undefined) return [];
  const hash = storeHashOf(where.layout, resolveReal(abs));
  const row = hash === undefined ? undefined : (stmt(db, 'SELECT * FROM models WHERE sha256 = ?').get(hash) as ModelRow | undefined);
  return row === undefined ? [] : [{ row, via: `${abs} (links into the store)` }];
}

function distinct(found: Candidate[]): Candidate[] {
  const seen = new Map<string, Candidate>();
  for (const c of found) if (!seen.has(c.row.sha256)) seen.set(c.row.sha256, c);
  return [...seen.values()];
}

/** The candidates, each with what matched or, where its name did, one of its paths to tell them apart. */
function ambiguous(db: DB, ref: string, found: Candidate[]): ModelHubError {
  const firstPath = (id: number): string | undefined => (stmt(db, "SELECT path FROM model_sources WHERE model_id = ? AND state != 'importing' ORDER BY path LIMIT 1").get(id) as { path: string } | undefined)?.path;
  const list = found
    .slice(0, 10)
    .map((c) => {
      const where = c.via ?? firstPath(c.row.id);
      return `  ${c.row.sha256.slice(0, 12)}  ${c.row.name}${where === undefined ? '' : `  (${where})`}`;
    })
    .join('\n');
  return new ModelHubError('MODEL_AMBIGUOUS', `"${ref}" matches ${found.length > 10 ? 'more than 10' : found.length} models:\n${list}`, {
    hint: 'give a hash prefix (6+ hex digits) or a source path',
  });
}
