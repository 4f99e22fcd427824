/** The views of the files ModelHub writes (ComfyUI's extra_model_paths.yaml): plan, apply, status and the TUI's plan. */
import { describe, expect, it } from 'vitest';
import { renderApplyResult } from '../../cmd/render/apply.js';
import { renderPlan } from '../../cmd/render/plan.js';
import { renderStatus } from '../../cmd/render/status.js';
import type { FileChange } from '../../reconcile/file-types.js';
import type { Plan } from '../../reconcile/plan-types.js';
import type { TargetStatus } from '../../reconcile/status.js';
import { lineText } from '../../tui/text.js';
import { planLines } from '../../tui/text/plan.js';
import { HOSTILE, hash, plain, tmp } from './builders.js';

const FILE = tmp('ComfyUI/modelhub_paths.yaml');
const files: FileChange[] = [
  { action: 'write-file', reason: 'declared', target: 'comfy', path: FILE, purpose: 'comfyui-extra-model-paths', content: 'modelhub:\n', sha256: hash('new'), summary: ['checkpoints', 'loras'], expect: { kind: 'absent' } },
  { action: 'rewrite-file', reason: 'mappings-changed', target: 'comfy2', path: tmp(`b/${HOSTILE}.yaml`), purpose: 'comfyui-extra-model-paths', content: 'modelhub:\n', sha256: hash('b'), summary: ['vae'], expect: { kind: 'file', sha256: hash('old') } },
  { action: 'record-file', reason: 'unrecorded-file', target: 'comfy3', path: tmp('c.yaml'), purpose: 'comfyui-extra-model-paths', content: 'modelhub:\n', sha256: hash('c'), summary: ['loras'], expect: { kind: 'file', sha256: hash('c') } },
  { action: 'remove-file', reason: 'target-disabled', target: 'old', path: tmp('d.yaml'), purpose: 'comfyui-extra-model-paths', sha256: hash('d'), expect: { kind: 'file', sha256: hash('d') } },
  { action: 'forget-file', reason: 'changed-by-user', target: 'old2', path: tmp('e.yaml'), purpose: 'comfyui-extra-model-paths', sha256: hash('e'), expect: { kind: 'absent' } },
];
const summary = { create: 0, replace: 0, delete: 0, adopt: 0, forget: 0, conflict: 1, inSync: 2, dirs: 0, overrides: 0, files: files.length };
const plan: Plan = {
  formatVersion: 1,
  fingerprint: 'f',
  options: { target: null, adopt: false },
  targets: [{ name: 'comfy', displayName: 'ComfyUI', root: tmp('links'), enabled: true, folders: ['loras'], declared: 2, inSync: 2, inSyncPaths: [] }],
  changes: [],
  conflicts: [{ target: 'comfy', path: tmp('x.yaml'), relPath: tmp('x.yaml'), reason: 'config-edited', found: 'edited since ModelHub wrote it' }],
  dirs: [],
  overrides: [],
  files,
  emptyTargets: [],
  unsafe: [],
  summary,
};

describe('file views', () => {
  it('plan lists each file action with its sign, and a hand edit as a conflict', () => {
    expect(renderPlan(plan, plain)).toMatchInlineSnapshot(`
      "ModelHub will perform the following actions:

        ! conflict (never touched)

      comfy (ComfyUI)  <tmp>/links
        ! <tmp>/x.yaml  config-edited: edited since ModelHub wrote it

      files ModelHub writes
        + <tmp>/ComfyUI/modelhub_paths.yaml  (comfy: ComfyUI extra model paths checkpoints, loras; write)
        ~ <tmp>/b/evil\\e[2Jname.safetensors.yaml  (comfy2: ComfyUI extra model paths vae; rewrite: the mappings changed)
        = <tmp>/c.yaml  (comfy3: ComfyUI extra model paths loras; record: already as declared)
        - <tmp>/d.yaml  (old: target-disabled; unchanged since ModelHub wrote it)
        x <tmp>/e.yaml  (old2: edited by hand: left as it is, no longer tracked)

      Plan: 0 to link, 0 to relink, 0 to remove, 5 file changes, 1 conflict."
    `);
  });

  it('the TUI plan shows the same lines', () => {
    expect(planLines(plan).map(lineText)).toMatchInlineSnapshot(`
      [
        "comfy (ComfyUI)  <tmp>/links",
        "  ! <tmp>/x.yaml  config-edited: edited since ModelHub wrote it",
        "",
        "files ModelHub writes",
        "  + <tmp>/ComfyUI/modelhub_paths.yaml  (comfy: ComfyUI extra model paths checkpoints, loras; write)",
        "  ~ <tmp>/b/evil\\e[2Jname.safetensors.yaml  (comfy2: ComfyUI extra model paths vae; rewrite: the mappings changed)",
        "  = <tmp>/c.yaml  (comfy3: ComfyUI extra model paths loras; record: already as declared)",
        "  - <tmp>/d.yaml  (old: target-disabled; unchanged since ModelHub wrote it)",
        "  x <tmp>/e.yaml  (old2: edited by hand: left as it is, no longer tracked)",
        "Plan: 0 to link, 0 to relink, 0 to remove, 5 file changes, 1 conflict.",
      ]
    `);
  });

  it('apply counts files written and removed, and says ComfyUI must restart', () => {
    const result = { created: [], replaced: [], deleted: [], adopted: [], forgotten: [], dirsCreated: [], dirsRemoved: [], filesWritten: [FILE], filesRemoved: [tmp('d.yaml')] };
    expect(renderApplyResult(result, plan, plain)).toMatchInlineSnapshot(`
      "Apply complete! 0 linked, 0 relinked, 0 removed, 1 file written, 1 file removed.
      ComfyUI reads its extra model paths only when it starts: restart it to see the change."
    `);
  });

  it('status reminds that ComfyUI reads the file only when it starts', () => {
    const t: TargetStatus = { name: 'comfy', displayName: 'ComfyUI', root: tmp('links'), enabled: true, declared: 2, inSync: 2, missing: 0, drifted: 0, extra: 0, adoptable: 0, conflicts: 0, broken: [], unselected: [], unmapped: [], notes: [], extraModelPaths: { path: FILE, pending: true } };
    expect(renderStatus([t], { ...plan, conflicts: [], summary: { ...summary, conflict: 0 } }, plain)).toMatchInlineSnapshot(`
      "TARGET  STATE    DECLARED  IN SYNC  MISSING  DRIFTED  EXTRA  CONFLICTS  BROKEN  UNSELECTED
      comfy   enabled         2        2        0        0      0          0       0           0

      comfy  <tmp>/links
        extra model paths <tmp>/ComfyUI/modelhub_paths.yaml: ComfyUI reads it only when it starts (with --extra-model-paths-config <tmp>/ComfyUI/modelhub_paths.yaml); apply will change it; restart ComfyUI after that

      Run modelhub plan to see the 5 pending changes."
    `);
  });
});
