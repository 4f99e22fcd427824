/** The human views of verify, prune, gc, dupes, delete, restore and hashes, pinned over hand-made data. */
import { describe, expect, it } from 'vitest';
import { renderDeletePlan, renderDeleteResult, renderHardRefusal, renderRestorePlan } from '../../cmd/render/delete.js';
import { renderDupes } from '../../cmd/render/dupes.js';
import { renderGcPlan, renderGcResult } from '../../cmd/render/gc.js';
import { renderHashFilesPlan, renderHashFilesResult } from '../../cmd/render/hashes.js';
import { renderPrunePlan, renderPruneResult } from '../../cmd/render/prune.js';
import { renderVerify } from '../../cmd/render/verify.js';
import { findDupes } from '../../store/dupes.js';
import type { GcPlan, GcResult } from '../../store/gc.js';
import type { HashFileTarget } from '../../store/hashfiles.js';
import type { VerifyReport } from '../../store/verify.js';
import { HOSTILE, hash, plain, storeFile, tmp } from './builders.js';

const MODELS = tmp('hub/models');
const HOUR = 3_600_000;

describe('verify view', () => {
  const clean: VerifyReport = { mode: 'full', scope: 'store', checked: 3, ok: 3, sizeOnly: 0, bytesHashed: 7_300_000_000, missing: [], corrupted: [], unexpected: [], permissions: [], staging: [] };

  it('lists corrupted, missing and unexpected files and warnings, how to restore, then the summary', () => {
    const report: VerifyReport = {
      ...clean,
      ok: 1,
      corrupted: [{ hash: hash('a'), name: 'a.safetensors', path: storeFile('a', 'a.safetensors'), reason: 'hash-mismatch', expected: hash('a'), found: hash('z'), copies: [tmp('dl/a.safetensors')] }],
      missing: [{ hash: hash('b'), name: HOSTILE, path: storeFile('b', HOSTILE), deleted: true, found: 'a folder' }],
      unexpected: [{ path: `${MODELS}/notes.txt`, kind: 'file', size: 1200, why: 'not a store folder' }],
      permissions: [{ path: storeFile('c', 'c.safetensors'), mode: '0644' }],
      staging: [{ path: `${MODELS}/.tmp/x.partial`, size: 5_000_000 }],
    };
    expect(renderVerify(report, plain, { hubModels: MODELS })).toMatchInlineSnapshot(`
      "corrupted   <tmp>/hub/models/6100000000000000000000000000000000000000000000000000000000000000/a.safetensors
                  content differs from its SHA-256: expected 6100000000000000000000000000000000000000000000000000000000000000, found 7a00000000000000000000000000000000000000000000000000000000000000
                  a copy was recorded at: <tmp>/dl/a.safetensors
      missing     <tmp>/hub/models/6200000000000000000000000000000000000000000000000000000000000000/evil\\e[2Jname.safetensors  620000000000, soft-deleted; a folder
      unexpected  <tmp>/hub/models/notes.txt  file, 1.2 KB: not a store folder
      warning     <tmp>/hub/models/6300000000000000000000000000000000000000000000000000000000000000/c.safetensors is writable (mode 0644); store files are kept read-only: chmod 0444 it
      warning     <tmp>/hub/models/.tmp/x.partial (5.0 MB) is a staging file: a scan is running, or one was interrupted (\`modelhub gc\` removes those older than a day)

      ModelHub never repairs or removes a damaged store file. To restore one: replace it with a good copy
      (e.g. \`cp --remove-destination COPY STOREFILE\`, or download it again), \`chmod 0444\` it, then run
      \`modelhub scan <tmp>/hub/models/<sha256>\` to check its hash and record it again.

      A missing store file cannot be restored by ModelHub: scan a copy of the model again (same hash), or remove the record with \`modelhub delete MODEL --hard\`.

      Verified 3 models (full: SHA-256 re-hashed, 7.3 GB read).
      Problems found: 1 corrupted, 1 missing, 1 unexpected; 1 ok."
    `);
  });

  it('a clean store, and --fast with models checked by size only', () => {
    expect(renderVerify(clean, plain, { hubModels: MODELS })).toMatchInlineSnapshot(`
      "Verified 3 models (full: SHA-256 re-hashed, 7.3 GB read).
      Store intact: 0 corrupted, 0 missing, 0 unexpected; 3 ok."
    `);
    expect(renderVerify({ ...clean, mode: 'fast', sizeOnly: 2, bytesHashed: 0 }, plain, { hubModels: MODELS })).toMatchInlineSnapshot(`
      "Verified 3 models (fast: size and modification time).
      2 of them by size only: imported before ModelHub recorded modification times (a full verify re-hashes them).
      Store intact: 0 corrupted, 0 missing, 0 unexpected; 3 ok."
    `);
  });
});

