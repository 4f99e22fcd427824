/**
 * Each SQLite table has one owning module (DESIGN.md "Layout and layers"): SQL naming a table
 * appears only there. The inventory's model tables belong to store/ as a whole; every other
 * table has named owners. Read from the sources, so SQL written in the wrong place fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { readImportGraph } from './import-graph.js';

/** Table → the modules that may name it in SQL; `store/` means any module of store/. */
const OWNERS: Record<string, string[]> = {
  models: ['store/'],
  model_sources: ['store/'],
  model_metadata: ['store/'],
  model_evidence: ['store/'],
  hash_files: ['store/'],
  model_companions: ['store/companions.ts'],
  model_overrides: ['store/overrides.ts'],
  ejected_files: ['store/ejected.ts'],
  deploy_links: ['reconcile/ledger.ts', 'store/deployments.ts'],
  deploy_dirs: ['reconcile/ledger.ts'],
  deploy_files: ['reconcile/file-ledger.ts'],
  deploy_targets: ['reconcile/ledger.ts', 'store/deployments.ts'],
  deploy_mappings: ['reconcile/ledger.ts', 'store/deployments.ts'],
  scan_cache: ['store/scan-cache.ts'],
  api_cache: ['store/civitai-cache.ts'],
  model_types: ['store/rules-mirror.ts'],
  bases: ['store/rules-mirror.ts'],
  sub_type_rules: ['store/rules-mirror.ts'],
  size_rules: ['store/rules-mirror.ts'],
  architecture_patterns: ['store/rules-mirror.ts'],
  external_apis: ['store/rules-mirror.ts'],
  rules_state: ['store/rules-mirror.ts'],
};

const root = packageRoot();
const SQL_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)\b/g;

describe('table owners', () => {
  const created = [...readFileSync(join(root, 'store', 'migrations.ts'), 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)].map((m) => m[1] as string);

  it('names an owner for every table the migrations create', () => {
    expect([...new Set(created)].sort()).toEqual(Object.keys(OWNERS).sort());
  });

  it('keeps SQL on each table in its owners', () => {
    const wrong: string[] = [];
    for (const module of readImportGraph(root).keys()) {
      if (module === 'store/migrations.ts') continue;
      const text = readFileSync(join(root, module), 'utf8');
      for (const m of text.matchAll(SQL_TABLE)) {
        const owners = OWNERS[m[1] as string];
        if (owners === undefined) continue;
        if (!owners.some((o) => (o.endsWith('/') ? module.startsWith(o) : module === o))) wrong.push(`${module}: ${m[1]}`);
      }
    }
    expect([...new Set(wrong)].sort()).toEqual([]);
  });
});
