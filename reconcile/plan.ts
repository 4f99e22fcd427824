import { basename, dirname, resolve, sep } from 'node:path';
import type { DesiredLink, LinkClash, UnsafeName } from './desired.js';
import { clashConflict, describeObstacle, symlinkedFolderConflicts } from './plan-conflicts.js';
import type { RecordedTarget } from './ledger.js';
import type { TargetSpec } from './manifest-types.js';
import type { OverrideChange } from './overrides.js';
import { planOwnedFiles, type FilePlanInput } from './owned-files.js';
import { ownership } from './ownership.js';
import { emptyPathPlanner, isEjectedAt } from './plan-nearby.js';
import type { EjectedFile } from '../store/ejected.js';
import type { ActualState, Change, CompanionNote, Conflict, DeleteReason, Observed, Plan, PlanTarget, RecordedDir, RecordedLink } from './plan-types.js';

export interface PlanInput {
  desired: DesiredLink[];
  /** Paths several models (or targets) claim: each one conflict, its recorded link left alone. */
  clashes: LinkClash[];
  /** Links refused for their name (planned as `unsafe-name` conflicts). */
  unsafeNames?: UnsafeName[];
  /** Companion links beside the desired links (reconcile/companion-links.ts), and those left out. */
  companionLinks?: DesiredLink[];
  companionSkips?: CompanionNote[];
  recorded: RecordedLink[];
  recordedDirs: RecordedDir[];
  actual: ActualState;
  /** Every target of the manifests (for reasons and the empty-target guard). */
  targets: TargetSpec[];
  /** Targets as deploy_targets last mirrored them: roots of targets the manifests no longer name. */
  recordedTargets: RecordedTarget[];
  deployments: Array<{ name: string; enabled: boolean }>;
  deletedModels: Set<string>;
  /** Names of recorded models, for display of removals. */
  modelNames: Map<string, string>;
  overrideChanges: OverrideChange[];
  /** The files ModelHub writes (desired, recorded, observed); none when not given. */
  files?: FilePlanInput;
  /** Finished ejections by path (store/ejected.ts): a copy still there is left alone. */
  ejected?: ReadonlyMap<string, EjectedFile>;
  fingerprint: string;
  options: { target: string | null; adopt: boolean };
}

const ABSENT: Observed = { kind: 'absent' };

/**
 * Compare desired, recorded and actual state and decide what to do at every path. PURE: no
 * filesystem, no database, no clock. Ownership (reconcile/ownership.ts): a path is ModelHub's
 * when deploy_links records it AND the symlink there holds the recorded text with the recorded
 * inode. Only owned links are ever replaced or deleted; anything else in the way of a desired
 * link is a conflict, and so is every path behind a symlinked folder below a target root (one
 * `folder-is-symlink` conflict per such folder).
 */
