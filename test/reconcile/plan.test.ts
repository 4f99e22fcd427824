import { describe, expect, it } from 'vitest';
import { hasChanges, planReconcile, type PlanInput } from '../../reconcile/plan.js';
import type { Change, DeleteReason } from '../../reconcile/plan-types.js';
import { STORE, actual, desired, file, hash, link, planInput, recorded, target } from './builders.js';

const A = desired('loras/a.safetensors', 'a.safetensors');
const storeA = `${STORE}/${hash('a.safetensors')}/a.safetensors`;

function only(changes: Change[]): Pick<Change, 'action' | 'reason' | 'path'> & { how?: string } {
  expect(changes).toHaveLength(1);
  const c = changes[0]!;
  return { action: c.action, reason: c.reason, path: c.path, ...(c.action === 'adopt' ? { how: c.how } : {}) };
}

describe('planReconcile: declared links', () => {
  it('creates a missing link that was never recorded (declared)', () => {
    const plan = planReconcile(planInput({ desired: [A] }));
    expect(only(plan.changes)).toEqual({ action: 'create', reason: 'declared', path: A.path });
    expect(plan.changes[0]).toMatchObject({ linkTarget: storeA, expect: { kind: 'absent' } });
    expect(plan.summary).toMatchObject({ create: 1, replace: 0, delete: 0, conflict: 0, inSync: 0 });
  });

  it('re-creates a recorded link deleted by hand (missing)', () => {
    const plan = planReconcile(planInput({ desired: [A], recorded: [recorded(A.path, 'a.safetensors')] }));
    expect(only(plan.changes)).toEqual({ action: 'create', reason: 'missing', path: A.path });
  });

  it('counts an owned link holding the declared text as in sync, with no change', () => {
    const plan = planReconcile(planInput({ desired: [A], recorded: [recorded(A.path, 'a.safetensors')], actual: actual({ [A.path]: link(storeA) }) }));
    expect(plan.changes).toEqual([]);
    expect(plan.summary.inSync).toBe(1);
    expect(plan.targets[0]).toMatchObject({ name: 'comfy', declared: 1, inSync: 1 });
    expect(hasChanges(plan)).toBe(false);
  });

  it('replaces an owned link when another model is declared at its path (model-changed)', () => {
    const old = recorded(A.path, 'old.safetensors');
    const plan = planReconcile(planInput({ desired: [A], recorded: [old], actual: actual({ [A.path]: link(old.linkTarget) }) }));
    expect(only(plan.changes)).toEqual({ action: 'replace', reason: 'model-changed', path: A.path });
    expect(plan.changes[0]).toMatchObject({ previous: { hash: hash('old.safetensors'), linkTarget: old.linkTarget }, expect: link(old.linkTarget) });
  });

  it('replaces an owned link when only the link text changes (link-changed, e.g. links: relative)', () => {
    const rel = desired('loras/a.safetensors', 'a.safetensors', { linkTarget: '../../../hub/models/x/a.safetensors' });
    const plan = planReconcile(planInput({ desired: [rel], recorded: [recorded(A.path, 'a.safetensors')], actual: actual({ [A.path]: link(storeA) }) }));
    expect(only(plan.changes)).toEqual({ action: 'replace', reason: 'link-changed', path: A.path });
  });
});

