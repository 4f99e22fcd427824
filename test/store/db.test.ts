import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openHub } from '../../store/hub.js';
import { insertModel, saveClassification } from '../../store/inventory.js';
import { resolveModelRef } from '../../store/model-ref.js';
import { INVENTORY_MIGRATIONS } from '../../store/migrations.js';
import { tempDir } from '../helpers/tmp.js';

describe('hub databases', () => {
  it('creates both databases with WAL, foreign keys and the latest schema version', () => {
    const hub = openHub(join(tempDir(), 'hub'));
    expect(hub.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(hub.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(hub.db.pragma('user_version', { simple: true })).toBe(INVENTORY_MIGRATIONS.at(-1)?.version);
    const tables = (db: Database.Database): string[] => (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables(hub.db)).toEqual(expect.arrayContaining(['models', 'model_metadata', 'deploy_targets', 'deploy_mappings', 'deploy_links']));
    expect(tables(hub.classificationDb)).toEqual(
      expect.arrayContaining(['model_types', 'sub_type_rules', 'size_rules', 'architecture_patterns', 'external_apis']),
    );
    hub.close();
  });

  it("answers the seed's documented queries", () => {
    const root = join(tempDir(), 'hub');
    const hub = openHub(root);
    const add = (i: number, type: string, deleted = 0): void => {
      const id = insertModel(hub.db, { sha256: String(i).repeat(64).slice(0, 64), filename: `m${i}.safetensors`, size: 10, format: 'safetensors', container: 'safetensors', unsafe: false, headerError: null });
      saveClassification(hub.db, id, { type, base: 'sdxl', variant: null, confidence: 0.9, evidence: [] });
      if (deleted) hub.db.prepare('UPDATE models SET deleted = 1 WHERE id = ?').run(id);
    };
    add(1, 'lora');
    add(2, 'lora');
    add(3, 'checkpoint');
    add(4, 'lora', 1);
    hub.close();
    const db = new Database(join(root, 'modelhub.db'), { readonly: true });
    const rows = db.prepare('SELECT primary_type, COUNT(*) AS n FROM models WHERE deleted = 0 GROUP BY primary_type ORDER BY primary_type').all();
    expect(rows).toEqual([
      { primary_type: 'checkpoint', n: 1 },
      { primary_type: 'lora', n: 2 },
    ]);
    expect(db.prepare('SELECT name, display_name, enabled FROM deploy_targets').all()).toEqual([]);
    db.close();
    let sqlite3: string | undefined;
    try {
      sqlite3 = execFileSync('sqlite3', [join(root, 'modelhub.db'), 'SELECT primary_type, COUNT(*) FROM models WHERE deleted = 0 GROUP BY primary_type'], { encoding: 'utf8' });
    } catch {
      sqlite3 = undefined; // the sqlite3 shell is optional on the test machine
    }
    if (sqlite3 !== undefined) expect(sqlite3.trim().split('\n').sort()).toEqual(['checkpoint|1', 'lora|2']);
  });

  it('refuses a database from a newer ModelHub and one that is not SQLite', () => {
    const root = join(tempDir(), 'hub');
    openHub(root).close();
    const db = new Database(join(root, 'modelhub.db'));
    db.pragma('user_version = 999');
    db.close();
    expect(() => openHub(root)).toThrowError(/schema version 999, newer than this ModelHub understands/);
    const other = join(tempDir(), 'hub2');
    openHub(other).close();
    writeFileSync(join(other, 'classification.db'), 'this is not a database at all, just text padding it out past one page '.repeat(100));
    expect(() => openHub(other)).toThrowError(/classification\.db is not a ModelHub database/);
  });

  it('resolves a model by hash prefix or name and reports ambiguity', () => {
    const hub = openHub(join(tempDir(), 'hub'));
    const mk = (sha: string, name: string): number =>
      insertModel(hub.db, { sha256: sha, filename: name, size: 1, format: 'safetensors', container: null, unsafe: false, headerError: null });
    mk(`abcdef${'0'.repeat(58)}`, 'one.safetensors');
    mk(`abcdef${'1'.repeat(58)}`, 'two.safetensors');
    expect(resolveModelRef(hub.db, 'abcdef1').filename).toBe('two.safetensors');
    expect(resolveModelRef(hub.db, 'ONE.safetensors').filename).toBe('one.safetensors');
    expect(() => resolveModelRef(hub.db, 'abcdef')).toThrowError(/matches 2 models/);
    expect(() => resolveModelRef(hub.db, 'abc')).toThrowError(/no model matches "abc"/);
    hub.close();
  });
});
