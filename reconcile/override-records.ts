import { inTransaction, stmt, type DB } from '../core/db.js';
import { applyRecordedOverride, removeRecordedOverride } from '../store/override-effects.js';
import type { InventoryModel, OverrideChange, OverrideRecord } from './overrides.js';


/**
 * Every model of the inventory with the classifier's own answer: where an override is recorded,
 * its displaced classification (model_overrides.prev_*) rather than the overridden columns, so
 * planning re-applies the manifests' overrides from scratch and a removed override shows.
 */
export function readInventoryModels(db: DB): InventoryModel[] {
  const rows = db
    .prepare(
      `SELECT m.sha256, m.filename, m.format, m.file_size, m.deleted, m.unsafe,
         COALESCE(o.prev_type, m.primary_type) AS type,
         COALESCE(o.prev_base, m.base_model) AS base,
         CASE WHEN o.model_id IS NULL THEN m.sub_type ELSE o.prev_variant END AS variant
       FROM models m LEFT JOIN model_overrides o ON o.model_id = m.id
       ORDER BY m.sha256`,
    )
    .all() as Array<{ sha256: string; filename: string; format: string; file_size: number; deleted: number; unsafe: number; type: string; base: string; variant: string | null }>;
  return rows.map((r) => ({ hash: r.sha256, filename: r.filename, format: r.format, size: r.file_size, type: r.type, base: r.base, variant: r.variant, deleted: r.deleted === 1, unsafe: r.unsafe === 1 }));
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