describe('planReconcile: adopting what is already there', () => {
  it('records an unrecorded symlink that holds exactly the declared text (no disk change)', () => {
    const plan = planReconcile(planInput({ desired: [A], actual: actual({ [A.path]: link(storeA) }) }));
    expect(only(plan.changes)).toEqual({ action: 'adopt', reason: 'unrecorded-link', how: 'record', path: A.path });
  });

  it('updates a record that disagrees with a correct link (record-outdated)', () => {
    const stale = recorded(A.path, 'a.safetensors', { linkTarget: '/old/hub/a.safetensors' });
    const plan = planReconcile(planInput({ desired: [A], recorded: [stale], actual: actual({ [A.path]: link(storeA) }) }));
    expect(only(plan.changes)).toEqual({ action: 'adopt', reason: 'record-outdated', how: 'record', path: A.path });
  });

  it('relinks an unrecorded symlink spelled differently that resolves to the declared store file', () => {
    const relative = `../../../hub/models/${hash('a.safetensors')}/a.safetensors`;
    const plan = planReconcile(planInput({ desired: [A], actual: actual({ [A.path]: link(relative) }) }));
    expect(only(plan.changes)).toEqual({ action: 'adopt', reason: 'unrecorded-link', how: 'relink', path: A.path });
  });

  it('with adopt, replaces a foreign file whose hash equals the model (duplicate-file)', () => {
    const plan = planReconcile(planInput({ desired: [A], actual: actual({ [A.path]: file(10, hash('a.safetensors')) }), options: { target: null, adopt: true } }));
    expect(only(plan.changes)).toEqual({ action: 'adopt', reason: 'duplicate-file', how: 'replace-file', path: A.path });
  });

  it('without adopt, or with another hash, a foreign file stays a conflict', () => {
    const same = planReconcile(planInput({ desired: [A], actual: actual({ [A.path]: file(10, hash('a.safetensors')) }) }));
    const other = planReconcile(planInput({ desired: [A], actual: actual({ [A.path]: file(10, hash('other')) }), options: { target: null, adopt: true } }));
    for (const plan of [same, other]) {
      expect(plan.changes).toEqual([]);
      expect(plan.conflicts).toMatchObject([{ path: A.path, reason: 'foreign-file' }]);
    }
  });
});

describe('planReconcile: conflicts are listed, never acted on', () => {
  const cases: Array<[string, Parameters<typeof planInput>[0], string]> = [
    ['a regular file', { actual: actual({ [A.path]: file() }) }, 'foreign-file'],
    ['a foreign symlink', { actual: actual({ [A.path]: link('/somewhere/else.safetensors') }) }, 'foreign-symlink'],
    ['an owned link re-pointed by hand', { recorded: [recorded(A.path, 'a.safetensors')], actual: actual({ [A.path]: link('/mine.safetensors') }) }, 'drifted'],
    ['a folder', { actual: actual({ [A.path]: { kind: 'dir' } }) }, 'directory'],
    ['a file where a parent folder should be', { actual: actual({ [A.path]: { kind: 'blocked' } }) }, 'parent-not-directory'],
    ['a store file gone missing', { actual: actual({}, { missingStoreFiles: new Set([storeA]) }) }, 'store-file-missing'],
  ];
  for (const [what, input, reason] of cases) {
    it(`${reason}: ${what}`, () => {
      const plan = planReconcile(planInput({ desired: [A], ...input }));
      expect(plan.changes).toEqual([]);
      expect(plan.conflicts).toMatchObject([{ target: 'comfy', path: A.path, reason }]);
      expect(plan.summary.conflict).toBe(1);
    });
  }

  it('name-clash: a path two models claim is one conflict naming both; its recorded link is left alone, other paths are planned', () => {
    const B = desired('loras/b.safetensors', 'b.safetensors');
    const claim = (name: string, deployments: string[]) => ({ target: 'comfy', relPath: 'loras/x.safetensors', model: { hash: hash(name), name: 'x.safetensors' }, deployments });
    const clash = { path: '/apps/comfy/loras/x.safetensors', claims: [claim('one', ['all']), claim('two', ['all', 'more'])] };
    const rec = recorded(clash.path, 'x.safetensors', { hash: hash('one') });
    const plan = planReconcile(planInput({ desired: [B], clashes: [clash], recorded: [rec], actual: actual({ [rec.path]: link(rec.linkTarget) }) }));
    expect(plan.changes.map((c) => [c.action, c.path])).toEqual([['create', B.path]]);
    expect(plan.conflicts).toEqual([
      {
        target: 'comfy',
        path: clash.path,
        relPath: 'loras/x.safetensors',
        reason: 'name-clash',
        found: `x.safetensors (${hash('one').slice(0, 12)}, deployment all) and x.safetensors (${hash('two').slice(0, 12)}, deployments all, more)`,
        claims: [
          { target: 'comfy', hash: hash('one'), name: 'x.safetensors', deployments: ['all'] },
          { target: 'comfy', hash: hash('two'), name: 'x.safetensors', deployments: ['all', 'more'] },
        ],
      },
    ]);
    expect(plan.targets[0]).toMatchObject({ declared: 2, inSync: 0 });
  });

  it('reports a missing target root once, as one conflict for all its links', () => {
    const B = desired('loras/b.safetensors', 'b.safetensors');
    const plan = planReconcile(planInput({ desired: [A, B], actual: actual({}, { missingRoots: new Set(['comfy']) }) }));
    expect(plan.changes).toEqual([]);
    expect(plan.conflicts).toEqual([{ target: 'comfy', path: '/apps/comfy', relPath: '.', reason: 'root-missing', found: 'no such folder' }]);
  });
});

