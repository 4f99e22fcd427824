/**
 * The human views of init, export, validate (manifests and --inventory) and import, pinned over
 * hand-made data.
 */
import { describe, expect, it } from 'vitest';
import { renderExportSummary } from '../../cmd/render/export.js';
import { renderInit } from '../../cmd/render/init.js';
import { renderImportPlan, renderInventoryCheck } from '../../cmd/render/inventory.js';
import type { InventoryCheck } from '../../reconcile/validate-inventory.js';
import { renderManifestProblems, renderManifestsValid } from '../../cmd/render/validate.js';
import { HOSTILE, hash, plain, tmp } from './builders.js';

describe('init view', () => {
  const hub = { hub: tmp('hub'), inventory: tmp('hub/modelhub.db'), classification: tmp('hub/classification.db'), store: tmp('hub/models') };

  it('lists the hub parts and the copied manifests', () => {
    expect(renderInit({ ...hub, manifests: { dir: tmp('manifests'), copied: ['comfyui.yaml', 'examples.yaml'] } }, plain)).toMatchInlineSnapshot(`
      "Hub ready at <tmp>/hub
        inventory       <tmp>/hub/modelhub.db
        classification  <tmp>/hub/classification.db
        store           <tmp>/hub/models
      Copied the default manifests to <tmp>/manifests: comfyui.yaml, examples.yaml
        Every target is disabled; edit its root, set \`enabled: true\`, add a Deployment, then run \`modelhub plan\`."
    `);
  });

  it('leaves a manifests folder that holds manifests as it is', () => {
    expect(renderInit({ ...hub, manifests: { dir: tmp('manifests'), copied: [] } }, plain)).toMatchInlineSnapshot(`
      "Hub ready at <tmp>/hub
        inventory       <tmp>/hub/modelhub.db
        classification  <tmp>/hub/classification.db
        store           <tmp>/hub/models
      Manifests folder <tmp>/manifests already holds manifests; left as it is."
    `);
  });
});

describe('export view', () => {
  it('counts models and soft-deleted ones, and names the file and format', () => {
    expect(renderExportSummary({ to: tmp('inventory.yaml'), format: 'yaml', models: 3, deleted: 1 }, plain)).toMatchInlineSnapshot(`"Exported 3 models (1 soft-deleted) to <tmp>/inventory.yaml (YAML)."`);
    expect(renderExportSummary({ to: 'stdout', format: 'json', models: 1, deleted: 0 }, plain)).toMatchInlineSnapshot(`"Exported 1 model to stdout (JSON)."`);
  });
});

describe('validate view', () => {
  it('counts the documents of valid manifests', () => {
    expect(renderManifestsValid({ files: 3, targets: 2, deployments: 1, overrides: 0 }, tmp('manifests'), plain)).toMatchInlineSnapshot(`"Manifests valid: 2 targets, 1 deployment, 0 overrides in 3 files (<tmp>/manifests)."`);
  });

  it('lists every problem by file and line, then the count; escapes what the files hold', () => {
    const problems = [
      { file: 'b.yaml', line: 4, col: 3, message: 'unknown key "mapings" (did you mean "mappings"?)' },
      { file: 'a.yaml', line: 9, col: 1, message: `set.name: "${HOSTILE}" is not a valid link name` },
      { file: 'a.yaml', line: 2, col: 7, message: 'kind: must be one of Target, Deployment, Override' },
    ];
    expect(renderManifestProblems(problems, plain)).toMatchInlineSnapshot(`
      "b.yaml:4:3: unknown key "mapings" (did you mean "mappings"?)
      a.yaml:2:7: kind: must be one of Target, Deployment, Override
      a.yaml:9:1: set.name: "evil\\e[2Jname.safetensors" is not a valid link name
      3 problems in 2 file(s)."
    `);
  });

  it('reports the --inventory check: passed, or every empty deployment and collision', () => {
    const ok: InventoryCheck = { models: 12, deployments: [{ name: 'loras', file: 'd.yaml', line: 1, targets: ['comfy'], selected: 4 }], skipped: [{ name: 'old', why: 'disabled' }], empty: [], collisions: [] };
    expect(renderInventoryCheck(ok, plain, 'inv.yaml')).toMatchInlineSnapshot(`
      {
        "err": "",
        "out": "Inventory check passed: 1 deployment each select at least one of 12 models, no link path collides (1 skipped: old, disabled).",
      }
    `);
    const bad: InventoryCheck = { ...ok, empty: [{ name: 'flux', file: 'd.yaml', line: 7, targets: ['comfy', 'forge'], selected: 0 }], collisions: ['comfy: loras/x.safetensors claimed by aaa and bbb'] };
    expect(renderInventoryCheck(bad, plain, 'inv.yaml')).toMatchInlineSnapshot(`
      {
        "err": "d.yaml:7:1: deployment "flux" selects no model of the inventory inv.yaml (12 live models; targets comfy, forge)
      link path collision: comfy: loras/x.safetensors claimed by aaa and bbb
      Inventory check failed: 1 deployment selecting nothing, 1 link path collision (1 skipped: old, disabled).",
        "out": "",
      }
    `);
  });
});

describe('import view', () => {
  it('shows what each model gains, what is skipped, and what this store lacks', () => {
    const plan = {
      matched: 2,
      merges: [
        {
          hash: hash('a'),
          name: 'style.safetensors',
          classification: { type: 'lora', base: 'flux', variant: 'lora', confidence: 0.9 },
          metadata: [{ source: 'civitai', key: 'modelName', value: 'Style' }],
          sources: [{ path: tmp('dl/style.safetensors'), state: 'linked' as const }],
          skippedSources: [{ path: '/other-machine/style.safetensors', state: 'moved', why: 'moved paths are history of the machine that exported them' }],
        },
        { hash: hash('b'), name: HOSTILE, classification: null, metadata: [], sources: [], skippedSources: [] },
      ],
      unknown: [
        { hash: hash('c'), name: 'gone.safetensors', size: 2_000_000, inStore: false },
        { hash: hash('d'), name: 'orphan.safetensors', size: 3_000_000, inStore: true },
      ],
      summary: { models: 4, matched: 2, classified: 1, metadata: 1, sources: 1, unknown: 2 },
    };
    expect(renderImportPlan(plan, plain, { dryRun: true, modelsDir: tmp('hub/models') })).toMatchInlineSnapshot(`
      "610000000000  style.safetensors  + classification lora/flux, 1 metadata entry, 1 source path
          + <tmp>/dl/style.safetensors  linked
          skipped /other-machine/style.safetensors (moved): moved paths are history of the machine that exported them
      620000000000  evil\\e[2Jname.safetensors

      Not in this store (2; reported, never added):
        630000000000  gone.safetensors  2.0 MB  scan a copy of it to add it
        640000000000  orphan.safetensors  3.0 MB  its store folder is here without a record: \`modelhub scan <tmp>/hub/models/6400000000000000000000000000000000000000000000000000000000000000\` registers it

      4 models in the file, 2 in this inventory. Would add 1 classification, 1 metadata entry, 1 source path; 2 not in this store.
      Dry run: nothing was changed."
    `);
  });
});
