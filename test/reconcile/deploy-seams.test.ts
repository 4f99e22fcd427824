/**
 * The seams between the deployment commands and the domain (issue 10): one way to load the
 * manifests with their options, a plan that carries what its views show, reasons that never
 * steer apply, a pure status, and observation through the fs interface.
 */
import { lstatSync, mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../cmd/render/plan.js';
import { realFs, recordingFs } from '../../reconcile/fs.js';
import { readRecordedLinks, sqliteLedger, type Ledger } from '../../reconcile/ledger.js';
import { comparePlans } from '../../reconcile/plan-compare.js';
import { planReconcile } from '../../reconcile/plan.js';
import type { Plan } from '../../reconcile/plan-types.js';
import { executeLinkPrune, gatherLinkPrune, planLinkPrune } from '../../reconcile/prune.js';
import { computeStatus } from '../../reconcile/status.js';
import { openHub } from '../../store/hub.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { actual, desired, hash, link, manifests, planInput, recorded, target } from './builders.js';

describe('one way to load manifests with their options', () => {
  it('validate accepts a base that a rule file in the config declares, as plan does', async () => {
    const root = tempDir();
    const manifests = join(root, 'manifests');
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'o.yaml'), 'kind: Override\nmatch: { name: "model*" }\nset: { base: kandinsky5 }\n');
    const refused = await cli(['--hub', join(root, 'hub'), '--manifests', manifests, 'validate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('o.yaml:3:14: set.base: unknown base "kandinsky5"');
    writeFileSync(join(root, 'k.yaml'), 'version: 1\nbases:\n  - { id: kandinsky5, description: Kandinsky 5 }\n');
    writeFileSync(join(root, 'config.yaml'), 'rules: [k.yaml]\n');
    const ok = await cli(['--config', join(root, 'config.yaml'), '--hub', join(root, 'hub'), '--manifests', manifests, 'validate']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Manifests valid: 0 targets, 0 deployments, 1 override in 1 file');
  });
});

describe('the plan carries what its human view shows', () => {
  /** A folder where one link moves (delete + create) beside a link in sync. */
  function movingPlan(): Plan {
    const keep = desired('loras/keep.safetensors', 'keep.safetensors');
    const moved = desired('loras/sdxl/a.safetensors', 'a.safetensors');
    const old = recorded('/apps/comfy/loras/a.safetensors', 'a.safetensors', { hash: hash('a.safetensors'), deployment: 'old' });
    return planReconcile(
      planInput({
        desired: [keep, moved],
        recorded: [recorded(keep.path, 'keep.safetensors'), old],
        actual: actual({ [keep.path]: link(keep.linkTarget), [old.path]: link(old.linkTarget) }),
        deployments: [{ name: 'all', enabled: true }, { name: 'old', enabled: true }],
      }),
    );
  }

  it('lists the in-sync paths per target in the plan', () => {
    const plan = movingPlan();
    expect(plan.targets[0]).toMatchObject({ name: 'comfy', inSync: 1, inSyncPaths: ['loras/keep.safetensors'] });
    expect(plan.summary.inSync).toBe(1);
  });

  it('renders the folder diff, in-sync links as context, from the plan alone', () => {
    const text = renderPlan(movingPlan(), new Chalk({ level: 0 }));
    expect(text).toContain('  loras/\n    --- now\n    +++ planned\n    @@ -1,2 +1,2 @@\n    -a.safetensors\n     keep.safetensors\n    +sdxl/a.safetensors');
  });

  it('in-sync paths are not actions: a saved plan differing only in them compares equal', () => {
    const plan = movingPlan();
    const edited: Plan = { ...plan, targets: plan.targets.map((t) => ({ ...t, inSyncPaths: [...t.inSyncPaths, 'loras/other.safetensors'] })) };
    expect(comparePlans(edited, plan)).toEqual({ onlySaved: [], onlyFresh: [] });
  });
});

describe('status is computed, not observed', () => {
  it('computeStatus is pure: broken links come from the gather step, never from walking folders', () => {
    const input = planInput({ targets: [target('comfy', { root: '/nonexistent-modelhub/comfy' })] });
    const plan = planReconcile(input);
    const gathered = { ...input, manifests: manifests({ targets: input.targets }), models: [] };
    const broken = new Map([['comfy', ['/nonexistent-modelhub/comfy/loras/gone.safetensors']]]);
    expect(computeStatus({ plan, gathered, broken })[0]).toMatchObject({ name: 'comfy', broken: ['/nonexistent-modelhub/comfy/loras/gone.safetensors'] });
  });
});

describe('prune removes deployment links through the Ledger', () => {
  it('removes an owned broken link through the fs interface and forgets it through the Ledger; a changed one is skipped', async () => {
    const root = tempDir();
    const hub = openHub(join(root, 'hub'));
    try {
      const folder = join(root, 'app', 'loras');
      mkdirSync(folder, { recursive: true });
      const gone = join(folder, 'gone.safetensors');
      const changed = join(folder, 'changed.safetensors');
      const text = join(hub.layout.modelsDir, 'a'.repeat(64), 'gone.safetensors');
      symlinkSync(text, gone);
      symlinkSync(text, changed);
      const ledger = sqliteLedger(hub.db);
      for (const path of [gone, changed]) ledger.recordLink({ target: 't', path, linkTarget: text, hash: 'a'.repeat(64), deployment: 'd', ...inodeOf(path) });
      ledger.flush();
      const plan = planLinkPrune(gatherLinkPrune(hub));
      expect(plan.links.map((l) => l.path)).toEqual([changed, gone]);
      unlinkSync(changed);
      symlinkSync('/elsewhere', changed);
      const forgotten: string[] = [];
      const watched: Ledger = { ...ledger, forgetLink: (p) => (forgotten.push(p), ledger.forgetLink(p)) };
      const fs = recordingFs(realFs());
      const result = await executeLinkPrune(plan, { fs, ledger: watched });
      expect(result).toEqual({ removedLinks: [gone], skipped: [{ path: changed, why: 'changed since the plan was shown' }] });
      expect(fs.ops).toEqual([{ op: 'unlink', path: gone }]);
      expect(forgotten).toEqual([gone]);
      expect(readRecordedLinks(hub.db).map((l) => l.path)).toEqual([changed]);
    } finally {
      hub.close();
    }
  });
});

function inodeOf(path: string): { dev: number; ino: number } {
  const st = lstatSync(path);
  return { dev: st.dev, ino: st.ino };
}