export function planReconcile(input: PlanInput): Plan {
  const changes: Change[] = [];
  const conflicts: Conflict[] = [];
  const ejected: NonNullable<Plan['ejected']> = [];
  const planEmpty = emptyPathPlanner({ actual: input.actual, recorded: input.recorded, adopt: input.options.adopt, relativeToRoot: (t, p) => relativeToRoot(input, t, p) });
  const recordedByPath = new Map(input.recorded.map((r) => [r.path, r]));
  const declared = new Map<string, number>();
  /** Per target, the relative paths of declared links that need nothing. */
  const inSync = new Map<string, string[]>();
  const rootConflicts = new Set<string>();
  /** Declared links whose model stands elsewhere (adopted beside it) or is an ejected copy: no companion links for them. */
  const elsewhere = new Set<string>();
  const behind = symlinkedFolderConflicts(input.actual.symlinkedFolders, (target, path) => relativeToRoot(input, target, path));
  for (const clash of input.clashes) {
    recordedByPath.delete(clash.path);
    for (const t of new Set(clash.claims.map((c) => c.target))) declared.set(t, (declared.get(t) ?? 0) + 1);
    conflicts.push(clashConflict(clash));
  }
  for (const u of input.unsafeNames ?? []) {
    recordedByPath.delete(u.path);
    declared.set(u.target, (declared.get(u.target) ?? 0) + 1);
    conflicts.push({ target: u.target, path: u.path, relPath: u.relPath, model: u.model, reason: 'unsafe-name', found: `the link name ${u.reason}` });
  }
  for (const d of input.desired) {
    declared.set(d.target, (declared.get(d.target) ?? 0) + 1);
    const rec = recordedByPath.get(d.path);
    recordedByPath.delete(d.path);
    const model = { hash: d.model.hash, name: d.model.name };
    const base = { target: d.target, path: d.path, relPath: d.relPath, model };
    const obs = input.actual.paths.get(d.path) ?? ABSENT;
    if (input.actual.missingRoots.has(d.target) && obs.kind === 'absent') {
      if (!rootConflicts.has(d.target)) {
        rootConflicts.add(d.target);
        const root = input.targets.find((t) => t.name === d.target)?.root ?? dirname(d.path);
        conflicts.push({ target: d.target, path: root, relPath: '.', reason: 'root-missing', found: 'no such folder' });
      }
      continue;
    }
    if (behind.claim(d.target, d.path)) continue;
    if (input.actual.missingStoreFiles.has(d.storeFile)) {
      conflicts.push({ ...base, reason: 'store-file-missing', found: `${d.storeFile} is missing` });
      continue;
    }
    const link = { linkTarget: d.linkTarget, deployment: d.deployment };
    if (obs.kind === 'absent') {
      const empty = planEmpty(d);
      if (empty.kind !== 'create') elsewhere.add(d.path);
      if (empty.kind === 'stood-for') {
        recordedByPath.delete(empty.record.path);
        pushTo(inSync, d.target, relativeToRoot(input, d.target, empty.record.path));
      } else if (empty.kind === 'ejected') ejected.push(empty.entry);
      else if (empty.kind === 'adopt') changes.push(empty.change);
      else changes.push({ action: 'create', reason: rec === undefined ? 'declared' : 'missing', ...base, ...link, expect: obs, ...(empty.nearby === undefined ? {} : { nearby: empty.nearby }) });
    } else if (obs.kind === 'symlink') {
      const verdict = decideSymlink(d, rec, obs, base);
      if ('change' in verdict) changes.push(verdict.change);
      else if ('conflict' in verdict) conflicts.push(verdict.conflict);
      else pushTo(inSync, d.target, d.relPath);
    } else if (isEjectedAt(input.ejected, d.path, obs)) {
      elsewhere.add(d.path);
      ejected.push({ ...base, declaredRelPath: d.relPath });
      if (rec !== undefined) changes.push({ action: 'forget', reason: 'ejected', ...base, expect: obs });
    } else if (obs.kind === 'file' && input.options.adopt && obs.sha256 === d.model.hash) {
      changes.push({ action: 'adopt', how: 'replace-file', reason: 'duplicate-file', ...base, ...link, expect: obs });
    } else {
      conflicts.push({ ...base, ...describeObstacle(obs) });
    }
  }
  const companionNotes = planCompanionLinks(input, { recordedByPath, behind, elsewhere }, changes);
  for (const r of recordedByPath.values()) if (!behind.claim(r.target, r.path)) changes.push(planRecordedOnly(r, input));
  conflicts.push(...behind.conflicts());
  for (const l of input.actual.leftovers) {
    const hash = hashInStorePath(l.text);
    changes.push({ action: 'delete', reason: 'leftover-temp', recorded: false, target: l.target, path: l.path, relPath: relativeToRoot(input, l.target, l.path), model: { hash, name: input.modelNames.get(hash) ?? basename(l.text) }, expect: { kind: 'symlink', text: l.text } });
  }
  const owned = planOwnedFiles(input.files ?? { desired: [], recorded: [], actual: new Map() }, input.targets);
  conflicts.push(...owned.conflicts);
  changes.sort((a, b) => compare(a.target, b.target) || compare(a.path, b.path));
  conflicts.sort((a, b) => compare(a.target, b.target) || compare(a.path, b.path));
  const dirs = planDirRemovals(input.desired, input.recordedDirs.filter((d) => behind.folderOf(d.path) === undefined && !input.actual.symlinkedFolders.has(d.path)));
  const targets = summarizeTargets(input, declared, inSync);
  const emptyTargets = findEmptyTargets(input, changes, declared);
  return {
    formatVersion: 1,
    // Read from the input when asked (a saved plan, the TUI): computing it is not free.
    get fingerprint(): string {
      return input.fingerprint;
    },
    options: input.options,
    targets,
    changes,
    conflicts,
    dirs,
    overrides: input.overrideChanges,
    files: owned.files,
    emptyTargets,
    ejected: ejected.sort((a, b) => compare(a.target, b.target) || compare(a.path, b.path)),
    unsafe: input.desired.filter((d) => d.model.unsafe === true).map((d) => ({ target: d.target, path: d.path, relPath: d.relPath, model: { hash: d.model.hash, name: d.model.name } })),
    ...(companionNotes.length > 0 ? { companionNotes } : {}),
    summary: { ...summarize(changes, conflicts, [...inSync.values()].reduce((n, paths) => n + paths.length, 0), dirs.length, input.overrideChanges.length), files: owned.files.length },
  };
}

type Verdict = { change: Change } | { conflict: Conflict } | { inSync: true };

