import { ModelHubError } from '../core/errors.js';
import { matchesNameGlob } from '../core/glob.js';
import { didYouMean } from '../core/suggest.js';
import { IMAGE_BASES, KNOWN_LLM_BASES, MODEL_FORMATS, MODEL_TYPES } from '../core/vocabulary.js';
import { stmt, type DB } from '../core/db.js';
import type { ModelRow } from './inventory.js';

export interface ListFilter {
  type?: string | undefined;
  base?: string | undefined;
  /** Glob with * and ?, matched case-insensitively against the model's name, its store file's name or any source file's name. */
  name?: string | undefined;
  format?: string | undefined;
  includeDeleted?: boolean | undefined;
  /** Only models with no CivitAI match (not found there, or never asked). */
  noCivitai?: boolean | undefined;
  /** Only models flagged unsafe (a pickle referring to code outside what torch uses). */
  unsafe?: boolean | undefined;
}

export type ListSort = 'name' | 'size' | 'type' | 'date';

/** One model as `list` shows it (and as `list --json` prints it). */
export interface ModelListing {
  hash: string;
  name: string;
  type: string;
  base: string;
  variant: string | null;
  format: string;
  size: number;
  confidence: number;
  paths: string[];
  deleted: boolean;
  /** Whether CivitAI knows this file (by SHA-256 or AutoV3). */
  civitai: boolean;
  /** Flagged unsafe at import: its pickle refers to code outside what torch uses (never executed). */
  unsafe: boolean;
  added: string;
}

const CIVITAI_FOUND = "SELECT 1 FROM model_metadata c WHERE c.model_id = m.id AND c.source = 'civitai' AND c.key = 'civitai.status' AND c.value = 'found'";

const ORDER: Record<ListSort, string> = {
  name: 'm.name COLLATE NOCASE, m.sha256',
  size: 'm.file_size DESC, m.name COLLATE NOCASE',
  type: 'm.primary_type, m.base_model, m.name COLLATE NOCASE',
  date: 'm.created_at DESC, m.name COLLATE NOCASE',
};

/**
 * Check a filter's vocabulary values, as manifests are checked: a type, base or format must be
 * one ModelHub knows, one the inventory already holds (a GGUF architecture newer than the
 * vocabulary), or, for a base, one `extraBases` declares (the user's rule files). Otherwise a
 * USAGE error with "did you mean". Returns the filter with the format lower-cased.
 */
export function checkListFilter(db: DB, filter: ListFilter, extraBases: ReadonlySet<string> = new Set()): ListFilter {
  const held = (col: string): string[] => (db.prepare(`SELECT DISTINCT ${col} AS v FROM models`).all() as Array<{ v: string }>).map((r) => r.v);
  const format = filter.format?.toLowerCase();
  const check = (what: string, value: string | undefined, known: Iterable<string>, hint: string): void => {
    if (value === undefined) return;
    const all = new Set(known);
    if (all.has(value)) return;
    throw new ModelHubError('USAGE', `unknown ${what} "${value}"${didYouMean(value, all)}`, { hint });
  };
  check('type', filter.type, [...MODEL_TYPES, ...held('primary_type')], `known types: ${MODEL_TYPES.join(', ')}`);
  check('base', filter.base, [...IMAGE_BASES, ...KNOWN_LLM_BASES, ...extraBases, ...held('base_model')], '`modelhub stats` lists the bases in this inventory; a rule file (config `rules`) can declare more');
  check('format', format, [...MODEL_FORMATS, ...held('format')], `known formats: ${MODEL_FORMATS.join(', ')}`);
  return format === undefined ? filter : { ...filter, format };
}

