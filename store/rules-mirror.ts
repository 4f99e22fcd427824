import { createHash } from 'node:crypto';
import { inTransaction, stmt, type DB } from '../core/db.js';
import type { RuleSet } from '../classify/ruleset.js';

export interface ExternalApiSettings {
  name: string;
  baseUrl: string;
  enabled: boolean;
  settings: Record<string, unknown>;
}

/**
 * The owner of classification.db's rule tables. Mirror the rules (built-in files plus the
 * user's) into classification.db so they can be queried with SQL: model_types, bases,
 * sub_type_rules (filename and metadata patterns), size_rules, architecture_patterns
 * (architectures and LoRA base signatures), external_apis (CivitAI with its name mappings) and
 * rules_state. The files stay the source of truth: the tables are rewritten in one transaction
 * when what they were built from changed, and left alone otherwise. Returns whether anything
 * was written.
 */
export function mirrorRules(db: DB, rules: RuleSet, apis: ExternalApiSettings[]): boolean {
  const fingerprint = createHash('sha256').update(JSON.stringify({ entries: rules.entries, apis })).digest('hex');
  const current = stmt(db, 'SELECT fingerprint FROM rules_state WHERE id = 1').get() as { fingerprint: string } | undefined;
  if (current?.fingerprint === fingerprint) return false;
  const e = rules.entries;
  inTransaction(db, () => {
    for (const table of ['model_types', 'bases', 'sub_type_rules', 'size_rules', 'architecture_patterns', 'external_apis']) db.exec(`DELETE FROM ${table}`);
    const type = db.prepare('INSERT INTO model_types (name, description, source) VALUES (?, ?, ?)');
    for (const { value, file } of e.modelTypes) type.run(value.id, value.description, file);
    const base = db.prepare('INSERT INTO bases (name, refines, description, source) VALUES (?, ?, ?, ?)');
    for (const { value, file } of e.bases) base.run(value.id, value.refines ?? null, value.description ?? null, file);
    const sub = db.prepare('INSERT INTO sub_type_rules (id, kind, pattern, type, base, variant, weight, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const { value: r, file } of e.filenames) sub.run(r.id, 'filename', r.token !== undefined ? `token:${r.token}` : (r.pattern ?? ''), r.type ?? null, r.base ?? null, r.variant ?? null, r.weight ?? 1, file);
    for (const { value: r, file } of e.metadata) sub.run(r.id, 'metadata', `${r.key}${r.pattern === undefined ? '' : ` ~ ${r.pattern}`}`, r.type ?? null, r.base ?? null, r.variant ?? null, r.weight ?? 1, file);
    const size = db.prepare('INSERT INTO size_rules (id, type, base, min_bytes, max_bytes, weight, source) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const { value: r, file } of e.sizes) size.run(r.id, r.type, r.base ?? null, Math.round(r.min_mb * 2 ** 20), Math.round(r.max_mb * 2 ** 20), r.weight ?? 1, file);
    const arch = db.prepare('INSERT INTO architecture_patterns (id, type, base, variant, priority, rule_json, source) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const { value: r, file } of e.architectures) arch.run(r.id, r.type, r.base ?? r.base_fallback ?? null, r.variant ?? null, r.priority, JSON.stringify(r), file);
    for (const { value: r, file } of e.loraBases) arch.run(r.id, 'lora', r.base, null, r.priority, JSON.stringify(r), file);
    const api = db.prepare('INSERT INTO external_apis (name, base_url, enabled, settings_json) VALUES (?, ?, ?, ?)');
    for (const a of apis) {
      const mappings = e.civitai.filter(() => a.name === 'civitai').map(({ value, file, field }) => ({ field, ...value, source: file }));
      api.run(a.name, a.baseUrl, a.enabled ? 1 : 0, JSON.stringify({ ...a.settings, mappings }));
    }
    stmt(db, 'INSERT INTO rules_state (id, fingerprint, files) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, files = excluded.files, loaded_at = excluded.loaded_at').run(
      fingerprint,
      JSON.stringify(rules.files),
    );
  });
  return true;
}
