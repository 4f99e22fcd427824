import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { ApplyGuards, type ApplyScope } from './apply-guards.js';
import { conflictHint } from './conflict-hints.js';
import { listFolder, type DeployFs, type FolderListing } from './fs.js';
import type { FileLedger } from './file-ledger.js';
import type { Ledger } from './ledger.js';
import { checkFileChanges, performFileChanges } from './owned-files-apply.js';
import { observePath } from './observe.js';
import type { Change, Expect, Observed, Plan } from './plan-types.js';

export interface ApplyOptions {
  fs: DeployFs;
  ledger: Ledger;
  /** Where the files ModelHub writes are recorded (needed only when the plan has file actions). */
  fileLedger?: FileLedger;
  /** Where apply may act (from the manifests and the inventory, not from the plan): see ApplyGuards. */
  scope: ApplyScope;
  /** Remove every link of a target whose desired state became empty (see Plan.emptyTargets). */
  allowEmpty?: boolean;
  /** Called after each filesystem step, before it is recorded (progress; crash tests). */
  onStep?: (done: number, change: Change) => void;
}

export interface ApplyResult {
  created: string[];
  replaced: string[];
  deleted: string[];
  adopted: string[];
  forgotten: string[];
  dirsCreated: string[];
  dirsRemoved: string[];
  /** Files written (new or rewritten) and removed (ComfyUI's extra_model_paths.yaml). */
  filesWritten: string[];
  filesRemoved: string[];
}

/**
 * Carry out a plan. Refuses a plan with conflicts, and one emptying a target unless
 * `allowEmpty`. Phase 1 checks every change against `scope` (see ApplyGuards: mapped folders,
 * links into the model's store file, no symlinked folder on the way, removals only of what
 * deploy_links and deploy_dirs record) and every path against the plan's expectation, and
 * changes nothing if any of that fails: the applier trusts no plan, hand-made or not. Phase 2 performs the steps, recording each in the ledger right after it
 * succeeded (the ledger commits in small batches, and always before returning or throwing).
 * Only owned links are removed or replaced, each re-checked just before. New links
 * are made with symlink(2) directly (atomic, and it fails rather than replacing anything that
 * appeared since phase 1); existing entries are swapped by a temporary link renamed over them.
 */
export async function applyPlan(plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  assertApplicable(plan, opts.allowEmpty ?? false);
  const guards = new ApplyGuards(opts.fs, opts.ledger, opts.scope);
  const files = fileOptions(plan, opts);
  await checkExpectations(plan, opts.fs, guards, files);
  const run = new Runner(plan, opts, guards);
  const order: Change['action'][] = ['delete', 'forget', 'replace', 'adopt', 'create'];
  try {
    for (const action of order) for (const c of plan.changes) if (c.action === action) await run.perform(c);
    if (files !== undefined) {
      const done = await performFileChanges(plan.files, files);
      run.result.filesWritten.push(...done.written);
      run.result.filesRemoved.push(...done.removed);
    }
    await run.removeDirs();
  } finally {
    opts.ledger.flush();
  }
  return run.result;
}

/** Refuse a plan with conflicts, or one emptying a target without `allowEmpty` (before anything is asked or changed). */
export function assertApplicable(plan: Plan, allowEmpty: boolean): void {
  if (plan.conflicts.length > 0) {
    const list = plan.conflicts.slice(0, 20).map((c) => `  ${c.path}: ${c.reason}${c.found === undefined ? '' : ` (${c.found})`}`);
    throw new ModelHubError('CONFLICTS', `${plan.conflicts.length} conflict${plan.conflicts.length === 1 ? '' : 's'}; nothing was changed:\n${list.join('\n')}`, {
      hint: conflictHint(plan.conflicts),
      details: plan.conflicts,
    });
  }
  if (plan.emptyTargets.length > 0 && !allowEmpty) {
    throw new ModelHubError('EMPTY_DESIRED', `nothing is declared for target${plan.emptyTargets.length === 1 ? '' : 's'} ${plan.emptyTargets.join(', ')} any more, so every link there would be removed; nothing was changed`, {
      hint: 'check --manifests / MODELHUB_MANIFESTS points at the right folder; if removing them all is intended, rerun with --allow-empty (or set enabled: false on the target)',
    });
  }
}

/**
 * Phase 1: every change and folder removal in scope, no symlinked folder on the way, every link
 * to remove or re-point owned, every path still as the plan saw it. Each folder is listed once,
 * so a path expected absent costs no syscall of its own; only paths that exist are looked at closely.
 */
