import { inTransaction, stmt, type DB } from '../core/db.js';
import { refreshModelName } from './model-name.js';
import { applyRecordedOverride, replaceDisplacedClassification } from './overrides.js';

/** One row of `models`, as stored. */
export interface ModelRow {
  id: number;
  sha256: string;
  /** The store file's name (`models/<sha256>/<filename>`), the first path's name; never changes. */
  filename: string;
  /** The model's name, chosen among its source paths (store/model-name.ts): what links are called. */
  name: string;
  file_size: number;
  format: string;
  container: string | null;
  primary_type: string;
  sub_type: string | null;
  base_model: string;
  confidence: number;
  autov2: string | null;
  autov3: string | null;
  unsafe: number;
  header_error: string | null;
  deleted: number;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface EvidenceRow {
  method: string;
  observed: string;
  type?: string | null | undefined;
  base?: string | null | undefined;
  variant?: string | null | undefined;
  weight: number;
  rule?: string | null | undefined;
}

export interface ClassificationRecord {
  type: string;
  base: string;
  variant: string | null;
  confidence: number;
  evidence: EvidenceRow[];
}

export interface NewModel {
  sha256: string;
  filename: string;
  size: number;
  format: string;
  container: string | null;
  autov3?: string | null | undefined;
  unsafe: boolean;
  headerError: string | null;
}

export type SourceState = 'importing' | 'linked' | 'moved' | 'copied';

export interface SourceRow {
  path: string;
  state: SourceState;
  first_seen: string;
  last_seen: string;
}

export function getModelBySha(db: DB, sha256: string): ModelRow | undefined {
  return stmt(db, 'SELECT * FROM models WHERE sha256 = ?').get(sha256) as ModelRow | undefined;
}

/** The few columns a scan needs of a known model: `SELECT *` reads (and allocates) the whole row, several times the cost per file of a rescan. */
export type ModelBrief = Pick<ModelRow, 'id' | 'file_size' | 'primary_type' | 'base_model'>;

export function getModelBriefBySha(db: DB, sha256: string): ModelBrief | undefined {
  return stmt(db, 'SELECT id, file_size, primary_type, base_model FROM models WHERE sha256 = ?').get(sha256) as ModelBrief | undefined;
}

/** A model's brief and the model the source row at `path` records (null: no row), in one query: a rescan asks both for every store link it meets. */
export function getModelBriefAndSource(db: DB, sha256: string, path: string): (ModelBrief & { source_model_id: number | null }) | undefined {
  return stmt(db, 'SELECT id, file_size, primary_type, base_model, (SELECT s.model_id FROM model_sources s WHERE s.path = ?) AS source_model_id FROM models WHERE sha256 = ?').get(path, sha256) as
    | (ModelBrief & { source_model_id: number | null })
    | undefined;
}

/** What classifying a stored model reads of its row (store/reclassify.ts). */
export type StoredModel = Pick<ModelRow, 'id' | 'sha256' | 'filename' | 'file_size' | 'container' | 'autov3' | 'primary_type' | 'base_model' | 'sub_type' | 'confidence'>;

/**
 * The columns of a model that classifying it needs. Narrower than `SELECT *` on purpose: a row
 * of every column costs about 20 µs to read into an object, ten columns a few (scan classifies
 * every model it imported once more).
 */
export function getStoredModelBySha(db: DB, sha256: string): StoredModel | undefined {
  return stmt(db, 'SELECT id, sha256, filename, file_size, container, autov3, primary_type, base_model, sub_type, confidence FROM models WHERE sha256 = ?').get(sha256) as StoredModel | undefined;
}

/** The stored models with these hashes (unknown ones left out), read in one read transaction. */
export function getStoredModelsBySha(db: DB, hashes: string[]): StoredModel[] {
  return db.transaction(() => hashes.map((h) => getStoredModelBySha(db, h)).filter((m) => m !== undefined)).deferred();
}

/** Insert a model (AutoV2 derived from the SHA-256), not classified yet, and return its id. */
export function insertModel(db: DB, m: NewModel): number {
  return insertRow(db, m, { type: 'unknown', base: 'unknown', variant: null, confidence: 0 });
}

/** Positional parameters: binding an object by name took ~25 µs per insert of a scan, positional ~8 µs. */
function insertRow(db: DB, m: NewModel, c: Omit<ClassificationRecord, 'evidence'>): number {
  const info = stmt(
    db,
    `INSERT INTO models (sha256, filename, name, file_size, format, container, autov2, autov3, unsafe, header_error, primary_type, base_model, sub_type, confidence)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(m.sha256, m.filename, m.filename, m.size, m.format, m.container, m.sha256.slice(0, 10).toUpperCase(), m.autov3 ?? null, m.unsafe ? 1 : 0, m.headerError, c.type, c.base, c.variant, c.confidence);
  return Number(info.lastInsertRowid);
}

/**
 * Record the classifier's answer for a model, replacing its evidence (one transaction). A
 * recorded Override stays in force: the answer becomes the classification it displaces, and the
 * models columns keep showing the override on top of it.
 */
export function saveClassification(db: DB, modelId: number, c: ClassificationRecord): void {
  atomically(db, () => {
    stmt(db, 
      `UPDATE models SET primary_type = ?, base_model = ?, sub_type = ?, confidence = ?,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
    ).run(c.type, c.base, c.variant, c.confidence, modelId);
    stmt(db, 'DELETE FROM model_evidence WHERE model_id = ?').run(modelId);
    insertEvidence(db, modelId, c.evidence);
    if (replaceDisplacedClassification(db, modelId, c)) applyRecordedOverride(db, modelId);
  });
}