describe('planReconcile: recorded links nothing declares any more', () => {
  const R = recorded('/apps/comfy/loras/old.safetensors', 'old.safetensors');
  const owned = actual({ [R.path]: link(R.linkTarget) });

  it('deletes an owned link (not-declared)', () => {
    const plan = planReconcile(planInput({ recorded: [R], actual: owned, desired: [A] }));
    const del = plan.changes.find((c) => c.action === 'delete');
    expect(del).toMatchObject({ reason: 'not-declared', path: R.path, relPath: 'loras/old.safetensors', expect: link(R.linkTarget) });
  });

  const reasons: Array<[DeleteReason, Partial<PlanInput>]> = [
    ['target-disabled', { targets: [target('comfy', { enabled: false })] }],
    ['target-removed', { targets: [] }],
    ['deployment-disabled', { deployments: [{ name: 'all', enabled: false }] }],
    ['model-deleted', { deletedModels: new Set([hash('old.safetensors')]) }],
  ];
  it.each(reasons)('gives the reason %s', (reason, over) => {
    const plan = planReconcile(planInput({ recorded: [R], actual: owned, ...over }));
    expect(only(plan.changes)).toEqual({ action: 'delete', reason, path: R.path });
  });

  it('forgets the record of a link already gone, without touching the disk', () => {
    const plan = planReconcile(planInput({ recorded: [R], desired: [A] }));
    expect(plan.changes.find((c) => c.path === R.path)).toMatchObject({ action: 'forget', reason: 'gone' });
  });

  it('forgets (never deletes) a recorded path the user took over', () => {
    for (const obs of [link('/mine.safetensors'), file()]) {
      const plan = planReconcile(planInput({ recorded: [R], desired: [A], actual: actual({ [R.path]: obs }) }));
      expect(plan.changes.find((c) => c.path === R.path)).toMatchObject({ action: 'forget', reason: 'changed-by-user' });
      expect(plan.changes.some((c) => c.action === 'delete')).toBe(false);
    }
  });

  it('deletes temporary links an interrupted apply left behind', () => {
    const tmp = '/apps/comfy/loras/.a.safetensors.modelhub-tmp-ab12-0';
    const plan = planReconcile(planInput({ actual: actual({}, { leftovers: [{ target: 'comfy', path: tmp, text: storeA }] }) }));
    expect(only(plan.changes)).toEqual({ action: 'delete', reason: 'leftover-temp', path: tmp });
  });
});

