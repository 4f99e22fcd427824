/**
 * The seams between the deployment commands and the domain (issue 10): one way to load the
 * manifests with their options, a plan that carries what its views show, reasons that never
 * steer apply, a pure status, and observation through the fs interface.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../cmd/render/plan.js';
import { loadDeploymentContext } from '../../reconcile/deployment-context.js';
import { readOnlyFs, realFs, recordingFs, type FsReader } from '../../reconcile/fs.js';
import { readRecordedLinks, sqliteLedger, type Ledger } from '../../reconcile/ledger.js';
import { comparePlans } from '../../reconcile/plan-compare.js';
import { planReconcile } from '../../reconcile/plan.js';
import type { Plan } from '../../reconcile/plan-types.js';
import { executeLinkPrune, gatherLinkPrune, planLinkPrune } from '../../reconcile/prune.js';
import { computeStatus, gatherStatus } from '../../reconcile/status.js';
import { openHub } from '../../store/hub.js';
import { insertModel, saveClassification } from '../../store/inventory.js';
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

describe('observation goes through the fs interface', () => {
  /** A hub with one LoRA (real store file, inventory rows) and manifests deploying it into <root>/app/loras. */
  function deployWorld(): { root: string; hubDir: string; manifestsDir: string; storeFile: string; link: string } {
    const root = tempDir();
    const hubDir = join(root, 'hub');
    const hub = openHub(hubDir);
    const content = 'seams lora\n';
    const sha = createHash('sha256').update(content).digest('hex');
    const storeFile = join(hub.layout.modelsDir, sha, 'a.safetensors');
    try {
      mkdirSync(dirname(storeFile));
      writeFileSync(storeFile, content);
      const id = insertModel(hub.db, { sha256: sha, filename: 'a.safetensors', size: content.length, format: 'safetensors', container: null, unsafe: false, headerError: null });
      saveClassification(hub.db, id, { type: 'lora', base: 'sdxl', variant: null, confidence: 0.9, evidence: [] });
    } finally {
      hub.close();
    }
    const manifestsDir = join(root, 'manifests');
    mkdirSync(manifestsDir);
    mkdirSync(join(root, 'app', 'loras'), { recursive: true });
    writeFileSync(join(manifestsDir, 'm.yaml'), `kind: Target\nname: app\nroot: ${join(root, 'app')}\nmappings: { lora: loras }\n---\nkind: Deployment\nname: all\ntarget: app\nselect: {}\n`);
    return { root, hubDir, manifestsDir, storeFile, link: join(root, 'app', 'loras', 'a.safetensors') };
  }

  /** realFs with every read logged as `op path`. */
  function loggingFs(log: string[]): FsReader {
    const inner = realFs();
    return {
      lstat: (p) => (log.push(`lstat ${p}`), inner.lstat(p)),
      stat: (p) => (log.push(`stat ${p}`), inner.stat(p)),
      exists: (p) => (log.push(`exists ${p}`), inner.exists(p)),
      readdir: (p) => (log.push(`readdir ${p}`), inner.readdir(p)),
      readlink: (p) => (log.push(`readlink ${p}`), inner.readlink(p)),
      hashFile: (p) => (log.push(`hashFile ${p}`), inner.hashFile(p)),
    };
  }

  it('plan and status read the target folders and the store only through the fs they are given', async () => {
    const w = deployWorld();
    symlinkSync(join(w.root, 'gone.safetensors'), join(w.root, 'app', 'loras', 'broken.safetensors'));
    const context = await loadDeploymentContext({ hub: w.hubDir, manifests: w.manifestsDir, rules: [] }, { env: {}, cwd: w.root });
    const hub = openHub(w.hubDir, { readonly: true });
    try {
      const log: string[] = [];
      const status = await gatherStatus({ hub, context, target: null, adopt: false, fs: loggingFs(log) });
      expect(status.plan.changes.map((c) => [c.action, c.path])).toEqual([['create', w.link]]);
      expect(status.broken.get('app')).toEqual([join(w.root, 'app', 'loras', 'broken.safetensors')]);
      expect(log).toContain(`readdir ${join(w.root, 'app', 'loras')}`);
      expect(log).toContain(`exists ${w.storeFile}`);
      expect(log).toContain(`stat ${join(w.root, 'app', 'loras', 'broken.safetensors')}`);
    } finally {
      hub.close();
    }
  });

  it('the read-only fs reads like the real one and throws on every write', async () => {
    const w = deployWorld();
    const fs = readOnlyFs();
    expect(fs.readdir(join(w.root, 'app'))).toEqual(new Map([['loras', 'dir']]));
    expect(fs.exists(w.storeFile)).toBe(true);
    const writes: Array<[string, () => Promise<void>]> = [
      ['symlink', () => fs.symlink(w.storeFile, w.link)],
      ['rename', () => fs.rename(w.storeFile, w.link)],
      ['unlink', () => fs.unlink(w.storeFile)],
      ['mkdir', () => fs.mkdir(join(w.root, 'app', 'new'))],
      ['rmdir', () => fs.rmdir(join(w.root, 'app', 'loras'))],
    ];
    for (const [op, write] of writes) await expect(write(), op).rejects.toThrow(`read-only filesystem: ${op}`);
    expect(readdirSync(join(w.root, 'app'))).toEqual(['loras']);
    expect(readdirSync(join(w.root, 'app', 'loras'))).toEqual([]);
    expect(existsSync(w.storeFile)).toBe(true);
  });
});