/** The file steps' options: the plan's files (after the links, so ComfyUI finds the folders the file names) need the file ledger. */
function fileOptions(plan: Plan, opts: ApplyOptions): Parameters<typeof performFileChanges>[1] | undefined {
  if (plan.files.length === 0) return undefined;
  if (opts.fileLedger === undefined) throw new Error('applyPlan: a plan with file actions needs opts.fileLedger');
  return { fs: opts.fs, ledger: opts.fileLedger, scope: opts.scope.files };
}

async function checkExpectations(plan: Plan, fs: DeployFs, guards: ApplyGuards, files: Parameters<typeof performFileChanges>[1] | undefined): Promise<void> {
  const changed: string[] = files === undefined ? [] : await checkFileChanges(plan.files, files);
  const listings = new Map<string, FolderListing>();
  for (const c of plan.changes) guards.assertInScope(c);
  for (const d of plan.dirs) {
    guards.assertDirInScope(d);
    await guards.assertRealFolders(d);
  }
  for (const c of plan.changes) {
    const dir = dirname(c.path);
    let listing = listings.get(dir);
    if (listing === undefined) {
      await guards.assertRealFolders(c);
      listings.set(dir, (listing = listFolder(fs, dir)));
    }
    // A missing, non-folder or unreadable parent is rare: observe the path itself (absent or blocked).
    // A missing folder holds nothing: no readlink (and no ENOENT error to build) per new link.
    const absent = listing === 'absent' || (typeof listing !== 'string' && !listing.has(basename(c.path)));
    const now: Observed = absent ? { kind: 'absent' } : observePath(fs, c.path, true);
    if (!sameState(now, c.expect)) changed.push(c.path);
    else if (c.action === 'delete' || c.action === 'replace') guards.assertOwned(c, now);
  }
  if (changed.length > 0) {
    throw new ModelHubError('PLAN_OUTDATED', `${changed.length} path${changed.length === 1 ? '' : 's'} changed since the plan was made; nothing was changed:\n${changed.slice(0, 20).map((p) => `  ${p}`).join('\n')}`, {
      hint: 'run `modelhub plan` again to see the current state',
      details: changed,
    });
  }
}

function sameState(a: Observed, b: Expect): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'symlink' && b.kind === 'symlink') return a.text === b.text && (b.ino === undefined || (a.ino === b.ino && a.dev === b.dev));
  if (a.kind === 'file' && b.kind === 'file') return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
  return true;
}

class Runner {
  readonly result: ApplyResult = { created: [], replaced: [], deleted: [], adopted: [], forgotten: [], dirsCreated: [], dirsRemoved: [], filesWritten: [], filesRemoved: [] };
  private readonly knownDirs = new Set<string>();
  private readonly tag = randomBytes(4).toString('hex');
  private counter = 0;
  private steps = 0;

  constructor(
    private readonly plan: Plan,
    private readonly opts: ApplyOptions,
    private readonly guards: ApplyGuards,
  ) {}

  async perform(c: Change): Promise<void> {
    const { fs, ledger } = this.opts;
    switch (c.action) {
      case 'delete':
        await this.assertStill(c, c.expect);
        await fs.unlink(c.path);
        this.stepDone(c);
        if (c.recorded !== false) ledger.forgetLink(c.path);
        this.result.deleted.push(c.path);
        return;
      case 'forget':
        ledger.forgetLink(c.path);
        this.result.forgotten.push(c.path);
        return;
      case 'replace':
        await this.swapIn(c);
        this.stepDone(c);
        await this.record(c);
        this.result.replaced.push(c.path);
        return;
      case 'adopt':
        if (c.how !== 'record') {
          await this.swapIn(c);
          this.stepDone(c);
        }
        await this.record(c);
        this.result.adopted.push(c.path);
        return;
      case 'create':
        await this.guards.assertRealFolders(c);
        await this.ensureFolder(c);
        await this.createLink(c.path, c.linkTarget);
        this.stepDone(c);
        await this.record(c);
        this.result.created.push(c.path);
        return;
    }
  }

  /** Remove folders ModelHub created that no declared link needs, if empty; a folder holding anything else becomes the user's. */
  async removeDirs(): Promise<void> {
    for (const d of this.plan.dirs) {
      await this.guards.assertRealFolders(d);
      try {
        await this.opts.fs.rmdir(d.path);
        this.result.dirsRemoved.push(d.path);
      } catch (err) {
        const code = errnoCode(err);
        if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw err;
      }
      this.opts.ledger.forgetDir(d.path);
    }
  }