describe('prune view', () => {
  it('shows what is removed and what is only listed, then the result', () => {
    const plan = {
      links: [{ path: tmp('comfy/loras/a.safetensors'), text: storeFile('a', 'a.safetensors'), target: 'comfy', hash: hash('a'), name: 'a.safetensors' }],
      linkBacks: [
        { path: tmp('dl/b.safetensors'), text: storeFile('b', 'b.safetensors'), hash: hash('b'), name: 'b.safetensors', reason: 'model-deleted' as const },
        { path: tmp('dl/c.safetensors'), text: storeFile('c', 'c.safetensors'), hash: hash('c'), name: 'c.safetensors', reason: 'store-file-missing' as const },
      ],
      foreign: [{ path: tmp(`comfy/loras/${HOSTILE}`), text: '/gone/elsewhere' }],
    };
    expect(renderPrunePlan(plan, plain)).toMatchInlineSnapshot(`
      "modelhub prune will remove these symlinks (they free no model bytes; the store is untouched):

        - <tmp>/comfy/loras/a.safetensors  owned link of target comfy to a.safetensors; its store file is gone
        - <tmp>/dl/b.safetensors  link-back to b.safetensors, which is deleted
        - <tmp>/dl/c.safetensors  link-back to c.safetensors; its store file is gone

      Broken symlinks ModelHub did not make (listed, never removed):
        ! <tmp>/comfy/loras/evil\\e[2Jname.safetensors -> /gone/elsewhere

      This will remove 3 symlinks (1 deployment link, 2 link-backs)."
    `);
    expect(renderPruneResult({ removedLinks: [plan.links[0]!.path], removedLinkBacks: [tmp('dl/b.safetensors')], skipped: [{ path: tmp('dl/c.safetensors'), why: 'changed since the plan was shown' }] }, plain)).toMatchInlineSnapshot(`
      "skipped <tmp>/dl/c.safetensors: changed since the plan was shown
      Pruned 1 deployment link and 1 link-back."
    `);
    expect(renderPrunePlan({ links: [], linkBacks: [], foreign: [] }, plain)).toMatchInlineSnapshot(`"Nothing to prune."`);
  });
});

function gcPlan(over: Partial<GcPlan> = {}): GcPlan {
  return { remove: [], kept: [], refused: [], staging: [], stagingKept: [], bytes: 0, orphans: false, modelsDir: MODELS, ...over };
}

