/**
 * Lifecycle scenarios on real temp folders, CLI in-process: first apply, re-apply, changing
 * and removing declarations, hand-deleted links, the empty-state guard, overrides, status, init.
 */
import { readdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLinkOrNull } from '../helpers/tree.js';
import { addModel, execSql, query, writeManifest } from '../helpers/world.js';
import { APPLY, IN_SYNC, comfyTarget, expectAbsent, expectAllLinked, expectLink, recordedLinks, runScenario, type Scenario } from './runner.js';

const SCENARIOS: Scenario[] = [
  {
    name: 'first apply links every declared model and mirrors the targets',
    steps: [
      { run: ['plan', '--detailed-exitcode'], exit: 2, stdout: ['+ loras/a.safetensors  → a.safetensors', 'Plan: 3 to link, 0 to relink, 0 to remove, 0 conflicts.'] },
      { run: APPLY, stdout: ['Apply complete! 3 linked, 0 relinked, 0 removed.'], check: expectAllLinked },
      {
        check: (c) => {
          expect(query(c.w, 'SELECT name, display_name, enabled FROM deploy_targets')).toEqual([{ name: 'comfy', display_name: 'comfy', enabled: 1 }]);
          expect(query(c.w, 'SELECT model_type, folder FROM deploy_mappings ORDER BY model_type')).toHaveLength(3);
          expect(recordedLinks(c.w).map((r) => r.deployment)).toEqual(['all', 'all', 'all']);
          expect(query(c.w, 'SELECT path FROM deploy_dirs ORDER BY path').map((r) => (r as { path: string }).path)).toEqual(['checkpoints', 'loras', 'vae'].map((d) => join(c.comfy, d)));
        },
      },
    ],
  },
  {
    name: 'apply twice: the second reports no changes',
    steps: [{ run: APPLY }, { run: APPLY, stdout: ['No changes. Target folders match the manifests (3 links in sync).'] }, IN_SYNC],
  },
  {
    name: 'removing a deployment removes its links and the folders ModelHub made for them',
    setup: (c) => {
      c.h['a.safetensors'] = addModel(c.w, { filename: 'a.safetensors', type: 'lora', base: 'sdxl' });
      c.h['b.safetensors'] = addModel(c.w, { filename: 'b.safetensors', type: 'checkpoint', base: 'sd15' });
      writeManifest(c.w, 'comfy.yaml', comfyTarget(c));
      writeManifest(c.w, 'loras.yaml', 'kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\n');
      writeManifest(c.w, 'ckpt.yaml', 'kind: Deployment\nname: ckpt\ntarget: comfy\nselect: { type: checkpoint }\n');
    },
    steps: [
      { run: APPLY },
      { act: (c) => rmSync(join(c.w.manifests, 'loras.yaml')), run: ['plan'], stdout: ['- loras/a.safetensors  (not-declared; a.safetensors)', 'Plan: 0 to link, 0 to relink, 1 to remove, 0 conflicts.'] },
      { run: APPLY, stdout: ['1 removed'], check: (c) => (expectAbsent(c, 'loras'), expectLink(c, 'checkpoints/b.safetensors', 'b.safetensors')) },
      IN_SYNC,
    ],
  },
  {
    name: 'changing the path template moves the links and prunes emptied folders',
    steps: [
      { run: APPLY },
      {
        act: (c) => writeManifest(c.w, 'deploy.yaml', 'kind: Deployment\nname: all\ntarget: comfy\nselect: {}\npath: "{base}/{name}"\n'),
        run: ['plan'],
        stdout: ['  loras/\n    --- now\n    +++ planned\n    @@ -1,1 +1,1 @@\n    -a.safetensors\n    +sdxl/a.safetensors', 'Plan: 3 to link, 0 to relink, 3 to remove, 0 conflicts.'],
      },
      {
        run: APPLY,
        check: (c) => {
          expectLink(c, 'loras/sdxl/a.safetensors', 'a.safetensors');
          expectLink(c, 'checkpoints/sd15/b.safetensors', 'b.safetensors');
          expectAbsent(c, 'loras/a.safetensors');
        },
      },
      { act: (c) => writeManifest(c.w, 'deploy.yaml', 'kind: Deployment\nname: all\ntarget: comfy\nselect: {}\n'), run: APPLY, check: (c) => (expectAllLinked(c), expectAbsent(c, 'loras/sdxl')) },
      IN_SYNC,
    ],
  },
  {
    name: 'a link deleted by hand is re-created',
    steps: [
      { run: APPLY },
      { act: (c) => unlinkSync(join(c.comfy, 'loras/a.safetensors')), run: ['plan'], stdout: ['+ loras/a.safetensors  → a.safetensors', 'missing: deleted by hand?'] },
      { run: APPLY, check: expectAllLinked },
      IN_SYNC,
    ],
  },
  {
    name: 'an empty desired state (wrong manifests folder) is refused unless --allow-empty',
    steps: [
      { run: APPLY },
      {
        act: (c) => {
          for (const f of readdirSync(c.w.manifests)) renameSync(join(c.w.manifests, f), join(c.w.root, f));
        },
        run: ['plan'],
        stdout: ['- loras/a.safetensors  (target-removed; a.safetensors)', /comfy .*apps\/comfy \(no longer in the manifests\)/, 'Warning: nothing is declared for target comfy any more; all 3 of its links would be removed.'],
      },
      { run: APPLY, exit: 1, stderr: ['nothing is declared for target comfy any more', 'hint: check --manifests'], check: expectAllLinked },
      { run: ['apply', '--yes', '--allow-empty'], stdout: ['3 removed'], check: (c) => expect(readdirSync(c.comfy)).toEqual([]) },
    ],
  },
  {
    name: 'disabling a target removes its links (deliberate, so no --allow-empty needed)',
    steps: [
      { run: APPLY },
      { act: (c) => writeManifest(c.w, 'comfy.yaml', comfyTarget(c, 'enabled: false\n')), run: ['plan'], stdout: ['(target-disabled; a.safetensors)'] },
      { run: APPLY, stdout: ['3 removed'], check: (c) => expect(readdirSync(c.comfy)).toEqual([]) },
      { check: (c) => expect(query(c.w, 'SELECT name, enabled FROM deploy_targets')).toEqual([{ name: 'comfy', enabled: 0 }]) },
    ],
  },
  {
    name: 'an override reclassifies a model, renames its link, and is undone when removed',
    setup: (c) => {
      c.h['mystery.safetensors'] = addModel(c.w, { filename: 'mystery.safetensors', type: 'unknown', base: 'unknown' });
      writeManifest(c.w, 'comfy.yaml', comfyTarget(c));
      writeManifest(c.w, 'deploy.yaml', 'kind: Deployment\nname: fav\ntarget: comfy\nselect: { tag: favourite }\npath: "{base}/{name}"\n');
    },
    steps: [
      { run: ['plan'], stdout: ['No changes.'] },
      {
        act: (c) => writeManifest(c.w, 'fix.yaml', `kind: Override\nname: fix\nmatch: { hash: ${c.h['mystery.safetensors']!.slice(0, 10)} }\nset: { type: lora, base: flux, tags: [favourite], name: nice.safetensors }\n`),
        run: ['plan', '--json'],
        check: (c) => {
          const plan = JSON.parse(c.last.stdout);
          expect(plan.changes).toMatchObject([{ action: 'create', relPath: 'loras/flux/nice.safetensors', model: { name: 'nice.safetensors' } }]);
          expect(plan.overrides).toMatchObject([{ action: 'record', set: { type: 'lora', base: 'flux', name: 'nice.safetensors', tags: ['favourite'] }, labels: ['fix'] }]);
        },
      },
      {
        run: APPLY,
        stdout: ['1 override recorded'],
        check: (c) => {
          expectLink(c, 'loras/flux/nice.safetensors', 'mystery.safetensors');
          expect(query(c.w, 'SELECT primary_type, base_model, confidence FROM models')).toEqual([{ primary_type: 'lora', base_model: 'flux', confidence: 1 }]);
          expect(query(c.w, "SELECT method, type, base, weight, rule FROM model_evidence WHERE method = 'manual'")).toEqual([{ method: 'manual', type: 'lora', base: 'flux', weight: 1, rule: 'override:fix' }]);
          expect(query(c.w, 'SELECT prev_type, prev_base, prev_confidence FROM model_overrides')).toEqual([{ prev_type: 'unknown', prev_base: 'unknown', prev_confidence: 0.9 }]);
        },
      },
      IN_SYNC,
      {
        act: (c) => rmSync(join(c.w.manifests, 'fix.yaml')),
        run: ['apply', '--yes', '--allow-empty'],
        stdout: ['inventory overrides', 'override removed: classifier answer restored', '1 removed'],
        check: (c) => {
          expect(query(c.w, 'SELECT primary_type, base_model, confidence FROM models')).toEqual([{ primary_type: 'unknown', base_model: 'unknown', confidence: 0.9 }]);
          expect(query(c.w, "SELECT COUNT(*) AS n FROM model_evidence WHERE method = 'manual'")).toEqual([{ n: 0 }]);
          expect(query(c.w, 'SELECT COUNT(*) AS n FROM model_overrides')).toEqual([{ n: 0 }]);
        },
      },
    ],
  },
  {
    name: 'a soft-deleted model loses its links',
    steps: [
      { run: APPLY },
      {
        act: (c) => execSql(c.w, 'UPDATE models SET deleted = 1 WHERE filename = ?', 'b.safetensors'),
        run: ['plan'],
        stdout: ['- checkpoints/b.safetensors  (model-deleted; b.safetensors)'],
      },
      { run: APPLY, check: (c) => expectAbsent(c, 'checkpoints') },
    ],
  },
  {
    name: 'relative links, --target, and a missing target root',
    setup: (c) => {
      c.h['a.safetensors'] = addModel(c.w, { filename: 'a.safetensors', type: 'lora', base: 'sdxl' });
      writeManifest(c.w, 'comfy.yaml', comfyTarget(c, 'links: relative\n'));
      writeManifest(c.w, 'other.yaml', `kind: Target\nname: other\nroot: ${c.w.apps}/not-installed\nmappings: { lora: loras }\n`);
      writeManifest(c.w, 'deploy.yaml', 'kind: Deployment\nname: all\ntargets: [comfy, other]\nselect: {}\n');
    },
    steps: [
      { run: ['plan'], exit: 1, stdout: ['! .  root-missing: no such folder'] },
      { run: ['plan', '--target', 'comfx'], exit: 1, stderr: ['no target named "comfx"', 'did you mean "comfy"?'] },
      {
        run: ['apply', '--yes', '--target', 'comfy'],
        check: (c) => expect(readLinkOrNull(join(c.comfy, 'loras/a.safetensors'))).toBe(join('../../../hub/models', c.h['a.safetensors']!, 'a.safetensors')),
      },
      { run: ['plan', '--target', 'comfy', '--detailed-exitcode'], stdout: ['No changes.'] },
    ],
  },
  {
    name: 'status: counts, broken links, and mapped models nobody selects',
    setup: (c) => {
      c.h['a.safetensors'] = addModel(c.w, { filename: 'a.safetensors', type: 'lora', base: 'sdxl' });
      c.h['b.safetensors'] = addModel(c.w, { filename: 'b.safetensors', type: 'checkpoint', base: 'sd15' });
      writeManifest(c.w, 'comfy.yaml', comfyTarget(c));
      writeManifest(c.w, 'deploy.yaml', 'kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\n');
    },
    steps: [
      { run: APPLY },
      { act: (c) => symlinkSync('/nonexistent/old.safetensors', join(c.comfy, 'loras/old.safetensors')), run: ['status'], stdout: [/comfy +enabled +1 +1 +0 +0 +0 +0 +1 +1/, /broken link .*loras\/old\.safetensors/, 'not selected by any deployment: b.safetensors (checkpoint)'] },
      {
        run: ['status', '--json'],
        check: (c) => expect(JSON.parse(c.last.stdout).targets[0]).toMatchObject({ declared: 1, inSync: 1, broken: [join(c.comfy, 'loras/old.safetensors')], unselected: [{ name: 'b.safetensors', type: 'checkpoint' }] }),
      },
    ],
  },
];

describe('lifecycle scenarios (real folders, CLI in-process)', () => {
  for (const s of SCENARIOS) it(s.name, () => runScenario(s));
});

describe('init', () => {
  it('copies the default manifests into an empty manifests folder, never over existing ones', () =>
    runScenario({
      setup: () => undefined,
      name: 'init',
      steps: [
        { run: ['init'], stdout: ['Copied the default manifests to', 'comfyui.yaml, examples.yaml, forge.yaml, image-upscale.yaml, llama-cpp.yaml, lmstudio.yaml, text-generation-webui.yaml, wan.yaml'] },
        { check: (c) => expect(readFileSync(join(c.w.manifests, 'forge.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\/.*\/schemas\/manifest\.schema\.json$/m) },
        { run: ['validate'], stdout: ['Manifests valid: 7 targets, 0 deployments, 0 overrides in 8 files'] },
        { act: (c) => writeFileSync(join(c.w.manifests, 'forge.yaml'), '# mine\n'), run: ['init'], stdout: ['already holds manifests; left as it is'] },
        { check: (c) => expect(readFileSync(join(c.w.manifests, 'forge.yaml'), 'utf8')).toBe('# mine\n') },
        { run: ['plan'], stdout: ['No changes.'] },
      ],
    }));
});
