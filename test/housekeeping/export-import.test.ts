import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { InventoryDoc } from '../../store/inventory-doc.js';
import type { ImportPlan } from '../../store/import-inventory.js';
import { execSql, hashesByName, makeWorld, mhOk, query, runChecked, writeText, type World } from '../helpers/world.js';
import { writeLora } from './helpers.js';

/** The same world seen through a second hub. */
function otherHub(w: World, name: string): World {
  return { ...w, hub: join(w.root, name) };
}

describe('modelhub export and import', () => {
  it('export → fresh hub → import: merges by hash, adds only what is missing, never invents a model', async () => {
    const w = makeWorld();
    await writeLora(w, 'a.safetensors', { seed: 1 });
    await writeLora(w, 'b.safetensors', { seed: 2 });
    await writeLora(w, 'c.safetensors', { seed: 3 });
    await mhOk(w, ['scan', '-q', '--copy', w.dl]);
    const h = hashesByName(w);
    const [a, b, c] = [h['a.safetensors'], h['b.safetensors'], h['c.safetensors']] as [string, string, string];
    execSql(w, "INSERT INTO model_metadata (model_id, source, key, value) SELECT id, 'civitai', 'modelName', 'Yes, a style' FROM models WHERE sha256 = ?", a);
    await mhOk(w, ['delete', 'c.safetensors']);

    const file = join(w.root, 'inventory.yaml');
    await runChecked(w, ['export', 'inventory.yaml'], { expect: () => ({ added: [file] }) });
    const text = readFileSync(file, 'utf8');
    await runChecked(w, ['export', 'inventory.yaml'], { expect: () => ({ changed: [file] }) }); // rewritten (atomically)…
    expect(readFileSync(file, 'utf8')).toBe(text); // no timestamps: the same bytes again
    const doc = parse(text) as InventoryDoc;
    expect(doc.format).toBe('modelhub-inventory/v1');
    expect(doc.models.map((m) => m.hash)).toEqual([a, b, c].sort());
    const exportedA = doc.models.find((m) => m.hash === a);
    expect(exportedA).toMatchObject({ name: 'a.safetensors', type: 'lora', deleted: false, sources: [{ path: join(w.dl, 'a.safetensors'), state: 'copied' }], deployments: [] });
    expect(exportedA?.metadata.civitai).toEqual({ modelName: 'Yes, a style' });
    expect(doc.models.find((m) => m.hash === c)?.deleted).toBe(true);
    expect(Object.keys(exportedA ?? {})).toEqual(['hash', 'name', 'size', 'format', 'type', 'base', 'variant', 'confidence', 'autov2', 'autov3', 'unsafe', 'deleted', 'metadata', 'sources', 'deployments']);
    await runChecked(w, ['export', 'inventory.json'], { expect: () => ({ added: [join(w.root, 'inventory.json')] }) });
    expect(JSON.parse(readFileSync(join(w.root, 'inventory.json'), 'utf8'))).toEqual(doc);
    const ci = await runChecked(w, ['validate', '--inventory', 'inventory.yaml']); // an export is what validate --inventory reads
    expect(ci.stdout).toContain('Inventory check passed: 0 deployments');

    // A second hub holding a and b (from copies elsewhere), b unclassified; c it does not have.
    const w2 = otherHub(w, 'hub2');
    mkdirSync(join(w.root, 'dl2'), { recursive: true });
    for (const n of ['a.safetensors', 'b.safetensors']) copyFileSync(join(w.dl, n), join(w.root, 'dl2', n));
    await mhOk(w2, ['scan', '-q', '--copy', join(w.root, 'dl2')]);
    execSql(w2, "UPDATE models SET primary_type = 'unknown', base_model = 'unknown' WHERE sha256 = ?", b);

    const dry = await runChecked(w2, ['import', '--dry-run', '--json', 'inventory.yaml']);
    expect(dry.json<ImportPlan>().summary).toEqual({ models: 3, matched: 2, classified: 1, metadata: 1, sources: 2, unknown: 1 });
    expect(query(w2, "SELECT COUNT(*) AS n FROM model_metadata WHERE source = 'civitai'")).toEqual([{ n: 0 }]);

    const imported = await runChecked(w2, ['import', '--json', 'inventory.yaml']);
    const plan = imported.json<ImportPlan>();
    expect(plan.unknown).toEqual([{ hash: c, name: 'c.safetensors', size: expect.any(Number), inStore: false }]);
    expect(query(w2, 'SELECT sha256 FROM models ORDER BY sha256').map((r) => (r as { sha256: string }).sha256)).toEqual([a, b].sort());
    expect(query(w2, "SELECT value FROM model_metadata WHERE source = 'civitai' AND key = 'modelName'")).toEqual([{ value: 'Yes, a style' }]);
    expect(query(w2, 'SELECT primary_type FROM models WHERE sha256 = ?', b)).toEqual([{ primary_type: 'lora' }]);
    expect(query(w2, "SELECT method FROM model_evidence e JOIN models m ON m.id = e.model_id WHERE m.sha256 = ? AND method = 'import'", b)).toHaveLength(1);
    expect(query(w2, 'SELECT path, state FROM model_sources ORDER BY path')).toEqual([
      { path: join(w.dl, 'a.safetensors'), state: 'copied' },
      { path: join(w.dl, 'b.safetensors'), state: 'copied' },
      { path: join(w.root, 'dl2', 'a.safetensors'), state: 'copied' },
      { path: join(w.root, 'dl2', 'b.safetensors'), state: 'copied' },
    ]);

    // Round trip: what hub2 now knows about a and b matches the export it came from.
    await mhOk(w2, ['export', 'inventory2.yaml']);
    const doc2 = parse(readFileSync(join(w.root, 'inventory2.yaml'), 'utf8')) as InventoryDoc;
    for (const hash of [a, b]) {
      const [from, to] = [doc.models.find((m) => m.hash === hash), doc2.models.find((m) => m.hash === hash)];
      expect(to, hash).toMatchObject({ name: from?.name, size: from?.size, type: from?.type, base: from?.base, variant: from?.variant, autov3: from?.autov3, metadata: from?.metadata });
      expect(to?.sources).toEqual(expect.arrayContaining(from?.sources ?? []));
    }

    const human = await runChecked(w2, ['import', 'inventory.json']);
    expect(human.stdout).toContain('3 models in the file, 2 in this inventory. Added 0 classifications, 0 metadata entries, 0 source paths; 1 not in this store.');
    expect(human.stdout).toContain('Not in this store (1; reported, never added):');
  });

  it('an invalid inventory file is reported with file:line:col and changes nothing', async () => {
    const w = makeWorld();
    await mhOk(w, ['init']);
    writeText(join(w.root, 'bad.yaml'), `format: modelhub-inventory/v1\nmodels:\n  - hash: ${'a'.repeat(64)}\n    name: x.safetensors\n    size: -1\n    format: safetensors\n    type: lora\n    base: sdxl\n    colour: red\n`);
    const r = await runChecked(w, ['import', 'bad.yaml'], { exit: 1 });
    expect(r.stderr).toContain('bad.yaml:5:11: models[0].size: must be >= 0');
    expect(r.stderr).toContain('bad.yaml:9:5: models[0]: unknown key "colour"');
  });
});
