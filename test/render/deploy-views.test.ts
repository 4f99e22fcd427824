/** The human views of plan, apply and status, pinned over hand-made plans and one the planner made. */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderApplyResult } from '../../cmd/render/apply.js';
import { renderPlan, renderPlanSaved, renderSummary } from '../../cmd/render/plan.js';
import { renderStatus } from '../../cmd/render/status.js';
import { planReconcile } from '../../reconcile/plan.js';
import type { Change, Conflict, Plan, PlanTarget } from '../../reconcile/plan-types.js';
import type { TargetStatus } from '../../reconcile/status.js';
import { actual, desired, link, planInput, recorded } from '../reconcile/builders.js';
import { HOSTILE, hash, plain, storeFile, tmp } from './builders.js';

const ROOT = tmp('comfy');

function planTarget(over: Partial<PlanTarget> = {}): PlanTarget {
  return { name: 'comfy', displayName: 'ComfyUI', root: ROOT, enabled: true, folders: ['loras', 'checkpoints'], declared: 4, inSync: 1, inSyncPaths: ['loras/keep.safetensors'], ...over };
}

const absent = { kind: 'absent' } as const;
const model = (label: string): { hash: string; name: string } => ({ hash: hash(label), name: `${label}.safetensors` });
const at = (rel: string): { target: string; path: string; relPath: string } => ({ target: 'comfy', path: `${ROOT}/${rel}`, relPath: rel });

const changes: Change[] = [
  { action: 'create', reason: 'declared', ...at('loras/a.safetensors'), model: model('a'), linkTarget: storeFile('a', 'a.safetensors'), deployment: 'loras', expect: absent },
  { action: 'create', reason: 'missing', ...at('checkpoints/c.safetensors'), model: model('c'), linkTarget: storeFile('c', 'c.safetensors'), deployment: 'all', expect: absent },
  { action: 'replace', reason: 'model-changed', ...at('loras/b.safetensors'), model: model('b'), linkTarget: storeFile('b', 'b.safetensors'), deployment: 'loras', previous: { hash: hash('o'), linkTarget: storeFile('o', 'b.safetensors') }, expect: absent },
  { action: 'adopt', reason: 'duplicate-file', how: 'replace-file', ...at('checkpoints/d.safetensors'), model: model('d'), linkTarget: storeFile('d', 'd.safetensors'), deployment: 'all', expect: absent },
  { action: 'forget', reason: 'changed-by-user', ...at('checkpoints/e.safetensors'), model: model('e'), expect: absent },
];
const conflicts: Conflict[] = [
  { ...at('loras/x.safetensors'), reason: 'foreign-file', model: model('x'), found: 'file, 1.2 GB' },
  {
    ...at(`loras/${HOSTILE}`),
    reason: 'name-clash',
    claims: [
      { target: 'comfy', hash: hash('p'), name: 'same.safetensors', deployments: ['loras'] },
      { target: 'comfy', hash: hash('q'), name: 'same.safetensors', deployments: ['all'] },
    ],
  },
];

/** A plan of the given parts, its summary counted from them. */
function planOf(over: Partial<Omit<Plan, 'summary'>> = {}): Plan {
  const p = { formatVersion: 1 as const, fingerprint: 'f', options: { target: null, adopt: false }, targets: [planTarget()], changes: [], conflicts: [], dirs: [], overrides: [], files: [], emptyTargets: [], unsafe: [], ejected: [], ...over };
  const count = (action: Change['action']): number => p.changes.filter((c) => c.action === action).length;
  const inSync = p.targets.reduce((n, t) => n + t.inSync, 0);
  return { ...p, summary: { create: count('create'), replace: count('replace'), delete: count('delete'), adopt: count('adopt'), forget: count('forget'), conflict: p.conflicts.length, inSync, dirs: p.dirs.length, overrides: p.overrides.length, files: p.files.length } };
}