  /** Record a link the plan made (or took over) in the ledger, with its inode lstat-ed now. */
  private async record(c: Extract<Change, { linkTarget: string; deployment: string }>): Promise<void> {
    const st = this.opts.fs.lstat(c.path);
    if (st?.kind !== 'symlink') throw new ModelHubError('PATH_CHANGED', `${c.path} changed while apply ran; left as it is (the steps before it are done and recorded)`, { path: c.path, hint: 'run `modelhub plan` to see the current state' });
    const declaredPath = c.action === 'adopt' ? (c.declaredPath ?? null) : null;
    this.opts.ledger.recordLink({ target: c.target, path: c.path, linkTarget: c.linkTarget, hash: c.model.hash, deployment: c.deployment, dev: st.dev, ino: st.ino, declaredPath, companionOf: c.companionOf ?? null });
  }

  private stepDone(c: Change): void {
    this.steps++;
    this.opts.onStep?.(this.steps, c);
  }

  /**
   * Right before a removal or replacement: no symlinked folder on the way, the path still as
   * the plan expected, and (for removing or re-pointing a link) still the link ModelHub recorded.
   */
  private async assertStill(c: Change, expect: Expect): Promise<void> {
    await this.guards.assertRealFolders(c);
    const now = observePath(this.opts.fs, c.path, true);
    if (!sameState(now, expect)) {
      throw new ModelHubError('PATH_CHANGED', `${c.path} changed while apply ran; left as it is (the steps before it are done and recorded)`, {
        path: c.path,
        hint: 'run `modelhub plan` to see the current state, then `modelhub apply` again',
      });
    }
    if (c.action === 'delete' || c.action === 'replace') this.guards.assertOwned(c, now);
  }

  private async createLink(path: string, linkTarget: string): Promise<void> {
    try {
      await this.opts.fs.symlink(linkTarget, path);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      throw new ModelHubError('PATH_CHANGED', `${path} appeared while apply ran; left as it is (the steps before it are done and recorded)`, {
        path,
        hint: 'run `modelhub plan` to see what is there now',
      });
    }
  }

  /** Replace what is at the path (re-checked first) by a new link, atomically: temporary link, then rename over. */
  private async swapIn(c: Extract<Change, { linkTarget: string }>): Promise<void> {
    await this.guards.assertRealFolders(c);
    const tmp = join(dirname(c.path), `.${shorten(basename(c.path))}.modelhub-tmp-${this.tag}-${this.counter++}`);
    await this.opts.fs.symlink(c.linkTarget, tmp);
    try {
      await this.assertStill(c, c.expect);
      await this.opts.fs.rename(tmp, c.path);
    } catch (err) {
      await this.opts.fs.unlink(tmp);
      throw err;
    }
  }

  /** Create the missing folders between the target root (which must exist) and the link's folder, recording each. */
  private async ensureFolder(c: Change): Promise<void> {
    const dir = dirname(c.path);
    const target = c.target;
    if (this.knownDirs.has(dir)) return;
    const root = this.guards.rootOf(c);
    const missing: string[] = [];
    for (let d = dir; ; d = dirname(d)) {
      const st = this.opts.fs.lstat(d);
      if (st !== null) {
        // Only the root may be a symlink (assertRealFolders refused any below it just before).
        if (st.kind !== 'dir' && !(st.kind === 'symlink' && d === root)) throw new ModelHubError('PATH_CHANGED', `${d} is not a folder`, { path: d, hint: 'run `modelhub plan` to see the current state' });
        break;
      }
      if (d === root || dirname(d) === d) throw new ModelHubError('TARGET_ROOT_MISSING', `target root ${d} does not exist`, { path: d, hint: 'install the application there, or fix the root in its Target manifest' });
      missing.unshift(d);
    }
    for (const d of missing) {
      try {
        await this.opts.fs.mkdir(d);
      } catch (err) {
        if (errnoCode(err) === 'EEXIST') continue;
        throw err;
      }
      this.opts.ledger.recordDir({ target, path: d });
      this.result.dirsCreated.push(d);
    }
    this.knownDirs.add(dir);
  }
}

/** Keep temporary names under NAME_MAX (255 bytes) for long model names. */
function shorten(name: string): string {
  return Buffer.byteLength(name) <= 180 ? name : Buffer.from(name).subarray(0, 180).toString('utf8').replace(/\uFFFD+$/, '');
}
