/**
 * Every JSON Schema ModelHub ships compiles through the one loader (core/ajv.ts
 * schemaValidator), and the inventory schema requires the format the exporter writes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSchemaNow, currentSchemaStamp, precompiledValidator, SCHEMAS, schemaValidator, writePrecompiledSchemas } from '../../core/ajv.js';
import { packageRoot } from '../../core/paths.js';
import { INVENTORY_FORMAT } from '../../store/inventory-doc.js';

const dir = join(packageRoot(), 'schemas');
/** Schemas that others include by `$id`; they are compiled as part of the one naming them. */
const references: Record<string, string[]> = { manifest: ['target', 'deployment', 'override'] };
const included = new Set(Object.values(references).flat());
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => f.replace(/\.schema\.json$/, ''))
  .filter((n) => !included.has(n));

describe('schemas/', () => {
  it('are all checked here', () => {
    expect(names.sort()).toEqual(['config', 'inventory', 'manifest', 'rules']);
  });

  it.each(names)('%s compiles once per process', (name) => {
    const first = schemaValidator(name, { with: references[name] ?? [] });
    expect(schemaValidator(name)).toBe(first);
  });

  it('inventory requires the format the exporter writes', () => {
    const schema = JSON.parse(readFileSync(join(dir, 'inventory.schema.json'), 'utf8')) as { properties: { format: { const: string } } };
    expect(schema.properties.format.const).toBe(INVENTORY_FORMAT);
  });
});

describe('generated validators (npm run build writes dist/schemas/*.cjs)', () => {
  const out = mkdtempSync(join(tmpdir(), 'modelhub-schemas-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const written = writePrecompiledSchemas(out);

  const bad: Record<string, unknown[]> = {
    manifest: [{ kind: 'Target', name: 3, root: '/x', mappings: { lora: 5 }, extra: 1 }, { kind: 'Nope' }, { kind: 'Deployment', name: 'd', select: { type: 'lora', bse: 'sdxl' } }],
    config: [{ page_size: 'many', hub: 1, colour: true }],
    inventory: [{}, { format: 'other', models: [{ sha256: 'short' }] }],
    rules: [{}, { version: 'one', rules: [{ id: 1 }] }],
  };

  it('exist for every schema', () => {
    expect(written.map((f) => f.slice(out.length + 1)).sort()).toEqual(Object.keys(SCHEMAS).map((n) => `${n}.cjs`).sort());
  });

  it.each(Object.keys(SCHEMAS))('%s: the generated code reports exactly what compiling the schema reports', (name) => {
    const generated = precompiledValidator(name, currentSchemaStamp(name), out);
    expect(generated).toBeTypeOf('function');
    const compiled = compileSchemaNow(name);
    for (const doc of bad[name] ?? []) {
      expect(generated?.(doc)).toBe(false);
      expect(compiled(doc)).toBe(false);
      expect(generated?.errors).toEqual(compiled.errors);
    }
  });

  it('are refused when made from other schema texts, or unreadable', () => {
    expect(precompiledValidator('manifest', 'f'.repeat(64), out)).toBeUndefined();
    writeFileSync(join(out, 'config.cjs'), 'this is not javascript (');
    expect(precompiledValidator('config', currentSchemaStamp('config'), out)).toBeUndefined();
    expect(precompiledValidator('rules', currentSchemaStamp('rules'), join(out, 'missing'))).toBeUndefined();
  });
});
