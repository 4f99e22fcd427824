import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconcile/apply.js';
import { applyScope, type ApplyScope } from '../../reconcile/apply-guards.js';
import { realFs, recordingFs } from '../../reconcile/fs.js';
import type { Ledger } from '../../reconcile/ledger.js';
import { planReconcile } from '../../reconcile/plan.js';
import type { Change, Plan, RecordedDir, RecordedLink } from '../../reconcile/plan-types.js';
import { STORE, actual, desired, link, planInput, recorded, target } from './builders.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'modelhub-apply-'));
  mkdirSync(join(root, 'apps/comfy'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function memoryLedger(): Ledger & { links: Map<string, RecordedLink>; dirs: RecordedDir[] } {
  const links = new Map<string, RecordedLink>();
  const dirs: RecordedDir[] = [];
  return {
    links,
    dirs,
    flush: () => undefined,
    findLink: (p) => links.get(p),
    hasDir: (p) => dirs.some((d) => d.path === p),
    recordLink: (l) => void links.set(l.path, l),
    forgetLink: (p) => void links.delete(p),
    recordDir: (d) => void dirs.push(d),
    forgetDir: (p) => void dirs.splice(dirs.findIndex((d) => d.path === p), 1),
  };
}

/** Where apply may act: the comfy target (builder mappings) under the temp root, store /hub/models. */
function scope(): ApplyScope {
  return applyScope({ targets: [target('comfy', { root: join(root, 'apps/comfy') })], recordedTargets: [] }, { storeDir: STORE, hubDir: '/hub' });
}

/** A plan creating `loras/a.safetensors` under the temp comfy root. */
function createPlan(): Plan {
  const comfy = target('comfy', { root: join(root, 'apps/comfy') });
  const d = desired('loras/a.safetensors', 'a.safetensors', { path: join(root, 'apps/comfy/loras/a.safetensors') });
  return planReconcile(planInput({ desired: [d], targets: [comfy] }));
}

describe('applyPlan', () => {
  it('writes only through the fs interface: a dry run records the steps and changes nothing', async () => {
    const fs = recordingFs(realFs(), { dryRun: true });
    const ledger = memoryLedger();
    const plan = createPlan();
    await applyPlan(plan, { scope: scope(), fs, ledger });
    expect(readdirSync(join(root, 'apps/comfy'))).toEqual([]);
    expect(fs.ops).toEqual([
      { op: 'mkdir', path: join(root, 'apps/comfy/loras') },
      { op: 'symlink', linkTarget: plan.changes[0]!.action === 'create' ? plan.changes[0]!.linkTarget : '', path: join(root, 'apps/comfy/loras/a.safetensors') },
    ]);
  });

  it('creates folders as needed, records each step, and returns what it touched', async () => {
    const fs = recordingFs(realFs());
    const ledger = memoryLedger();
    const result = await applyPlan(createPlan(), { scope: scope(), fs, ledger });
    const path = join(root, 'apps/comfy/loras/a.safetensors');
    expect(fs.ops.map((o) => o.op)).toEqual(['mkdir', 'symlink']);
    expect(result).toMatchObject({ created: [path], dirsCreated: [join(root, 'apps/comfy/loras')] });
    expect([...ledger.links.keys()]).toEqual([path]);
    expect(ledger.dirs).toEqual([{ target: 'comfy', path: join(root, 'apps/comfy/loras') }]);
  });

  it('phase 1: if any path differs from the plan, nothing at all is changed', async () => {
    const plan = createPlan();
    mkdirSync(join(root, 'apps/comfy/loras'));
    writeFileSync(join(root, 'apps/comfy/loras/a.safetensors'), 'appeared after planning');
    const fs = recordingFs(realFs());
    const ledger = memoryLedger();
    await expect(applyPlan(plan, { scope: scope(), fs, ledger })).rejects.toMatchObject({ code: 'ERR_MODELHUB_PLAN_OUTDATED' });
    expect(fs.ops).toEqual([]);
    expect(ledger.links.size).toBe(0);
  });

  it('refuses plans with conflicts, and plans emptying a target unless allowed', async () => {
    const path = join(root, 'apps/comfy/loras/old.safetensors');
    mkdirSync(join(root, 'apps/comfy/loras'));
    symlinkSync('/hub/models/x/old.safetensors', path);
    const st = lstatSync(path);
    const rec = recorded(path, 'old.safetensors', { linkTarget: '/hub/models/x/old.safetensors', dev: st.dev, ino: st.ino });
    const emptying = planReconcile(planInput({ recorded: [rec], actual: actual({ [path]: { kind: 'symlink', text: rec.linkTarget, dev: st.dev, ino: st.ino } }), targets: [target('comfy', { root: join(root, 'apps/comfy') })] }));
    const fs = recordingFs(realFs());
    await expect(applyPlan(emptying, { scope: scope(), fs, ledger: memoryLedger() })).rejects.toMatchObject({ code: 'ERR_MODELHUB_EMPTY_DESIRED' });
    const conflicted: Plan = { ...createPlan(), conflicts: [{ target: 'comfy', path, relPath: 'loras/old.safetensors', reason: 'foreign-file' }] };
    await expect(applyPlan(conflicted, { scope: scope(), fs, ledger: memoryLedger() })).rejects.toMatchObject({ code: 'ERR_MODELHUB_CONFLICTS' });
    expect(fs.ops).toEqual([]);
    const ledger = memoryLedger();
    ledger.links.set(path, rec);
    await applyPlan(emptying, { scope: scope(), fs, ledger, allowEmpty: true });
    expect(fs.ops).toEqual([{ op: 'unlink', path }]);
    expect(ledger.links.size).toBe(0);
  });

  it('records the inode of every link it makes, lstat-ed right after making it', async () => {
    const ledger = memoryLedger();
    await applyPlan(createPlan(), { scope: scope(), fs: realFs(), ledger });
    const path = join(root, 'apps/comfy/loras/a.safetensors');
    const st = lstatSync(path);
    expect(ledger.links.get(path)).toMatchObject({ dev: st.dev, ino: st.ino });
  });

  it('never works through a symlinked folder below the root, and never removes a copy of an owned link, whatever plan it is handed', async () => {
    const comfy = join(root, 'apps/comfy');
    mkdirSync(join(root, 'elsewhere'));
    symlinkSync(join(root, 'elsewhere'), join(comfy, 'loras'));
    const fs = recordingFs(realFs());
    await expect(applyPlan(createPlan(), { scope: scope(), fs, ledger: memoryLedger() })).rejects.toMatchObject({ code: 'ERR_MODELHUB_FOLDER_IS_SYMLINK', path: join(comfy, 'loras') });

    // A delete through the symlinked folder, of a link that is recorded with exactly that text.
    const path = join(comfy, 'loras/mine.safetensors');
    symlinkSync('/hub/models/x/mine.safetensors', join(root, 'elsewhere/mine.safetensors'));
    const st = lstatSync(path);
    const rec = recorded(path, 'mine.safetensors', { linkTarget: '/hub/models/x/mine.safetensors', dev: st.dev, ino: st.ino });
    const ledger = memoryLedger();
    ledger.links.set(path, rec);
    const through = planReconcile(planInput({ recorded: [rec], actual: actual({ [path]: { kind: 'symlink', text: rec.linkTarget, dev: st.dev, ino: st.ino } }), targets: [target('comfy', { root: comfy })] }));
    await expect(applyPlan(through, { scope: scope(), fs, ledger, allowEmpty: true })).rejects.toMatchObject({ code: 'ERR_MODELHUB_FOLDER_IS_SYMLINK' });

    // The same link in a real folder, but a copy (another inode) of the one recorded.
    rmSync(join(comfy, 'loras'));
    mkdirSync(join(comfy, 'loras'));
    symlinkSync(rec.linkTarget, path);
    const copy = lstatSync(path);
    await expect(applyPlan({ ...through, changes: through.changes.map((c) => ({ ...c, expect: { kind: 'symlink', text: rec.linkTarget, dev: copy.dev, ino: copy.ino } })) }, { scope: scope(), fs, ledger, allowEmpty: true })).rejects.toMatchObject({ code: 'ERR_MODELHUB_NOT_OWNED' });
    expect(fs.ops).toEqual([]);
    expect(readdirSync(join(root, 'elsewhere'))).toEqual(['mine.safetensors']);
  });

  it('refuses any hand-made change outside its target\'s mapped folders, any link not into its model\'s store file, any removal ModelHub did not record', async () => {
    const comfy = join(root, 'apps/comfy');
    mkdirSync(join(comfy, 'loras'));
    mkdirSync(join(root, 'mine'));
    symlinkSync('/dev/null', join(root, 'mine/keep'));
    symlinkSync('/dev/null', join(comfy, 'loras/theirs.safetensors'));
    mkdirSync(join(comfy, 'loras/empty'));
    const base = createPlan();
    const create = base.changes[0]! as Extract<Change, { action: 'create' }>;
    const their = { kind: 'symlink' as const, text: '/dev/null', ...inode(join(comfy, 'loras/theirs.safetensors')) };
    const handMade: Array<[string, Partial<Plan>, string]> = [
      ['a link into /etc', { changes: [{ ...create, linkTarget: '/etc/hostname' }] }, 'ERR_MODELHUB_OUT_OF_SCOPE'],
      ['a link into another model\'s store folder', { changes: [{ ...create, linkTarget: `${STORE}/${'f'.repeat(64)}/a.safetensors` }] }, 'ERR_MODELHUB_OUT_OF_SCOPE'],
      ['a link in a folder no mapping names', { changes: [{ ...create, path: join(comfy, 'other/a.safetensors') }] }, 'ERR_MODELHUB_OUT_OF_SCOPE'],
      ['a link spelled with ..', { changes: [{ ...create, path: join(comfy, 'loras/../../../mine/a.safetensors') }] }, 'ERR_MODELHUB_OUT_OF_SCOPE'],
      ['removing a symlink outside every target', { changes: [{ ...create, action: 'delete', reason: 'not-declared', recorded: true, path: join(root, 'mine/keep'), expect: { kind: 'symlink', text: '/dev/null' } }] }, 'ERR_MODELHUB_OUT_OF_SCOPE'],
      ['removing an unrecorded symlink in a mapped folder', { changes: [{ ...create, action: 'delete', reason: 'not-declared', recorded: true, path: join(comfy, 'loras/theirs.safetensors'), expect: their }] }, 'ERR_MODELHUB_NOT_OWNED'],
      ['removing it as a leftover', { changes: [{ ...create, action: 'delete', reason: 'leftover-temp', recorded: false, path: join(comfy, 'loras/theirs.safetensors'), expect: their }] }, 'ERR_MODELHUB_NOT_OWNED'],
      ['replacing an unrecorded symlink', { changes: [{ ...create, action: 'replace', reason: 'model-changed', path: join(comfy, 'loras/theirs.safetensors'), previous: { hash: 'x', linkTarget: '/dev/null' }, expect: their }] }, 'ERR_MODELHUB_NOT_OWNED'],
      ['removing a folder ModelHub did not make', { changes: [], dirs: [{ target: 'comfy', path: join(comfy, 'loras/empty') }] }, 'ERR_MODELHUB_OUT_OF_SCOPE'],
    ];
    for (const [what, over, code] of handMade) {
      const fs = recordingFs(realFs());
      await expect(applyPlan({ ...base, ...over } as Plan, { scope: scope(), fs, ledger: memoryLedger() }), what).rejects.toMatchObject({ code });
      expect(fs.ops, what).toEqual([]);
    }
    expect(readdirSync(join(root, 'mine'))).toEqual(['keep']);
    expect(readdirSync(join(comfy, 'loras')).sort()).toEqual(['empty', 'theirs.safetensors']);
  });

  it('never reads the reason: a delete acts on whether the link is recorded, whatever reason it shows', async () => {
    const comfy = join(root, 'apps/comfy');
    mkdirSync(join(comfy, 'loras'));
    const owned = join(comfy, 'loras/old.safetensors');
    symlinkSync('/hub/models/x/old.safetensors', owned);
    const rec = recorded(owned, 'old.safetensors', { linkTarget: '/hub/models/x/old.safetensors', ...inode(owned) });
    const temp = join(comfy, 'loras/.a.safetensors.modelhub-tmp-0123abcd-0');
    symlinkSync(`${STORE}/${'a'.repeat(64)}/a.safetensors`, temp);
    const plan = planReconcile(
      planInput({
        recorded: [rec],
        actual: actual({ [owned]: { kind: 'symlink', text: rec.linkTarget, ...inode(owned) } }, { leftovers: [{ target: 'comfy', path: temp, text: `${STORE}/${'a'.repeat(64)}/a.safetensors` }] }),
        targets: [target('comfy', { root: comfy })],
      }),
    );
    expect(plan.changes.map((c) => [c.path, c.action, c.action === 'delete' && c.recorded])).toEqual([
      [temp, 'delete', false],
      [owned, 'delete', true],
    ]);
    // Swap the (display-only) reasons: apply must do exactly the same.
    const swapped: Plan = { ...plan, changes: plan.changes.map((c) => (c.action === 'delete' ? { ...c, reason: c.recorded ? 'leftover-temp' : 'not-declared' } : c)) };
    const ledger = memoryLedger();
    ledger.links.set(owned, rec);
    ledger.links.set(join(comfy, 'loras/unrelated.safetensors'), recorded(join(comfy, 'loras/unrelated.safetensors'), 'unrelated.safetensors'));
    const result = await applyPlan(swapped, { scope: scope(), fs: realFs(), ledger, allowEmpty: true });
    expect(result.deleted.sort()).toEqual([temp, owned].sort());
    expect(readdirSync(join(comfy, 'loras'))).toEqual([]);
    expect([...ledger.links.keys()]).toEqual([join(comfy, 'loras/unrelated.safetensors')]);
  });
});

function inode(path: string): { dev: number; ino: number } {
  const st = lstatSync(path);
  return { dev: st.dev, ino: st.ino };
}