describe('plan view', () => {
  it('shows the legend, the changes by target, conflicts with a fix, overrides, warnings, folders and the summary', () => {
    const plan = planOf({
      changes,
      conflicts,
      overrides: [
        { action: 'record', model: model('a'), set: { base: 'flux', tags: ['favourite', 'style'] }, labels: ['fix.yaml:3'] },
        { action: 'remove', model: model('b'), labels: [] },
      ],
      unsafe: [{ ...at('checkpoints/c.safetensors'), model: model('c') }],
      dirs: [{ target: 'comfy', path: `${ROOT}/loras/old` }],
    });
    expect(renderPlan(plan, plain)).toMatchInlineSnapshot(`
      "ModelHub will perform the following actions:

        + link   ~ relink   = adopt what is there   x forget the record (disk untouched)   ! conflict (never touched)

      comfy (ComfyUI)  <tmp>/comfy
        + loras/a.safetensors  → a.safetensors 610000000000
        ~ loras/b.safetensors  → b.safetensors 620000000000  (model-changed; was <tmp>/hub/models/6f00000000000000000000000000000000000000000000000000000000000000/b.safetensors)
        + checkpoints/c.safetensors  → c.safetensors 630000000000  (missing: deleted by hand?)
        = checkpoints/d.safetensors  → d.safetensors 640000000000  (duplicate-file: identical file becomes a link)
        x checkpoints/e.safetensors  (changed by hand: left as it is, no longer tracked)
        ! loras/x.safetensors  foreign-file: file, 1.2 GB
        ! loras/evil\\e[2Jname.safetensors  name-clash
            settle it with an Override that renames one of them, e.g.:
              kind: Override
              match: { hash: 710000000000 }
              set: { name: same-71000000.safetensors }

      inventory overrides
        ~ a.safetensors 610000000000: base flux, tags favourite,style (fix.yaml:3)
        - b.safetensors 620000000000: override removed: classifier answer restored

      Warning: 1 declared link deploys a model flagged unsafe (its pickle refers to code outside what torch uses; loading it can run that code):
        comfy: checkpoints/c.safetensors (630000000000)

      1 folder ModelHub created will be removed if empty.

      Plan: 2 to link, 1 to relink, 0 to remove, 1 to adopt, 1 record to forget, 2 overrides to record, 2 conflicts."
    `);
  });

  it('diffs a folder where a link moves, with the links in sync as context (made by the planner)', () => {
    const keep = desired('loras/keep.safetensors', 'keep.safetensors');
    const moved = desired('loras/sdxl/a.safetensors', 'a.safetensors');
    const old = recorded('/apps/comfy/loras/a.safetensors', 'a.safetensors', { deployment: 'old' });
    const plan = planReconcile(
      planInput({
        desired: [keep, moved],
        recorded: [recorded(keep.path, 'keep.safetensors'), old],
        actual: actual({ [keep.path]: link(keep.linkTarget), [old.path]: link(old.linkTarget) }),
        deployments: [{ name: 'all', enabled: true }, { name: 'old', enabled: true }],
      }),
    );
    expect(renderPlan(plan, plain)).toMatchInlineSnapshot(`
      "ModelHub will perform the following actions:

        + link   - remove

      comfy  /apps/comfy
        loras/
          --- now
          +++ planned
          @@ -1,2 +1,2 @@
          -a.safetensors
           keep.safetensors
          +sdxl/a.safetensors

      Plan: 1 to link, 0 to relink, 1 to remove, 0 conflicts."
    `);
  });

  it('shows companion files on their model link\'s line, alone when their model link needs nothing, the ones left out, and counts them apart', () => {
    const beside = (rel: string, label: string, of: string): Change => ({ action: 'create', reason: 'declared', ...at(rel), model: model(label), linkTarget: storeFile(label, rel.split('/').pop() ?? ''), deployment: 'loras', expect: absent, companionOf: `${ROOT}/${of}` });
    const withCompanions: Change[] = [
      changes[0] as Change,
      beside('loras/a.civitai.info', 'a', 'loras/a.safetensors'),
      beside('loras/a.preview.png', 'a', 'loras/a.safetensors'),
      beside('loras/keep.preview.png', 'keep', 'loras/keep.safetensors'),
      { action: 'delete', reason: 'not-declared', recorded: true, ...at('checkpoints/gone.json'), model: model('gone'), expect: absent, companionOf: `${ROOT}/checkpoints/gone.safetensors` },
    ];
    const notes = Array.from({ length: 11 }, (_, i) => ({ ...at(`loras/m${i}.preview.png`), model: model(`m${i}`), companionOf: `${ROOT}/loras/m${i}.safetensors`, found: 'foreign-file: file, 12 KB; left alone' }));
    const plan = { ...planOf({ changes: withCompanions, companionNotes: notes }), summary: { ...planOf().summary, create: 1, companions: { link: 3, remove: 1 } } };
    expect(renderPlan(plan, plain)).toMatchInlineSnapshot(`
      "ModelHub will perform the following actions:

        + link   - remove

      comfy (ComfyUI)  <tmp>/comfy
        + loras/a.safetensors  → a.safetensors 610000000000  + 2 companion files: a.civitai.info, a.preview.png
        + loras/keep.preview.png  → keep.safetensors 6b6565700000  (companion file)
        - checkpoints/gone.json  (not-declared; gone.safetensors)  (companion file)

      11 companion files not linked (never replaced; the model's link is planned as usual):
        comfy: loras/m0.preview.png  foreign-file: file, 12 KB; left alone
        comfy: loras/m1.preview.png  foreign-file: file, 12 KB; left alone
        comfy: loras/m2.preview.png  foreign-file: file, 12 KB; left alone
        comfy: loras/m3.preview.png  foreign-file: file, 12 KB; left alone
        comfy: loras/m4.preview.png  foreign-file: file, 12 KB; left alone
        comfy: loras/m5.preview.png  foreign-file: file, 12 KB; left alone
        comfy: loras/m6.preview.png  foreign-file: file, 12 KB; left alone
        comfy: loras/m7.preview.png  foreign-file: file, 12 KB; left alone
        comfy: loras/m8.preview.png  foreign-file: file, 12 KB; left alone
        comfy: loras/m9.preview.png  foreign-file: file, 12 KB; left alone
        … and 1 more (\`modelhub plan --json\` lists them all)

      Plan: 1 to link, 0 to relink, 0 to remove, 3 companion files to link, 1 companion file to unlink, 0 conflicts."
    `);
  });

  it('warns before emptying a target, and says "No changes." when there are none', () => {
    const deletes: Change[] = ['a', 'b'].map((l) => ({ action: 'delete', reason: 'not-declared', ...at(`loras/${l}.safetensors`), model: model(l), recorded: true, expect: absent }));
    expect(renderPlan(planOf({ changes: deletes, emptyTargets: ['comfy'] }), plain)).toMatchInlineSnapshot(`
      "ModelHub will perform the following actions:

        - remove

      comfy (ComfyUI)  <tmp>/comfy
        - loras/a.safetensors  (not-declared; a.safetensors)
        - loras/b.safetensors  (not-declared; b.safetensors)

      Warning: nothing is declared for target comfy any more; all 2 of its links would be removed. apply refuses this without --allow-empty.

      Plan: 0 to link, 0 to relink, 2 to remove, 0 conflicts."
    `);
    expect(renderPlan(planOf({ targets: [planTarget({ enabled: null, root: '' })] }), plain)).toMatchInlineSnapshot(`"No changes. Target folders match the manifests (1 link in sync)."`);
    expect(renderSummary(planOf({ targets: [planTarget({ inSync: 1 })] }), plain)).toMatchInlineSnapshot(`"No changes. Target folders match the manifests (1 link in sync)."`);
  });

  it('colours only in the renderer: the summary in bold, conflicts in red', () => {
    const sgr = (s: string): string => s.replace(/\x1b\[(\d+)m/g, '<$1>');
    expect(sgr(renderSummary(planOf({ changes: changes.slice(0, 1), conflicts }), new Chalk({ level: 1 })))).toMatchInlineSnapshot(`"<1>Plan:<22> 1 to link, 0 to relink, 0 to remove, <31>2 conflicts<39>."`);
  });

  it('says where a saved plan went', () => {
    expect(renderPlanSaved('p.json')).toMatchInlineSnapshot(`"Saved the plan to p.json. To perform exactly these actions, run: modelhub apply p.json"`);
    expect(renderPlanSaved('-')).toMatchInlineSnapshot(`"Saved the plan to stdout. To perform exactly these actions, save it to a file and run: modelhub apply FILE"`);
  });

  it('names the user’s copy beside a link to create, an adoption standing for its declared path, and links held by ejected copies', () => {
    const plan = planOf({
      changes: [
        { action: 'create', reason: 'declared', ...at('loras/a.safetensors'), model: model('a'), linkTarget: storeFile('a', 'a.safetensors'), deployment: 'loras', expect: absent, nearby: { path: `${ROOT}/loras/flux/a.safetensors`, relPath: 'loras/flux/a.safetensors', kind: 'link', identical: true } },
        { action: 'create', reason: 'declared', ...at('loras/b.safetensors'), model: model('b'), linkTarget: storeFile('b', 'b.safetensors'), deployment: 'loras', expect: absent, nearby: { path: `${ROOT}/loras/old/b.safetensors`, relPath: 'loras/old/b.safetensors', kind: 'file', identical: false } },
        { action: 'adopt', reason: 'nearby-file', how: 'replace-file', ...at('loras/sd/c.safetensors'), model: model('c'), linkTarget: storeFile('c', 'c.safetensors'), deployment: 'loras', expect: absent, declaredPath: `${ROOT}/loras/c.safetensors`, declaredRelPath: 'loras/c.safetensors' },
        { action: 'forget', reason: 'ejected', ...at('loras/e.safetensors'), model: model('e'), expect: absent },
      ],
      ejected: [
        { ...at('loras/e.safetensors'), declaredRelPath: 'loras/e.safetensors', model: model('e') },
        { ...at(`loras/usb/${HOSTILE}`), declaredRelPath: 'loras/f.safetensors', model: model('f') },
      ],
    });
    expect(renderPlan(plan, plain)).toMatchInlineSnapshot(`
      "ModelHub will perform the following actions:

        + link   = adopt what is there   x forget the record (disk untouched)

      comfy (ComfyUI)  <tmp>/comfy
        + loras/a.safetensors  → a.safetensors 610000000000  (a link to this model exists at loras/flux/a.safetensors; --adopt would take it instead of adding a second entry)
        + loras/b.safetensors  → b.safetensors 620000000000  (a file of the same size exists at loras/old/b.safetensors; --adopt would take it if its SHA-256 matches instead of adding a second entry)
        = loras/sd/c.safetensors  → c.safetensors 630000000000  (nearby-file: your identical file becomes a link, standing for loras/c.safetensors)
        x loras/e.safetensors  (ejected: a real copy now, left as it is, no longer tracked)

      Left alone: 2 declared links are held by a real copy \`modelhub eject\` made:
        comfy: loras/e.safetensors
        comfy: loras/usb/evil\\e[2Jname.safetensors (for loras/f.safetensors)

      Plan: 2 to link, 0 to relink, 0 to remove, 1 to adopt, 1 record to forget, 0 conflicts."
    `);
  });
});

describe('apply view', () => {
  it('counts what was done', () => {
    const result = { created: ['a', 'b'], replaced: ['c'], deleted: [], adopted: ['d'], forgotten: ['e'], dirsCreated: [], dirsRemoved: [], filesWritten: [], filesRemoved: [] };
    const plan = planOf({ overrides: [{ action: 'record', model: model('a'), set: { base: 'flux' }, labels: [] }] });
    expect(renderApplyResult(result, plan, plain)).toMatchInlineSnapshot(`"Apply complete! 2 linked, 1 relinked, 0 removed, 1 adopted, 1 record forgotten, 1 override recorded."`);
    expect(renderApplyResult({ ...result, adopted: [], forgotten: [] }, planOf(), plain)).toMatchInlineSnapshot(`"Apply complete! 2 linked, 1 relinked, 0 removed."`);
    const companion = (path: string, action: 'create' | 'delete'): Change =>
      action === 'create'
        ? { action, reason: 'declared', ...at(path), model: model('a'), linkTarget: storeFile('a', 'a.preview.png'), deployment: 'loras', expect: absent, companionOf: `${ROOT}/loras/a.safetensors` }
        : { action, reason: 'not-declared', recorded: true, ...at(path), model: model('a'), expect: absent, companionOf: `${ROOT}/loras/a.safetensors` };
    const withCompanions = planOf({ changes: [companion('loras/a.preview.png', 'create'), companion('loras/a.json', 'create'), companion('loras/o.json', 'delete')] });
    const done = { ...result, created: ['a', `${ROOT}/loras/a.preview.png`, `${ROOT}/loras/a.json`], deleted: [`${ROOT}/loras/o.json`], adopted: [], forgotten: [] };
    expect(renderApplyResult(done, withCompanions, plain)).toMatchInlineSnapshot(`"Apply complete! 1 linked, 1 relinked, 0 removed, 2 companion files linked, 1 companion file unlinked."`);
  });
});

function status(name: string, over: Partial<TargetStatus> = {}): TargetStatus {
  return { name, displayName: name, root: tmp(name), enabled: true, declared: 3, inSync: 3, missing: 0, drifted: 0, extra: 0, adoptable: 0, conflicts: 0, broken: [], unselected: [], unmapped: [], notes: [], ...over };
}

describe('status view', () => {
  it('one row per target, then what needs attention, then what plan would do', () => {
    const targets = [
      status('comfy', { inSync: 1, missing: 1, drifted: 1, conflicts: 1, broken: [tmp('comfy/loras/gone.safetensors')], unselected: [{ hash: hash('u'), name: HOSTILE, type: 'lora' }], unmapped: [{ hash: hash('w'), name: 'wan.safetensors', type: 'unet', reason: 'mappings.unet takes base flux; this is wan' }], notes: [{ level: 'warning', folder: 'models/VAE', message: '2 links named ae.safetensors in models/VAE: Forge lists one file per file name there', paths: ['models/VAE/a/ae.safetensors', 'models/VAE/b/ae.safetensors'] }, { level: 'note', folder: 'diffusion_models', message: '1 .gguf link in diffusion_models: ComfyUI lists them only with the ComfyUI-GGUF custom node', paths: ['diffusion_models/x.gguf'] }] }),
      status('forge', { enabled: false, declared: 0, inSync: 0 }),
      status('old', { enabled: null, declared: 0, inSync: 0, extra: 2 }),
    ];
    const plan = planOf({ changes: changes.slice(0, 2), conflicts: conflicts.slice(0, 1) });
    expect(renderStatus(targets, plan, plain)).toMatchInlineSnapshot(`
      "TARGET  STATE     DECLARED  IN SYNC  MISSING  DRIFTED  EXTRA  CONFLICTS  BROKEN  UNSELECTED
      comfy   enabled          3        1        1        1      0          1       1           1
      forge   disabled         0        0        0        0      0          0       0           0
      old     removed          0        0        0        0      2          0       0           0

      comfy  <tmp>/comfy
        ! loras/x.safetensors  foreign-file: file, 1.2 GB
        broken link <tmp>/comfy/loras/gone.safetensors
        not selected by any deployment: evil\\e[2Jname.safetensors (lora)
        selected, but lands nowhere: wan.safetensors (unet): mappings.unet takes base flux; this is wan
        warning 2 links named ae.safetensors in models/VAE: Forge lists one file per file name there
          models/VAE/a/ae.safetensors
          models/VAE/b/ae.safetensors
        note 1 .gguf link in diffusion_models: ComfyUI lists them only with the ComfyUI-GGUF custom node
          diffusion_models/x.gguf

      Run modelhub plan to see the 2 pending changes and 1 conflict."
    `);
  });

  it('says so when everything is in sync, and when there are no targets', () => {
    expect(renderStatus([status('comfy')], planOf(), plain)).toMatchInlineSnapshot(`
      "TARGET  STATE    DECLARED  IN SYNC  MISSING  DRIFTED  EXTRA  CONFLICTS  BROKEN  UNSELECTED
      comfy   enabled         3        3        0        0      0          0       0           0

      In sync with the manifests."
    `);
    expect(renderStatus([], planOf(), plain)).toMatchInlineSnapshot(`"No targets. Add a Target document to the manifests (\`modelhub init\` copies the defaults)."`);
  });
});