describe('planReconcile: ownership needs the recorded inode; symlinked folders are never worked through', () => {
  const R = recorded('/apps/comfy/loras/old.safetensors', 'old.safetensors');

  it('a copy of an owned link (same text, another inode) is not owned: forgotten when undeclared, drifted when another model is declared, re-adopted when exact', () => {
    const copy = actual({ [R.path]: link(R.linkTarget, 2) });
    expect(only(planReconcile(planInput({ recorded: [R], actual: copy })).changes)).toEqual({ action: 'forget', reason: 'changed-by-user', path: R.path });
    const other = desired('loras/old.safetensors', 'new.safetensors');
    const drifted = planReconcile(planInput({ desired: [other], recorded: [R], actual: copy }));
    expect(drifted.changes).toEqual([]);
    expect(drifted.conflicts).toMatchObject([{ path: R.path, reason: 'drifted', found: `symlink -> ${R.linkTarget} (a copy: not the inode ModelHub made)` }]);
    const exact = desired('loras/old.safetensors', 'old.safetensors');
    expect(only(planReconcile(planInput({ desired: [exact], recorded: [R], actual: copy })).changes)).toEqual({ action: 'adopt', how: 'record', reason: 'record-outdated', path: R.path });
  });

  it('a record without an inode (older ModelHub) rests on its text: re-adopted where declared, removed where not', () => {
    const legacy = { ...R, dev: null, ino: null };
    const there = actual({ [R.path]: link(R.linkTarget, 7) });
    const exact = desired('loras/old.safetensors', 'old.safetensors');
    expect(only(planReconcile(planInput({ desired: [exact], recorded: [legacy], actual: there })).changes)).toEqual({ action: 'adopt', how: 'record', reason: 'record-outdated', path: R.path });
    expect(only(planReconcile(planInput({ recorded: [legacy], actual: there })).changes)).toEqual({ action: 'delete', reason: 'not-declared', path: R.path });
  });

  it('every path behind a symlinked folder is one folder-is-symlink conflict per folder; its recorded links and folders are left alone', () => {
    const B = desired('loras/sdxl/b.safetensors', 'b.safetensors');
    const C = desired('checkpoints/c.safetensors', 'c.safetensors');
    const symlinkedFolders = new Map([['/apps/comfy/loras', '/elsewhere']]);
    const plan = planReconcile(planInput({ desired: [A, B, C], recorded: [R], recordedDirs: [{ target: 'comfy', path: '/apps/comfy/loras/sdxl' }], actual: actual({ [R.path]: link(R.linkTarget) }, { symlinkedFolders }) }));
    expect(plan.changes.map((c) => [c.action, c.path])).toEqual([['create', C.path]]);
    expect(plan.conflicts).toEqual([{ target: 'comfy', path: '/apps/comfy/loras', relPath: 'loras', reason: 'folder-is-symlink', found: 'symlink -> /elsewhere; apply never works through it (3 links behind it)' }]);
    expect(plan.dirs).toEqual([]);
  });
});

describe('planReconcile: guards and folders', () => {
  const R = recorded('/apps/comfy/loras/old.safetensors', 'old.safetensors');
  const owned = actual({ [R.path]: link(R.linkTarget) });

  it('flags a target whose every link would go because nothing is declared for it', () => {
    expect(planReconcile(planInput({ recorded: [R], actual: owned })).emptyTargets).toEqual(['comfy']);
    expect(planReconcile(planInput({ recorded: [R], actual: owned, targets: [] })).emptyTargets).toEqual(['comfy']);
  });

  it('does not flag a deliberately disabled target, nor one that still declares links', () => {
    expect(planReconcile(planInput({ recorded: [R], actual: owned, targets: [target('comfy', { enabled: false })] })).emptyTargets).toEqual([]);
    expect(planReconcile(planInput({ recorded: [R], actual: owned, desired: [A] })).emptyTargets).toEqual([]);
  });

  it('lists created folders no declared link needs, deepest first, and keeps needed ones', () => {
    const dirs = [
      { target: 'comfy', path: '/apps/comfy/loras' },
      { target: 'comfy', path: '/apps/comfy/old' },
      { target: 'comfy', path: '/apps/comfy/old/sdxl' },
    ];
    const plan = planReconcile(planInput({ desired: [A], recordedDirs: dirs }));
    expect(plan.dirs.map((d) => d.path)).toEqual(['/apps/comfy/old/sdxl', '/apps/comfy/old']);
  });

  it('carries the fingerprint and options it was given, and sorts changes by target and path', () => {
    const B = desired('checkpoints/b.safetensors', 'b.safetensors');
    const other = desired('loras/c.safetensors', 'c.safetensors', { target: 'aaa' });
    const plan = planReconcile(planInput({ desired: [A, B, other], fingerprint: 'abc', options: { target: null, adopt: true }, targets: [target('comfy'), target('aaa')] }));
    expect(plan.fingerprint).toBe('abc');
    expect(plan.options).toEqual({ target: null, adopt: true });
    expect(plan.changes.map((c) => c.relPath)).toEqual(['loras/c.safetensors', 'checkpoints/b.safetensors', 'loras/a.safetensors']);
  });

  it('is pure: the same input gives the same plan, and the input is not modified', () => {
    const input = planInput({ desired: [A], recorded: [R], actual: owned });
    const snapshot = JSON.stringify({ ...input, actual: [...input.actual.paths] });
    expect(planReconcile(input)).toEqual(planReconcile(input));
    expect(JSON.stringify({ ...input, actual: [...input.actual.paths] })).toBe(snapshot);
  });
});