/** What to do where a symlink stands at a declared link's path, given its record. */
function decideSymlink(d: DesiredLink, rec: RecordedLink | undefined, obs: Extract<Observed, { kind: 'symlink' }>, base: Pick<Change, 'target' | 'path' | 'relPath' | 'model' | 'companionOf'>): Verdict {
  const link = { linkTarget: d.linkTarget, deployment: d.deployment };
  const owned = rec === undefined ? 'not-owned' : ownership(rec, obs);
  if (obs.text === d.linkTarget) {
    // Exactly the declared link, recorded with its inode: in sync (observe reads the inode only
    // where ownership decides something, so here it may be absent). Otherwise recorded as it is.
    const proven = owned === 'owned' || (obs.ino === undefined && rec !== undefined && rec.ino !== null && rec.linkTarget === obs.text);
    if (proven && rec?.hash === d.model.hash && (rec.companionOf ?? undefined) === d.companionOf) return { inSync: true };
    return { change: { action: 'adopt', how: 'record', reason: rec === undefined ? 'unrecorded-link' : 'record-outdated', ...base, ...link, expect: obs } };
  }
  if (rec !== undefined && owned !== 'not-owned') {
    const reason = rec.hash === d.model.hash ? 'link-changed' : 'model-changed';
    return { change: { action: 'replace', reason, ...base, ...link, previous: { hash: rec.hash, linkTarget: rec.linkTarget }, expect: obs } };
  }
  if (rec === undefined && resolve(dirname(d.path), obs.text) === d.storeFile) return { change: { action: 'adopt', how: 'relink', reason: 'unrecorded-link', ...base, ...link, expect: obs } };
  const copy = rec !== undefined && obs.text === rec.linkTarget ? ' (a copy: not the inode ModelHub made)' : '';
  return { conflict: { ...base, reason: rec === undefined ? 'foreign-symlink' : 'drifted', found: `symlink -> ${obs.text}${copy}` } };
}

/**
 * Companion links are planned like links, except that nothing in their way is a conflict: a
 * user's own file (or link, or folder) at a companion path is left alone and noted, and a record
 * there is forgotten (the user took the path over); a companion whose store copy is missing is
 * noted and its owned link removed. A model whose link stands elsewhere (adopted beside its
 * declared path) or that an eject turned into a real copy gets none. Their paths lie in their model
 * link's folder, so a missing root or a symlinked folder is already the model link's conflict.
 * Returns the notes.
 */
function planCompanionLinks(
  input: PlanInput,
  state: { recordedByPath: Map<string, RecordedLink>; behind: ReturnType<typeof symlinkedFolderConflicts>; elsewhere: Set<string> },
  changes: Change[],
): CompanionNote[] {
  const notes: CompanionNote[] = [...(input.companionSkips ?? [])];
  for (const d of input.companionLinks ?? []) {
    const rec = state.recordedByPath.get(d.path);
    if (state.elsewhere.has(d.companionOf ?? '')) continue;
    state.recordedByPath.delete(d.path);
    if (state.behind.claim(d.target, d.path) || input.actual.missingRoots.has(d.target)) continue;
    const base = { target: d.target, path: d.path, relPath: d.relPath, model: { hash: d.model.hash, name: d.model.name }, companionOf: d.companionOf ?? '' };
    const obs = input.actual.paths.get(d.path) ?? ABSENT;
    let found: string;
    if (input.actual.missingStoreFiles.has(d.storeFile)) found = `store-file-missing: ${d.storeFile} is missing`;
    else if (obs.kind === 'absent') {
      changes.push({ action: 'create', reason: rec === undefined ? 'declared' : 'missing', ...base, linkTarget: d.linkTarget, deployment: d.deployment, expect: obs });
      continue;
    } else if (obs.kind === 'symlink') {
      const verdict = decideSymlink(d, rec, obs, base);
      if ('change' in verdict) changes.push(verdict.change);
      if (!('conflict' in verdict)) continue;
      found = `${verdict.conflict.reason}: ${verdict.conflict.found ?? ''}`;
    } else {
      const obstacle = describeObstacle(obs);
      found = `${obstacle.reason}: ${obstacle.found ?? ''}`;
    }
    notes.push({ ...base, found: `${found}; left alone` });
    if (rec !== undefined) changes.push(planRecordedOnly(rec, input));
  }
  return notes.sort((a, b) => compare(a.path, b.path));
}

/** Whether applying the plan would change anything (links, records, folders or overrides). */
export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0 || plan.dirs.length > 0 || plan.overrides.length > 0 || plan.files.length > 0;
}

