import { inTransaction, stmt, type DB } from '../core/db.js';
import { readModelOrigins, type ModelOrigin } from './model-origins.js';

/**
 * The owner of `model_overrides`: the Overrides in force, each with the classification it
 * displaced. Nothing else reads or writes that table. The models columns (primary_type,
 * base_model, sub_type, confidence) always show a recorded Override on top of the classifier's
 * own answer (prev_*), and an Override that classifies carries one `manual` evidence row whose
 * rule, `override:<origin>`, is its identity.
 */

/** How the manual evidence rows written for manifest Overrides read (display only). */
export const OVERRIDE_EVIDENCE_PREFIX = 'Override in the manifests';
/** The rule of an Override's evidence row: `override:<origin>`, its identity. */
export const OVERRIDE_RULE_PREFIX = 'override:';

const DELETE_OVERRIDE_EVIDENCE = `DELETE FROM model_evidence WHERE model_id = ? AND method = 'manual' AND substr(rule, 1, ${OVERRIDE_RULE_PREFIX.length}) = '${OVERRIDE_RULE_PREFIX}'`;
const TOUCH_MODEL = "UPDATE models SET primary_type = ?, base_model = ?, sub_type = ?, confidence = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?";
const SELECT_RECORDED = `SELECT o.model_id, m.sha256, o.type, o.base, o.variant, o.deploy_name, o.tags, o.origin, o.prev_type, o.prev_base, o.prev_variant, o.prev_confidence
  FROM model_overrides o JOIN models m ON m.id = o.model_id`;

/** A classification as the classifier gave it. */
export interface ClassifierAnswer {
  type: string;
  base: string;
  variant: string | null;
  confidence: number;
}

/** An Override in force for one model: its effect (null: that field is kept) and what it displaced. */
export interface RecordedOverride {
  modelId: number;
  hash: string;
  type: string | null;
  base: string | null;
  variant: string | null;
  /** The link name it gives the model in deployments. */
  name: string | null;
  tags: string[];
  /** The Overrides that matched (names, or file:line), comma-separated. */
  origin: string;
  /** The classifier's own answer, kept so removing the override restores it. */
  displaced: ClassifierAnswer;
}

/** A model as the inventory holds it; type/base/variant are the classifier's answer, before any override. */
export interface InventoryModel {
  hash: string;
  /** The store file's name. */
  filename: string;
  /** The model's name (chosen among its source paths): the link name unless an Override sets one. */
  name: string;
  format: string;
  size: number;
  type: string;
  base: string;
  variant: string | null;
  deleted: boolean;
  /** Flagged unsafe at import (a pickle referring to code outside what torch uses). */
  unsafe?: boolean;
  /** Where it was found (absent: no source path recorded). */
  origin?: ModelOrigin;
}

/** An override effect as recorded, the way the planner compares it with the manifests. */
export interface OverrideRecord {
  hash: string;
  type: string | null;
  base: string | null;
  variant: string | null;
  deployName: string | null;
  tags: string[];
}

/** An inventory update `apply` makes so the recorded overrides match the manifests. */
export interface OverrideChange {
  action: 'record' | 'update' | 'remove';
  model: { hash: string; name: string };
  /** The effect to record (absent for `remove`). */
  set?: { type?: string; base?: string; variant?: string; name?: string; tags?: string[] };
  labels: string[];
}

interface Row {
  model_id: number;
  sha256: string;
  type: string | null;
  base: string | null;
  variant: string | null;
  deploy_name: string | null;
  tags: string;
  origin: string;
  prev_type: string;
  prev_base: string;
  prev_variant: string | null;
  prev_confidence: number;
}

function fromRow(r: Row): RecordedOverride {
  return {
    modelId: r.model_id,
    hash: r.sha256,
    type: r.type,
    base: r.base,
    variant: r.variant,
    name: r.deploy_name,
    tags: JSON.parse(r.tags) as string[],
    origin: r.origin,
    displaced: { type: r.prev_type, base: r.prev_base, variant: r.prev_variant, confidence: r.prev_confidence },
  };
}

