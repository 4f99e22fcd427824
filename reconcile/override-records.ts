import { inTransaction, stmt, type DB } from '../store/db.js';
import type { InventoryModel, OverrideChange, OverrideRecord } from './overrides.js';

/** How the manual evidence rows written for manifest Overrides begin (and are recognised). */
const EVIDENCE_PREFIX = 'Override in the manifests';

/**
 * Every model of the inventory with the classifier's own answer: where an override is recorded,
 * its displaced classification (model_overrides.prev_*) rather than the overridden columns, so
 * planning re-applies the manifests' overrides from scratch and a removed override shows.
 */
export function readInventoryModels(db: DB): InventoryModel[] {
  const rows = db
    .prepare(
      `SELECT m.sha256, m.filename, m.format, m.file_size, m.deleted,
         COALESCE(o.prev_type, m.primary_type) AS type,
         COALESCE(o.prev_base, m.base_model) AS base,
         CASE WHEN o.model_id IS NULL THEN m.sub_type ELSE o.prev_variant END AS variant
       FROM models m LEFT JOIN model_overrides o ON o.model_id = m.id
       ORDER BY m.sha256`,
    )
    .all() as Array<{ sha256: string; filename: string; format: string; file_size: number; deleted: number; type: string; base: string; variant: string | null }>;
  return rows.map((r) => ({ hash: r.sha256, filename: r.filename, format: r.format, size: r.file_size, type: r.type, base: r.base, variant: r.variant, deleted: r.deleted === 1 }));
}

export function readOverrideRecords(db: DB): OverrideRecord[] {
  const rows = db
    .prepare(
      `SELECT m.sha256 AS hash, o.type, o.base, o.variant, o.deploy_name AS deployName, o.tags
       FROM model_overrides o JOIN models m ON m.id = o.model_id ORDER BY m.sha256`,
    )
    .all() as Array<Omit<OverrideRecord, 'tags'> & { tags: string }>;
  return rows.map((r) => ({ ...r, tags: JSON.parse(r.tags) as string[] }));
}

/**
 * Record override changes in the inventory, in one transaction. `record` saves the model's
 * current classification in prev_* and writes the override over it; `update` rewrites the
 * effect over prev_*; `remove` restores prev_*. Each overridden classification gets a
 * model_evidence row with method `manual` and weight 1, and confidence 1.
 */
export function writeOverrideChanges(db: DB, changes: OverrideChange[]): void {
  if (changes.length === 0) return;
  inTransaction(db, () => {
    for (const c of changes) {
      const model = stmt(db, 'SELECT id, primary_type, base_model, sub_type, confidence FROM models WHERE sha256 = ?').get(c.model.hash) as
        | { id: number; primary_type: string; base_model: string; sub_type: string | null; confidence: number }
        | undefined;
      if (model === undefined) continue;
      stmt(db, "DELETE FROM model_evidence WHERE model_id = ? AND method = 'manual' AND observed LIKE ? || '%'").run(model.id, EVIDENCE_PREFIX);
      if (c.action === 'remove') {
        restoreClassification(db, model.id);
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
      applyRecordedOverride(db, model.id, c.labels);
    }
  });
}

/** Write a model's recorded override over its displaced classification (models columns + manual evidence). */
function applyRecordedOverride(db: DB, modelId: number, labels: string[]): void {
  const o = stmt(db, 'SELECT type, base, variant, prev_type, prev_base, prev_variant, prev_confidence FROM model_overrides WHERE model_id = ?').get(modelId) as {
    type: string | null;
    base: string | null;
    variant: string | null;
    prev_type: string;
    prev_base: string;
    prev_variant: string | null;
    prev_confidence: number;
  };
  const classifies = o.type !== null || o.base !== null || o.variant !== null;
  const type = o.type ?? o.prev_type;
  const base = o.base ?? o.prev_base;
  const variant = o.variant ?? o.prev_variant;
  stmt(db, "UPDATE models SET primary_type = ?, base_model = ?, sub_type = ?, confidence = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(
    type,
    base,
    variant,
    classifies ? 1 : o.prev_confidence,
    modelId,
  );
  if (!classifies) return;
  const { next } = stmt(db, 'SELECT COALESCE(MAX(seq), -1) + 1 AS next FROM model_evidence WHERE model_id = ?').get(modelId) as { next: number };
  stmt(db, 'INSERT INTO model_evidence (model_id, seq, method, observed, type, base, variant, weight, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    modelId,
    next,
    'manual',
    `${EVIDENCE_PREFIX} (${labels.join(', ')})`,
    o.type,
    o.base,
    o.variant,
    1,
    labels.join(', '),
  );
}

function restoreClassification(db: DB, modelId: number): void {
  const o = stmt(db, 'SELECT prev_type, prev_base, prev_variant, prev_confidence FROM model_overrides WHERE model_id = ?').get(modelId) as
    | { prev_type: string; prev_base: string; prev_variant: string | null; prev_confidence: number }
    | undefined;
  if (o === undefined) return;
  stmt(db, "UPDATE models SET primary_type = ?, base_model = ?, sub_type = ?, confidence = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(
    o.prev_type,
    o.prev_base,
    o.prev_variant,
    o.prev_confidence,
    modelId,
  );
  stmt(db, 'DELETE FROM model_overrides WHERE model_id = ?').run(modelId);
}