/** A recorded link nothing declares any more: delete it if still owned, otherwise only forget it. */
function planRecordedOnly(r: RecordedLink, input: PlanInput): Change {
  const obs = input.actual.paths.get(r.path) ?? ABSENT;
  const base = {
    target: r.target,
    path: r.path,
    relPath: relativeToRoot(input, r.target, r.path),
    model: { hash: r.hash, name: input.modelNames.get(r.hash) ?? basename(r.path) },
    ...(typeof r.companionOf === 'string' ? { companionOf: r.companionOf } : {}),
  };
  if (ownership(r, obs) !== 'not-owned') return { action: 'delete', reason: deleteReason(r, input), recorded: true, ...base, expect: obs };
  if (obs.kind === 'absent' || obs.kind === 'blocked') return { action: 'forget', reason: 'gone', ...base, expect: obs };
  if (isEjectedAt(input.ejected, r.path, obs)) return { action: 'forget', reason: 'ejected', ...base, expect: obs };
  return { action: 'forget', reason: 'changed-by-user', ...base, expect: obs };
}

/** A path relative to its target's root (from the manifests, or as last recorded), or the path itself. */
function relativeToRoot(input: PlanInput, target: string, path: string): string {
  const root = input.targets.find((t) => t.name === target)?.root ?? input.recordedTargets.find((t) => t.name === target)?.root;
  return root !== undefined && path.startsWith(root + sep) ? path.slice(root.length + 1).split(sep).join('/') : path;
}

function deleteReason(r: RecordedLink, input: PlanInput): DeleteReason {
  const target = input.targets.find((t) => t.name === r.target);
  if (target === undefined) return 'target-removed';
  if (!target.enabled) return 'target-disabled';
  if (input.deletedModels.has(r.hash)) return 'model-deleted';
  const dep = r.deployment === null ? undefined : input.deployments.find((d) => d.name === r.deployment);
  if (dep !== undefined && !dep.enabled) return 'deployment-disabled';
  return 'not-declared';
}

/** Recorded folders with no declared link below them, deepest first. */
function planDirRemovals(desired: DesiredLink[], recordedDirs: RecordedDir[]): RecordedDir[] {
  if (recordedDirs.length === 0) return [];
  const needed = new Set<string>();
  for (const d of desired) {
    for (let dir = dirname(d.path); !needed.has(dir); dir = dirname(dir)) {
      needed.add(dir);
      if (dirname(dir) === dir) break;
    }
  }
  return recordedDirs.filter((d) => !needed.has(d.path)).sort((a, b) => b.path.length - a.path.length || compare(a.path, b.path));
}

function summarizeTargets(input: PlanInput, declared: Map<string, number>, inSync: Map<string, string[]>): PlanTarget[] {
  const out: PlanTarget[] = [];
  for (const t of input.targets) {
    if (input.options.target !== null && t.name !== input.options.target) continue;
    const inSyncPaths = inSync.get(t.name) ?? [];
    out.push({ name: t.name, displayName: t.displayName, root: t.root, enabled: t.enabled, folders: [...new Set(Object.values(t.mappings))].sort(), declared: declared.get(t.name) ?? 0, inSync: inSyncPaths.length, inSyncPaths });
  }
  const removed = [...new Set(input.recorded.map((r) => r.target))].filter((n) => !input.targets.some((t) => t.name === n)).sort();
  for (const name of removed) {
    const last = input.recordedTargets.find((t) => t.name === name);
    out.push({ name, displayName: last?.displayName ?? name, root: last?.root ?? '', enabled: null, folders: [], declared: 0, inSync: 0, inSyncPaths: [] });
  }
  return out;
}

/** Targets losing every link because nothing is declared for them (a disabled target is deliberate, so not guarded). */
function findEmptyTargets(input: PlanInput, changes: Change[], declared: Map<string, number>): string[] {
  const losing = new Set(changes.filter((c) => c.action === 'delete' && c.recorded).map((c) => c.target));
  return [...losing].filter((name) => (declared.get(name) ?? 0) === 0 && input.targets.find((t) => t.name === name)?.enabled !== false).sort();
}

function summarize(changes: Change[], conflicts: Conflict[], inSync: number, dirs: number, overrides: number): Omit<Plan['summary'], 'files'> {
  const links = changes.filter((c) => c.companionOf === undefined);
  const count = (a: Change['action']): number => links.filter((c) => c.action === a).length;
  const summary: Omit<Plan['summary'], 'files'> = { create: count('create'), replace: count('replace'), delete: count('delete'), adopt: count('adopt'), forget: count('forget'), conflict: conflicts.length, inSync, dirs, overrides };
  const companions = changes.length - links.length;
  if (companions === 0) return summary;
  const remove = changes.filter((c) => c.companionOf !== undefined && (c.action === 'delete' || c.action === 'forget')).length;
  return { ...summary, companions: { link: companions - remove, remove } };
}

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function hashInStorePath(text: string): string {
  const m = /([0-9a-f]{64})/.exec(text);
  return m?.[1] ?? '';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