/** The Override in force for a model, if one is recorded. */
export function getRecordedOverride(db: DB, modelId: number): RecordedOverride | undefined {
  const r = stmt(db, `${SELECT_RECORDED} WHERE o.model_id = ?`).get(modelId) as Row | undefined;
  return r === undefined ? undefined : fromRow(r);
}

/** Every Override in force, by model id (one query, whatever the size of the inventory). */
export function readRecordedOverrides(db: DB): Map<number, RecordedOverride> {
  return new Map((stmt(db, `${SELECT_RECORDED} ORDER BY m.sha256`).all() as Row[]).map((r) => [r.model_id, fromRow(r)]));
}

/** The SHA-256 of every model an Override is in force for. */
export function overriddenHashes(db: DB): Set<string> {
  return new Set([...readRecordedOverrides(db).values()].map((o) => o.hash));
}

/** The recorded effects, by hash, as the planner compares them with the manifests. */
export function readOverrideRecords(db: DB): OverrideRecord[] {
  return [...readRecordedOverrides(db).values()].map((o) => ({ hash: o.hash, type: o.type, base: o.base, variant: o.variant, deployName: o.name, tags: o.tags }));
}

/** The classifier's last answer for a model: what a recorded Override displaced, else the models columns. */
export function classifierAnswerOf(o: RecordedOverride | undefined, m: { primary_type: string; base_model: string; sub_type: string | null; confidence: number }): ClassifierAnswer {
  return o?.displaced ?? { type: m.primary_type, base: m.base_model, variant: m.sub_type, confidence: m.confidence };
}

/**
 * Every model of the inventory with the classifier's own answer: where an override is recorded,
 * its displaced classification rather than the overridden columns, so planning re-applies the
 * manifests' overrides from scratch and a removed override shows.
 */
export function readInventoryModels(db: DB): InventoryModel[] {
  // The classifier's answer as classifierAnswerOf gives it, in SQL: what a recorded Override displaced, else the models columns.
  const answer = (displaced: string, own: string): string => `CASE WHEN o.model_id IS NULL THEN m.${own} ELSE o.${displaced} END`;
  const columns = ['m.id', 'm.sha256', 'm.filename', 'm.name', 'm.format', 'm.file_size', answer('prev_type', 'primary_type'), answer('prev_base', 'base_model'), answer('prev_variant', 'sub_type'), 'm.deleted', 'm.unsafe'];
  // Rows as arrays: better-sqlite3 builds an object row value by value, a third slower for 10,000 rows.
  const rows = db.prepare(`SELECT ${columns.join(', ')} FROM models m LEFT JOIN model_overrides o ON o.model_id = m.id`).raw().all() as unknown[][];
  // Sorted here: SQLite's ORDER BY walks the sha256 index and looks every row up (twice the query's cost at 10,000 rows).
  rows.sort((a, b) => ((a[1] as string) < (b[1] as string) ? -1 : 1));
  const origins = readModelOrigins(db);
  return rows.map((r) => {
    const origin = origins.get(r[0] as number);
    return {
      hash: r[1] as string,
      filename: r[2] as string,
      name: r[3] as string,
      format: r[4] as string,
      size: r[5] as number,
      type: r[6] as string,
      base: r[7] as string,
      variant: r[8] as string | null,
      deleted: r[9] === 1,
      unsafe: r[10] === 1,
      ...(origin === undefined ? {} : { origin }),
    };
  });
}

/**
 * Write the override over the displaced classification: columns, confidence 1, and a `manual`
 * evidence row naming the override. A model without a recorded override is left alone.
 */
