/**
 * An Override's evidence row is known by its identity (`rule = 'override:<origin>'`), never by
 * what its display text says: a manual evidence row of another kind is never taken for it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/db.js';
import { openHub } from '../../store/hub.js';
import { INVENTORY_MIGRATIONS } from '../../store/migrations.js';
import { applyRecordedOverride, removeRecordedOverride } from '../../store/overrides.js';
import { tempDir } from '../helpers/tmp.js';
import { addModel, makeWorld } from '../helpers/world.js';

describe('override evidence identity', () => {
  it('writes rule override:<origin> and removes only rows with that identity', () => {
    const w = makeWorld({ hub: true });
    const hash = addModel(w, { filename: 'a.safetensors', type: 'lora', base: 'sdxl' });
    const hub = openHub(w.hub);
    const { id } = hub.db.prepare('SELECT id FROM models WHERE sha256 = ?').get(hash) as { id: number };
    hub.db
      .prepare("INSERT INTO model_overrides (model_id, type, base, variant, deploy_name, tags, origin, prev_type, prev_base, prev_variant, prev_confidence) VALUES (?, NULL, 'pony', NULL, NULL, '[]', 'loras.yaml:3', 'lora', 'sdxl', NULL, 0.9)")
      .run(id);
    // A manual row whose text merely looks like an Override's (e.g. imported from elsewhere).
    hub.db.prepare("INSERT INTO model_evidence (model_id, seq, method, observed, type, base, weight, rule) VALUES (?, 50, 'manual', 'Override in the manifests (not really)', 'lora', 'flux', 1, 'note')").run(id);
    applyRecordedOverride(hub.db, id);
    const rules = (): string[] => (hub.db.prepare("SELECT rule FROM model_evidence WHERE model_id = ? AND method = 'manual' ORDER BY rule").all(id) as Array<{ rule: string }>).map((r) => r.rule);
    expect(rules()).toEqual(['note', 'override:loras.yaml:3']);
    removeRecordedOverride(hub.db, id);
    expect(rules()).toEqual(['note']);
    hub.close();
  });

  it('gives the Override rows of an older inventory their identity when it is opened (migration 5)', () => {
    const file = join(tempDir(), 'modelhub.db');
    const before = INVENTORY_MIGRATIONS.filter((m) => m.version < 5);
    const old = openDatabase(file, before);
    old.prepare("INSERT INTO models (id, sha256, filename, file_size, format, autov2, primary_type, base_model, confidence) VALUES (1, ?, 'a.safetensors', 1, 'safetensors', 'A', 'lora', 'pony', 1)").run('a'.repeat(64));
    const evidence = old.prepare('INSERT INTO model_evidence (model_id, seq, method, observed, type, base, weight, rule) VALUES (1, ?, ?, ?, ?, ?, 1, ?)');
    evidence.run(0, 'manual', 'Override in the manifests (loras.yaml:3)', null, 'pony', 'loras.yaml:3');
    evidence.run(1, 'manual', 'set by hand', 'lora', null, 'note');
    evidence.run(2, 'filename', 'Override in the manifests of a name', null, 'sdxl', 'token-xl');
    old.close();
    const db = openDatabase(file, INVENTORY_MIGRATIONS);
    expect(db.prepare('SELECT seq, rule FROM model_evidence ORDER BY seq').all()).toEqual([
      { seq: 0, rule: 'override:loras.yaml:3' },
      { seq: 1, rule: 'note' },
      { seq: 2, rule: 'token-xl' },
    ]);
    db.close();
  });
});