/**
 * Insert a model that has no row yet together with its classification and its metadata from
 * one source: what insertModel, saveClassification and replaceMetadata write, in fewer
 * statements, since a new row has no evidence, metadata or Override to replace (they go with a
 * deleted row: ON DELETE CASCADE). Call inside a transaction. Returns the new row's brief.
 */
export function insertClassifiedModel(db: DB, m: NewModel, c: ClassificationRecord, metadata: { source: string; entries: Record<string, unknown> }): ModelBrief {
  const id = insertRow(db, m, c);
  insertEvidence(db, id, c.evidence);
  insertMetadata(db, id, metadata.source, metadata.entries);
  return { id, file_size: m.size, primary_type: c.type, base_model: c.base };
}

function insertEvidence(db: DB, modelId: number, evidence: EvidenceRow[]): void {
  const insert = stmt(db, 'INSERT INTO model_evidence (model_id, seq, method, observed, type, base, variant, weight, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  evidence.forEach((e, seq) => insert.run(modelId, seq, e.method, e.observed, e.type ?? null, e.base ?? null, e.variant ?? null, e.weight, e.rule ?? null));
}

function insertMetadata(db: DB, modelId: number, source: string, entries: Record<string, unknown>): void {
  const insert = stmt(db, 'INSERT INTO model_metadata (model_id, source, key, value) VALUES (?, ?, ?, ?)');
  for (const [key, value] of Object.entries(entries)) insert.run(modelId, source, key, metadataText(value));
}

/**
 * Run `fn` in a transaction: the caller's when one is open (these writes throw only to abort it
 * as a whole, so they need no savepoint of their own: a scan saves thousands in one), else a new one.
 */
function atomically(db: DB, fn: () => void): void {
  if (db.inTransaction) fn();
  else inTransaction(db, fn);
}

export function getEvidence(db: DB, modelId: number): EvidenceRow[] {
  return stmt(db, 'SELECT method, observed, type, base, variant, weight, rule FROM model_evidence WHERE model_id = ? ORDER BY seq')
    .all(modelId) as EvidenceRow[];
}

/** Replace every metadata entry a model has from one source (header, civitai, sidecar, …). */
export function replaceMetadata(db: DB, modelId: number, source: string, entries: Record<string, unknown>): void {
  atomically(db, () => {
    stmt(db, 'DELETE FROM model_metadata WHERE model_id = ? AND source = ?').run(modelId, source);
    insertMetadata(db, modelId, source, entries);
  });
}

export function getMetadata(db: DB, modelId: number): Array<{ source: string; key: string; value: string | null }> {
  return stmt(db, 'SELECT source, key, value FROM model_metadata WHERE model_id = ? ORDER BY source, key').all(modelId) as Array<{
    source: string;
    key: string;
    value: string | null;
  }>;
}

function metadataText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Record that `path` held this model's content (upsert: a path belongs to one model at a time).
 * A finished import (any state but `importing`) names the model again from all its paths.
 * `scanRoot` is the folder the scan was given (or the folder of a file it was given); a path
 * keeps the root it was first recorded with, so scanning a subfolder later does not move the
 * links a `{dir}` template gives it.
 */
export function recordSource(db: DB, modelId: number, path: string, state: SourceState, scanRoot?: string): void {
  stmt(db, 
    `INSERT INTO model_sources (model_id, path, state, scan_root) VALUES (?, ?, ?, ?)
     ON CONFLICT (path) DO UPDATE SET model_id = excluded.model_id, state = excluded.state,
       scan_root = COALESCE(model_sources.scan_root, excluded.scan_root),
       last_seen = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  ).run(modelId, path, state, scanRoot ?? null);
  if (state !== 'importing') refreshModelName(db, modelId);
}

export function getSources(db: DB, modelId: number): SourceRow[] {
  return stmt(db, 'SELECT path, state, first_seen, last_seen FROM model_sources WHERE model_id = ? ORDER BY path').all(modelId) as SourceRow[];
}

export function getSourceByPath(db: DB, path: string): { model_id: number; state: SourceState } | undefined {
  return stmt(db, 'SELECT model_id, state FROM model_sources WHERE path = ?').get(path) as { model_id: number; state: SourceState } | undefined;
}

/** Every model row, by file name (reclassify --all). */
export function listAllModels(db: DB): ModelRow[] {
  return stmt(db, 'SELECT * FROM models ORDER BY filename COLLATE NOCASE').all() as ModelRow[];
}

/** Whether CivitAI was ever asked about this model (its answer, or its "not found", is recorded). */
export function civitaiWasAsked(db: DB, modelId: number): boolean {
  return stmt(db, "SELECT 1 FROM model_metadata WHERE model_id = ? AND source = 'civitai' AND key = 'civitai.status'").get(modelId) !== undefined;
}