describe('gc view', () => {
  it('shows removals with sizes and reasons, kept folders, staging files, refusals with their fix, and the total', () => {
    const plan = gcPlan({
      remove: [
        { hash: hash('a'), name: 'a.safetensors', reason: 'deleted', dir: `${MODELS}/${hash('a')}`, files: [{ path: storeFile('a', 'a.safetensors'), size: 2_000_000_000 }], bytes: 2_000_000_000 },
        { hash: hash('e'), name: 'e', reason: 'orphan', dir: `${MODELS}/${hash('e')}`, files: [], bytes: 0 },
      ],
      kept: [
        { hash: hash('u'), name: 'u.safetensors', reason: 'unregistered', dir: `${MODELS}/${hash('u')}`, files: [], bytes: 151_000_000, checked: true },
        { hash: hash('o'), name: 'o.bin', reason: 'orphan', dir: `${MODELS}/${hash('o')}`, files: [], bytes: 1000, checked: false },
      ],
      staging: [{ path: `${MODELS}/.tmp/scan-1.partial`, kind: 'file', size: 3_000_000, ageMs: 2 * HOUR, owner: { state: 'dead', pid: 4242 } }],
      stagingKept: [
        { path: `${MODELS}/.tmp/scan-2.partial`, kind: 'file', size: 1_000_000, ageMs: 90_000, owner: { state: 'alive', pid: 4343 } },
        { path: `${MODELS}/.tmp/old.partial`, kind: 'file', size: 10, ageMs: 5 * HOUR, owner: { state: 'unknown' } },
        { path: `${MODELS}/.tmp/folder`, kind: 'dir', size: 0, ageMs: 0, owner: { state: 'unknown' } },
      ],
      refused: [
        { hash: hash('d'), name: HOSTILE, reason: 'deleted', deployed: [{ target: 'comfy', path: tmp('comfy/loras/d.safetensors') }], linkBacks: [tmp('dl/d.safetensors')], unexpected: [], bytes: 50_000_000 },
        { hash: hash('f'), name: 'f.safetensors', reason: 'unregistered', deployed: [], linkBacks: [tmp('dl/f.safetensors')], unexpected: [`${MODELS}/${hash('f')}/sub`], bytes: 7_000_000 },
      ],
      bytes: 2_003_000_000,
    });
    expect(renderGcPlan(plan, plain)).toMatchInlineSnapshot(`
      "modelhub gc will remove:

        - 610000000000  a.safetensors    2.0 GB  deleted
        - 650000000000  e                   0 B  orphan: empty store folder
        - <tmp>/hub/models/.tmp/scan-1.partial  3.0 MB  staging file of a scan that died (pid 4242)

      Unregistered models (in the store, unknown to the inventory; kept):
        ? 750000000000  u.safetensors  151 MB
        The inventory forgot this model (was modelhub.db lost or replaced?); register it again with: modelhub scan <tmp>/hub/models

      Orphans whose content does not match their folder name (damaged, or not models; kept):
        ? 6f0000000000  o.bin  1.0 KB  could not be read to check it (never removed)

      \`modelhub gc --orphans\` removes the 1 kept entry, after showing it again; links the lost inventory knew of may still point at it.

      Staging files kept:
        · <tmp>/hub/models/.tmp/scan-2.partial  1.0 MB  its scan is still running (pid 4343)
        · <tmp>/hub/models/.tmp/old.partial  10 B  no owner in its name; removed once older than a day (5 h old)
        · <tmp>/hub/models/.tmp/folder  0 B  not a staging file (dir); never removed

      Refused (still in use; never removed):
        ! 640000000000  evil\\e[2Jname.safetensors  50.0 MB  deleted
            still deployed by 1 owned link:
              comfy  <tmp>/comfy/loras/d.safetensors
            run \`modelhub apply\` to undeploy it first
            still pointed at by 1 symlink (link-backs, or links ModelHub has no record of):
              <tmp>/dl/d.safetensors
            remove them by hand, or with \`modelhub prune\` (it removes recorded link-backs of deleted models)
        ! 660000000000  f.safetensors  7.0 MB  unregistered
            still pointed at by 1 symlink (link-backs, or links ModelHub has no record of):
              <tmp>/dl/f.safetensors
            something still uses it: register it again with \`modelhub scan <tmp>/hub/models\`, or remove those links by hand
            its store folder holds something other than plain files (never removed by ModelHub):
              <tmp>/hub/models/6600000000000000000000000000000000000000000000000000000000000000/sub

      This will free 2.0 GB (2 store entries, 1 staging file)."
    `);
  });

  it('has nothing to remove: a clean store, or only what cannot go yet', () => {
    expect(renderGcPlan(gcPlan(), plain)).toMatchInlineSnapshot(`"Nothing to remove: the store holds no orphans and no deleted models."`);
    const refusedOnly = gcPlan({ refused: [{ hash: hash('d'), name: 'd.safetensors', reason: 'deleted', deployed: [], linkBacks: [tmp('dl/d.safetensors')], unexpected: [], bytes: 10 }] });
    expect(renderGcPlan(refusedOnly, plain, { command: 'modelhub delete --hard' })).toMatchInlineSnapshot(`
      "Refused (still in use; never removed):
        ! 640000000000  d.safetensors  10 B  deleted
            still pointed at by 1 symlink (link-backs, or links ModelHub has no record of):
              <tmp>/dl/d.safetensors
            remove them by hand, or with \`modelhub prune\` (it removes recorded link-backs of deleted models)

      Nothing can be removed yet."
    `);
  });

  it('sums up what was removed', () => {
    const result: GcResult = { removed: [{ hash: hash('a'), name: 'a.safetensors', bytes: 2_000_000_000 }], stagingRemoved: [`${MODELS}/.tmp/scan-1.partial`], skipped: [{ hash: hash('b'), name: 'b.safetensors', why: 'changed since the plan was shown' }], freedBytes: 2_003_000_000 };
    expect(renderGcResult(result, plain)).toMatchInlineSnapshot(`
      "skipped 620000000000 b.safetensors: changed since the plan was shown
      Removed 1 store entry and 1 staging file; freed 2.0 GB."
    `);
  });
});