export function applyRecordedOverride(db: DB, modelId: number): void {
  const o = getRecordedOverride(db, modelId);
  if (o === undefined) return;
  stmt(db, DELETE_OVERRIDE_EVIDENCE).run(modelId);
  const classifies = o.type !== null || o.base !== null || o.variant !== null;
  const d = o.displaced;
  stmt(db, TOUCH_MODEL).run(o.type ?? d.type, o.base ?? d.base, o.variant ?? d.variant, classifies ? 1 : d.confidence, modelId);
  if (!classifies) return;
  const { next } = stmt(db, 'SELECT COALESCE(MAX(seq), -1) + 1 AS next FROM model_evidence WHERE model_id = ?').get(modelId) as { next: number };
  stmt(db, 'INSERT INTO model_evidence (model_id, seq, method, observed, type, base, variant, weight, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    modelId,
    next,
    'manual',
    `${OVERRIDE_EVIDENCE_PREFIX} (${o.origin})`,
    o.type,
    o.base,
    o.variant,
    1,
    `${OVERRIDE_RULE_PREFIX}${o.origin}`,
  );
}

/** Drop a model's recorded override and show the classifier's own answer again. */
export function removeRecordedOverride(db: DB, modelId: number): void {
  const o = getRecordedOverride(db, modelId);
  if (o === undefined) return;
  stmt(db, DELETE_OVERRIDE_EVIDENCE).run(modelId);
  const d = o.displaced;
  stmt(db, TOUCH_MODEL).run(d.type, d.base, d.variant, d.confidence, modelId);
  stmt(db, 'DELETE FROM model_overrides WHERE model_id = ?').run(modelId);
}

/**
 * A fresh answer of the classifier becomes the displaced classification of a recorded
 * override (which stays in force); returns false when the model has no override.
 */
export function replaceDisplacedClassification(db: DB, modelId: number, c: ClassifierAnswer): boolean {
  const info = stmt(db, 'UPDATE model_overrides SET prev_type = ?, prev_base = ?, prev_variant = ?, prev_confidence = ? WHERE model_id = ?').run(
    c.type,
    c.base,
    c.variant,
    c.confidence,
    modelId,
  );
  return info.changes > 0;
}

/**
 * Record override changes in the inventory, in one transaction. `record` saves the model's
 * current classification as the displaced one and writes the override over it; `update`
 * rewrites the effect over the displaced classification; `remove` restores it. Changes for
 * models no longer in the inventory are skipped.
 */
export function writeOverrideChanges(db: DB, changes: OverrideChange[]): void {
  if (changes.length === 0) return;
  inTransaction(db, () => {
    for (const c of changes) {
      const model = stmt(db, 'SELECT id, primary_type, base_model, sub_type, confidence FROM models WHERE sha256 = ?').get(c.model.hash) as
        | { id: number; primary_type: string; base_model: string; sub_type: string | null; confidence: number }
        | undefined;
      if (model === undefined) continue;
      if (c.action === 'remove') {
        removeRecordedOverride(db, model.id);
        continue;
      }
      const set = c.set ?? {};
      stmt(
        db,
        `INSERT INTO model_overrides (model_id, type, base, variant, deploy_name, tags, origin, prev_type, prev_base, prev_variant, prev_confidence)
         VALUES (@id, @type, @base, @variant, @name, @tags, @origin, @pt, @pb, @pv, @pc)
         ON CONFLICT (model_id) DO UPDATE SET type = excluded.type, base = excluded.base, variant = excluded.variant,
           deploy_name = excluded.deploy_name, tags = excluded.tags, origin = excluded.origin,
           updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
      ).run({
        id: model.id,
        type: set.type ?? null,
        base: set.base ?? null,
        variant: set.variant ?? null,
        name: set.name ?? null,
        tags: JSON.stringify(set.tags ?? []),
        origin: c.labels.join(', '),
        pt: model.primary_type,
        pb: model.base_model,
        pv: model.sub_type,
        pc: model.confidence,
      });
      applyRecordedOverride(db, model.id);
    }
  });
}
