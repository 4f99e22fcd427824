import { stmt, type DB } from '../core/db.js';

/** How the manual evidence rows written for manifest Overrides read (display only). */
export const OVERRIDE_EVIDENCE_PREFIX = 'Override in the manifests';
/** The rule of an Override's evidence row: `override:<origin>`, its identity. */
export const OVERRIDE_RULE_PREFIX = 'override:';

const DELETE_OVERRIDE_EVIDENCE = `DELETE FROM model_evidence WHERE model_id = ? AND method = 'manual' AND substr(rule, 1, ${OVERRIDE_RULE_PREFIX.length}) = '${OVERRIDE_RULE_PREFIX}'`;

/**
 * The models columns (primary_type, base_model, sub_type, confidence) always show the recorded
 * Override (model_overrides) on top of the classifier's own answer (model_overrides.prev_*).
 * Write the override over the displaced classification: columns, confidence 1, and a `manual`
 * evidence row naming the override. A model without a recorded override is left alone.
 */
export function applyRecordedOverride(db: DB, modelId: number): void {
  const o = stmt(db, 'SELECT type, base, variant, origin, prev_type, prev_base, prev_variant, prev_confidence FROM model_overrides WHERE model_id = ?').get(modelId) as
    | {
        type: string | null;
        base: string | null;
        variant: string | null;
        origin: string;
        prev_type: string;
        prev_base: string;
        prev_variant: string | null;
        prev_confidence: number;
      }
    | undefined;
  if (o === undefined) return;
  stmt(db, DELETE_OVERRIDE_EVIDENCE).run(modelId);
  const classifies = o.type !== null || o.base !== null || o.variant !== null;
  stmt(db, "UPDATE models SET primary_type = ?, base_model = ?, sub_type = ?, confidence = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(
    o.type ?? o.prev_type,
    o.base ?? o.prev_base,
    o.variant ?? o.prev_variant,
    classifies ? 1 : o.prev_confidence,
    modelId,
  );
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
  const o = stmt(db, 'SELECT prev_type, prev_base, prev_variant, prev_confidence FROM model_overrides WHERE model_id = ?').get(modelId) as
    | { prev_type: string; prev_base: string; prev_variant: string | null; prev_confidence: number }
    | undefined;
  if (o === undefined) return;
  stmt(db, DELETE_OVERRIDE_EVIDENCE).run(modelId);
  stmt(db, "UPDATE models SET primary_type = ?, base_model = ?, sub_type = ?, confidence = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(
    o.prev_type,
    o.prev_base,
    o.prev_variant,
    o.prev_confidence,
    modelId,
  );
  stmt(db, 'DELETE FROM model_overrides WHERE model_id = ?').run(modelId);
}

/**
 * A fresh answer of the classifier becomes the displaced classification of a recorded
 * override (which stays in force); returns false when the model has no override.
 */
export function replaceDisplacedClassification(db: DB, modelId: number, c: { type: string; base: string; variant: string | null; confidence: number }): boolean {
  const info = stmt(db, 'UPDATE model_overrides SET prev_type = ?, prev_base = ?, prev_variant = ?, prev_confidence = ? WHERE model_id = ?').run(
    c.type,
    c.base,
    c.variant,
    c.confidence,
    modelId,
  );
  return info.changes > 0;
}

/** What an Override recorded for a model (its effect, as the manifests last said), if one is in force. */
export interface OverrideRecordRow {
  type: string | null;
  base: string | null;
  variant: string | null;
  name: string | null;
  tags: string[];
  origin: string;
}

export function getOverrideRecord(db: DB, modelId: number): OverrideRecordRow | undefined {
  const r = stmt(db, 'SELECT type, base, variant, deploy_name AS name, tags, origin FROM model_overrides WHERE model_id = ?').get(modelId) as
    | (Omit<OverrideRecordRow, 'tags'> & { tags: string })
    | undefined;
  return r === undefined ? undefined : { ...r, tags: JSON.parse(r.tags) as string[] };
}

/** The SHA-256 of every model an Override is in force for. */
export function overriddenHashes(db: DB): Set<string> {
  return new Set((stmt(db, 'SELECT m.sha256 FROM model_overrides o JOIN models m ON m.id = o.model_id').all() as Array<{ sha256: string }>).map((r) => r.sha256));
}