/** A page of the inventory, filtered and sorted, with the total that matched. */
export function listModels(db: DB, filter: ListFilter, opts: { sort: ListSort; limit: number; offset: number }): { total: number; models: ModelListing[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!filter.includeDeleted) where.push('m.deleted = 0');
  if (filter.type !== undefined) (where.push('m.primary_type = ?'), params.push(filter.type));
  if (filter.base !== undefined) (where.push('m.base_model = ?'), params.push(filter.base));
  if (filter.format !== undefined) (where.push('m.format = ?'), params.push(filter.format));
  if (filter.name !== undefined) {
    registerGlob(db);
    where.push(`(modelhub_glob(?, m.name) OR modelhub_glob(?, m.filename) OR EXISTS (SELECT 1 FROM model_sources s WHERE s.model_id = m.id AND s.state != 'importing' AND modelhub_glob_base(?, s.path)))`);
    params.push(filter.name, filter.name, filter.name);
  }
  if (filter.noCivitai) where.push(`NOT EXISTS (${CIVITAI_FOUND})`);
  if (filter.unsafe) where.push('m.unsafe = 1');
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM models m ${clause}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT m.*, EXISTS (${CIVITAI_FOUND}) AS on_civitai FROM models m ${clause} ORDER BY ${ORDER[opts.sort]} LIMIT ? OFFSET ?`)
    .all(...params, opts.limit, opts.offset) as Array<ModelRow & { on_civitai: number }>;
  const pathsOf = stmt(db, "SELECT path FROM model_sources WHERE model_id = ? AND state != 'importing' ORDER BY path");
  return {
    total,
    models: rows.map((r) => ({
      hash: r.sha256,
      name: r.name,
      type: r.primary_type,
      base: r.base_model,
      variant: r.sub_type,
      format: r.format,
      size: r.file_size,
      confidence: r.confidence,
      paths: (pathsOf.all(r.id) as Array<{ path: string }>).map((p) => p.path),
      deleted: r.deleted === 1,
      civitai: r.on_civitai === 1,
      unsafe: r.unsafe === 1,
      added: r.created_at,
    })),
  };
}

const withGlob = new WeakSet<DB>();

/** `modelhub_glob(glob, name)` in SQL: the same name-glob dialect as manifests (core/glob.ts); `modelhub_glob_base(glob, path)` on a path's last component. */
function registerGlob(db: DB): void {
  if (withGlob.has(db)) return;
  db.function('modelhub_glob', { deterministic: true }, (glob: unknown, name: unknown) => (typeof glob === 'string' && typeof name === 'string' && matchesNameGlob(glob, name) ? 1 : 0));
  db.function('modelhub_glob_base', { deterministic: true }, (glob: unknown, path: unknown) =>
    typeof glob === 'string' && typeof path === 'string' && matchesNameGlob(glob, path.slice(path.lastIndexOf('/') + 1)) ? 1 : 0,
  );
  withGlob.add(db);
}

export interface Bucket {
  key: string;
  count: number;
  bytes: number;
}

export interface InventoryStats {
  models: number;
  bytes: number;
  byType: Bucket[];
  byBase: Bucket[];
  byFormat: Bucket[];
  /** Source paths now served by one store file. */
  linkedPaths: number;
  /** Bytes that would be on disk again if every linked or moved duplicate were a copy. */
  savedBytes: number;
  deleted: { count: number; bytes: number };
}

/** Counts and bytes by type, base and format; space saved by deduplication. Soft-deleted models are counted apart. */
export function inventoryStats(db: DB): InventoryStats {
  const bucket = (col: string): Bucket[] =>
    db.prepare(`SELECT ${col} AS key, COUNT(*) AS count, COALESCE(SUM(file_size), 0) AS bytes FROM models WHERE deleted = 0 GROUP BY ${col} ORDER BY bytes DESC, key`).all() as Bucket[];
  const totals = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(file_size), 0) AS b FROM models WHERE deleted = 0').get() as { n: number; b: number };
  const deleted = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(file_size), 0) AS b FROM models WHERE deleted = 1').get() as { n: number; b: number };
  const dedup = db
    .prepare(
      `SELECT COALESCE(SUM(n), 0) AS paths, COALESCE(SUM(CASE WHEN n > 1 THEN (n - 1) * size ELSE 0 END), 0) AS saved FROM (
         SELECT m.file_size AS size, COUNT(s.id) AS n FROM models m
         JOIN model_sources s ON s.model_id = m.id AND s.state IN ('linked', 'moved')
         WHERE m.deleted = 0 GROUP BY m.id)`,
    )
    .get() as { paths: number; saved: number };
  return {
    models: totals.n,
    bytes: totals.b,
    byType: bucket('primary_type'),
    byBase: bucket('base_model'),
    byFormat: bucket('format'),
    linkedPaths: dedup.paths,
    savedBytes: dedup.saved,
    deleted: { count: deleted.n, bytes: deleted.b },
  };
}