describe('dupes view', () => {
  it('groups several paths, same weights and same names, with what they save and waste', () => {
    const report = findDupes([
      { hash: hash('a'), name: 'a.safetensors', size: 100_000_000, autov3: 'aa11', sources: [{ path: tmp('dl/a.safetensors'), state: 'linked' }, { path: tmp('old/a.safetensors'), state: 'linked' }, { path: tmp('usb/a.safetensors'), state: 'copied' }] },
      { hash: hash('b'), name: 'A.safetensors', size: 100_100_000, autov3: 'aa11', sources: [{ path: tmp('dl/A.safetensors'), state: 'moved' }] },
    ]);
    expect(renderDupes(report, plain)).toMatchInlineSnapshot(`
      "Found at several paths (one store entry each)
        610000000000  a.safetensors  100 MB  saves 100 MB, wastes 100 MB in copies
            <tmp>/dl/a.safetensors  linked
            <tmp>/old/a.safetensors  linked
            <tmp>/usb/a.safetensors  copied

      Same weights, different files (same AutoV3; only the header differs)
        AutoV3 AA11  wastes 100 MB
            610000000000  a.safetensors  100 MB
            620000000000  A.safetensors  100 MB

      Same name, different content (informative)
        a.safetensors
            610000000000  a.safetensors  100 MB
            620000000000  A.safetensors  100 MB

      Deduplication saves 100 MB; duplicates still waste 200 MB.
      To keep one file of a same-weights group: \`modelhub delete MODEL\`, \`modelhub apply\`, then \`modelhub gc\`."
    `);
    expect(renderDupes(findDupes([]), plain)).toMatchInlineSnapshot(`"No duplicates."`);
  });
});

