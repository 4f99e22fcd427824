/**
 * Every JSON Schema ModelHub ships compiles through the one loader (core/ajv.ts
 * schemaValidator), and the inventory schema requires the format the exporter writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaValidator } from '../../core/ajv.js';
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