describe('delete and restore views', () => {
  const named = (label: string): { hash: string; name: string; size: number; deleted: boolean } => ({ hash: hash(label), name: `${label}.safetensors`, size: 10, deleted: false });

  it('shows what is marked, what the next apply undeploys, and the result', () => {
    const plan = { mark: [named('a')], already: [named('b')], undeploy: [{ hash: hash('a'), target: 'comfy', path: tmp('comfy/loras/a.safetensors') }], hard: null };
    expect(renderDeletePlan(plan, plain)).toMatchInlineSnapshot(`
      "delete  610000000000  a.safetensors
      already deleted  620000000000  b.safetensors

      The next \`modelhub apply\` removes 1 deployment link (run \`modelhub plan\` to see):
        comfy  <tmp>/comfy/loras/a.safetensors"
    `);
    expect(renderDeleteResult(plan, null, plain)).toMatchInlineSnapshot(`
      "
      Deleted 1 model (reversible with \`modelhub restore\` until removed from the store)."
    `);
  });

  it("--hard adds gc's plan and result, and the refusal for what still links to a model", () => {
    const hard = gcPlan({ remove: [{ hash: hash('a'), name: 'a.safetensors', reason: 'deleted', dir: `${MODELS}/${hash('a')}`, files: [], bytes: 10 }], bytes: 10 });
    const plan = { mark: [named('a'), named('c')], already: [], undeploy: [], hard };
    expect(renderDeletePlan(plan, plain)).toMatchInlineSnapshot(`
      "delete  610000000000  a.safetensors
      delete  630000000000  c.safetensors

      modelhub delete --hard will remove:

        - 610000000000  a.safetensors      10 B  deleted (store folder already gone; the record is dropped)

      This will free 10 B (1 store entry)."
    `);
    expect(renderDeleteResult(plan, { removed: [{ hash: hash('a'), name: 'a.safetensors', bytes: 10 }], stagingRemoved: [], skipped: [], freedBytes: 10 }, plain)).toMatchInlineSnapshot(`
      "
      Deleted 2 models (reversible with \`modelhub restore\` until removed from the store).
      Removed 1 store entry; freed 10 B."
    `);
    expect(renderHardRefusal(1, plain)).toMatchInlineSnapshot(`
      "error: 1 model was not removed from the store (see above); it stays soft-deleted
      hint: run \`modelhub apply\` to undeploy, remove the link-backs (\`modelhub prune\`), then \`modelhub gc\`"
    `);
    expect(renderHardRefusal(2, plain)).toMatchInlineSnapshot(`
      "error: 2 models were not removed from the store (see above); they stay soft-deleted
      hint: run \`modelhub apply\` to undeploy, remove the link-backs (\`modelhub prune\`), then \`modelhub gc\`"
    `);
  });

  it('shows what is restored, what was not deleted, and what cannot be', () => {
    const plan = { restore: [named('a')], notDeleted: [named('b')], missing: [{ ...named('c'), path: storeFile('c', 'c.safetensors') }] };
    expect(renderRestorePlan(plan, plain)).toMatchInlineSnapshot(`
      "restored  610000000000  a.safetensors
      not deleted  620000000000  b.safetensors
      cannot restore  630000000000  c.safetensors: its store file <tmp>/hub/models/6300000000000000000000000000000000000000000000000000000000000000/c.safetensors is gone

      Run \`modelhub plan\` to see where the next apply deploys them again."
    `);
  });
});

describe('hashes view', () => {
  it('shows the files to write, those left alone, skipped paths, the count, then the result', () => {
    const target = (label: string): HashFileTarget => {
      const file = storeFile(label, `${label}.safetensors`);
      return { hash: hash(label), name: `${label}.safetensors`, file, hashFile: `${file}.sha256`, line: `${hash(label)}  ${label}.safetensors\n`, where: 'store' };
    };
    const plan = {
      write: [{ ...target('a'), how: 'new' as const }, { ...target('b'), how: 'rewrite' as const }],
      unchanged: [target('c')],
      conflicts: [{ ...target('d'), hashFile: tmp(`dl/${HOSTILE}.sha256`), found: 'a file with another text' }],
      skipped: [{ path: tmp('dl/e.safetensors'), why: 'no longer holds its model' }],
    };
    expect(renderHashFilesPlan(plan, plain)).toMatchInlineSnapshot(`
      "modelhub hashes will write:

        + <tmp>/hub/models/6100000000000000000000000000000000000000000000000000000000000000/a.safetensors.sha256
        ~ <tmp>/hub/models/6200000000000000000000000000000000000000000000000000000000000000/b.safetensors.sha256

      Left alone (something else is there; never overwritten):
        ! <tmp>/dl/evil\\e[2Jname.safetensors.sha256: a file with another text

      Skipped:
        <tmp>/dl/e.safetensors: no longer holds its model

      2 to write, 1 already up to date, 1 conflict."
    `);
    expect(renderHashFilesResult({ written: [plan.write[0]!.hashFile], skipped: [plan.write[1]!.hashFile] }, plain)).toMatchInlineSnapshot(`
      "skipped <tmp>/hub/models/6200000000000000000000000000000000000000000000000000000000000000/b.safetensors.sha256: changed since the plan was shown
      Wrote 1 hash file. Check them without ModelHub: cd FOLDER && sha256sum -c FILE.sha256"
    `);
  });
});
