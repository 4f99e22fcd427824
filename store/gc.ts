import { rmdirSync } from 'node:fs';
import { errnoCode } from '../core/errors.js';
import { inTransaction, stmt } from '../core/db.js';
import { readDeployedLinks } from './deployments.js';
import { stagingOwnerOf, type StagingOwner } from './gc-content.js';
import type { Hub } from './hub.js';
import { fsyncDir } from './import.js';
import { findLinkBacks, findSymlinksInto, unlinkIfPresent } from './link-backs.js';
import { listStore, type EntryKind, type StoreListing } from './store-listing.js';

/**
 * Staging files (`models/.tmp/*.partial`) whose name records no owner (written by an earlier
 * ModelHub) are leftovers of an interrupted scan once they are older than this.
 */
export const STAGING_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface GcModel {
  hash: string;
  name: string;
  size: number;
  deleted: boolean;
}

/** Everything gc decides on, gathered from the inventory and the disk. */
export interface GcInput {
  /** Every inventory row. */
  models: GcModel[];
  store: StoreListing;
  /** Owned deployment links (deploy_links). */
  deployLinks: Array<{ path: string; hash: string; target: string }>;
  /** Symlinks on disk now pointing at a candidate: recorded link-backs, and unrecorded links found in known folders. */
  linkBacks: Array<{ path: string; hash: string }>;
  /** The clock, for the age of staging files. */
  now: number;
  /** Only these hashes (delete --hard); staging files are then left out. */
  only?: Set<string> | undefined;
  /**
   * For store folders no inventory row references that hold files: the name of the file whose
   * SHA-256 is the folder's name, or null when no file's is (see gc-content.ts). A folder
   * missing here was not checked (unreadable): it is never removed.
   */
  orphanContent: Map<string, string | null>;
  /** The owner each staging file's name records, by path. */
  stagingOwners: Map<string, StagingOwner>;
  /** --orphans: also remove store folders no inventory row references that hold files. */
  orphans: boolean;
  /** `HUB/models`, for the command that registers unregistered models again. */
  modelsDir: string;
}

/**
 * Why an entry is a candidate: a soft-deleted model; an `unregistered` model (no inventory row,
 * but a file in its folder hashes to the folder's name: a model the inventory forgot); an
 * `orphan` (no inventory row, and no file hashes to the name: damaged, or not a model).
 */
export type GcReason = 'deleted' | 'unregistered' | 'orphan';

/** A store entry gc removes: every file in `models/<sha256>/`, the folder, and the inventory row. */
export interface GcRemoval {
  hash: string;
  /** The model's name, or for an orphan the name of its largest file. */
  name: string;
  reason: GcReason;
  dir: string;
  /** The files removed (the model file, and hash files ModelHub wrote); empty when the folder is already gone. */
  files: Array<{ path: string; size: number }>;
  bytes: number;
}

/** A candidate gc will not remove, and why. */
export interface GcRefusal {
  hash: string;
  name: string;
  reason: GcReason;
  /** Owned links still deploying it (`modelhub apply` removes those of a deleted model). */
  deployed: Array<{ target: string; path: string }>;
  /** Symlinks still pointing at it: link-backs (`modelhub prune` removes those of a deleted model), or links ModelHub has no record of. */
  linkBacks: string[];
  /** Entries in its folder that are not plain files (never removed). */
  unexpected: string[];
  bytes: number;
}

/** A store folder without an inventory row that gc keeps: removed only with --orphans. */
export interface GcKept extends GcRemoval {
  reason: 'unregistered' | 'orphan';
  /** False when its files could not be read to compare their hash with the folder's name (then never removed). */
  checked: boolean;
}

/** A file in `models/.tmp/`, with the owner its name records. */
export interface GcStaging {
  path: string;
  kind: EntryKind;
  size: number;
  ageMs: number;
  owner: StagingOwner;
}

export interface GcPlan {
  remove: GcRemoval[];
  /** Folders without an inventory row kept because --orphans was not given (or they could not be checked). */
  kept: GcKept[];
  refused: GcRefusal[];
  /** Staging files removed: their owner is dead, or (no owner in the name) they are older than a day. */
  staging: GcStaging[];
  /** Every other entry of `models/.tmp/`, shown and kept. */
  stagingKept: GcStaging[];
  /** Bytes freed by the removals and the staging files. */
  bytes: number;
  orphans: boolean;
  modelsDir: string;
}

/**
 * Decide what gc removes. PURE. Candidates are soft-deleted models and store folders no
 * inventory row references. A candidate is refused while an owned link deploys it, while a
 * link-back points at it, or while its folder holds anything but plain files. A folder without
 * a row that holds files is kept unless `orphans` (--orphans) asks for it: when a file in it
 * hashes to its name it is a model the inventory forgot (`unregistered`), otherwise damaged or
 * foreign (`orphan`); an unchecked one is always kept; an empty one goes. Staging files go when
 * their owner is dead (or, without an owner in the name, after a day); all are shown. Nothing
 * outside `models/<sha256>/` folders and `models/.tmp/*.partial` files is ever proposed.
 */
export function planGc(input: GcInput): GcPlan {
  const rows = new Map(input.models.map((m) => [m.hash, m]));
  const inScope = (hash: string): boolean => input.only === undefined || input.only.has(hash);
  const candidates: Array<{ hash: string; name: string; reason: GcReason; dir: string | undefined; checked: boolean }> = [];
  for (const entry of input.store.entries.values()) {
    if (rows.has(entry.hash) || !inScope(entry.hash)) continue;
    const matched = input.orphanContent.get(entry.hash);
    const largest = [...entry.files].sort((a, b) => b.size - a.size)[0];
    const name = matched ?? largest?.name ?? '(empty folder)';
    candidates.push({ hash: entry.hash, name, reason: typeof matched === 'string' ? 'unregistered' : 'orphan', dir: entry.dir, checked: matched !== undefined });
  }
  for (const m of input.models) {
    if (!m.deleted || !inScope(m.hash)) continue;
    candidates.push({ hash: m.hash, name: m.name, reason: 'deleted', dir: input.store.entries.get(m.hash)?.dir, checked: true });
  }
  const plan: GcPlan = { remove: [], kept: [], refused: [], staging: [], stagingKept: [], bytes: 0, orphans: input.orphans, modelsDir: input.modelsDir };
  for (const c of candidates.sort((a, b) => (a.hash < b.hash ? -1 : 1))) {
    const files = input.store.entries.get(c.hash)?.files ?? [];
    const bytes = files.reduce((n, f) => n + (f.kind === 'file' ? f.size : 0), 0);
    const deployed = input.deployLinks.filter((l) => l.hash === c.hash).map((l) => ({ target: l.target, path: l.path }));
    const linkBacks = input.linkBacks.filter((l) => l.hash === c.hash).map((l) => l.path);
    const unexpected = files.filter((f) => f.kind !== 'file').map((f) => f.path);
    if (deployed.length > 0 || linkBacks.length > 0 || unexpected.length > 0) {
      plan.refused.push({ hash: c.hash, name: c.name, reason: c.reason, deployed, linkBacks, unexpected, bytes });
      continue;
    }
    const removal: GcRemoval = { hash: c.hash, name: c.name, reason: c.reason, dir: c.dir ?? '', files: files.map((f) => ({ path: f.path, size: f.size })), bytes };
    if (c.reason !== 'deleted' && files.length > 0 && (!input.orphans || !c.checked)) plan.kept.push({ ...removal, reason: c.reason, checked: c.checked });
    else plan.remove.push(removal);
  }
  if (input.only === undefined) {
    for (const s of input.store.staging) {
      const staged: GcStaging = { path: s.path, kind: s.kind, size: s.size, ageMs: input.now - s.mtimeMs, owner: input.stagingOwners.get(s.path) ?? { state: 'unknown' } };
      const leftover = staged.owner.state === 'dead' || (staged.owner.state === 'unknown' && staged.ageMs > STAGING_MAX_AGE_MS);
      (s.kind === 'file' && s.path.endsWith('.partial') && leftover ? plan.staging : plan.stagingKept).push(staged);
    }
  }
  plan.bytes = plan.remove.reduce((n, r) => n + r.bytes, 0) + plan.staging.reduce((n, s) => n + s.size, 0);
  return plan;
}

/**
 * Read what planGc needs: the inventory rows, the store, owned links, live link-backs and the
 * owners of staging files. Store folders are not hashed here: `orphanContent` comes from
 * gc-content.ts `checkOrphanContent` (or, when carrying out a plan, from the plan shown).
 */
export function gatherGc(hub: Hub, opts: { only?: Set<string>; now?: number; orphans?: boolean; orphanContent?: Map<string, string | null> } = {}): GcInput {
  const models = (stmt(hub.db, 'SELECT sha256, filename, file_size, deleted FROM models ORDER BY sha256').all() as Array<{ sha256: string; filename: string; file_size: number; deleted: number }>).map(
    (r) => ({ hash: r.sha256, name: r.filename, size: r.file_size, deleted: r.deleted === 1 }),
  );
  const deployLinks: GcInput['deployLinks'] = readDeployedLinks(hub.db);
  const store = listStore(hub.layout, opts.only === undefined ? {} : { only: opts.only });
  const known = new Set(models.map((m) => m.hash));
  const candidates = new Set([...models.filter((m) => m.deleted || opts.only?.has(m.hash)).map((m) => m.hash), ...[...store.entries.keys()].filter((h) => !known.has(h))]);
  const recorded = findLinkBacks(hub, candidates).map((l) => ({ path: l.path, hash: l.hash }));
  const listed = new Set([...recorded.map((l) => l.path), ...deployLinks.map((l) => l.path)]);
  const unrecorded = findSymlinksInto(hub, candidates).filter((l) => !listed.has(l.path));
  const linkBacks = [...recorded, ...unrecorded];
  const stagingOwners = new Map(store.staging.map((s) => [s.path, stagingOwnerOf(s.path)]));
  return {
    models,
    store,
    deployLinks,
    linkBacks,
    now: opts.now ?? Date.now(),
    only: opts.only,
    orphanContent: opts.orphanContent ?? new Map(),
    stagingOwners,
    orphans: opts.orphans ?? false,
    modelsDir: hub.layout.modelsDir,
  };
}

export interface GcResult {
  removed: Array<{ hash: string; name: string; bytes: number }>;
  stagingRemoved: string[];
  /** Entries left alone because they changed since the plan was shown. */
  skipped: Array<{ hash: string; name: string; why: string }>;
  freedBytes: number;
}

/**
 * Carry out a gc plan. The caller holds the hub lock. The state is gathered again and planned
 * afresh (with the content verdicts of the plan shown, not hashed twice); an entry is removed
 * only if the fresh plan removes it with exactly the same files (paths and sizes), so nothing
 * that changed since the plan was shown is touched. Files are unlinked, the folder removed, and
 * only then the inventory row and its hash-file records deleted. `adjust` lets delete --hard
 * plan as if its models were already marked deleted. `recovered` are the staging files the
 * lock's clean-up after dead processes has just removed (HubLock.recovered): planned ones among
 * them count as removed.
 */
export async function executeGc(
  hub: Hub,
  plan: GcPlan,
  opts: { only?: Set<string>; adjust?: (input: GcInput) => GcInput; recovered?: Array<{ path: string; size: number }> } = {},
): Promise<GcResult> {
  const orphanContent = new Map(plan.remove.filter((r) => r.reason !== 'deleted').map((r) => [r.hash, r.reason === 'unregistered' ? r.name : null]));
  const gathered = gatherGc(hub, { ...(opts.only === undefined ? {} : { only: opts.only }), orphans: plan.orphans, orphanContent });
  const fresh = planGc(opts.adjust ? opts.adjust(gathered) : gathered);
  const freshByHash = new Map(fresh.remove.map((r) => [r.hash, r]));
  const result: GcResult = { removed: [], stagingRemoved: [], skipped: [], freedBytes: 0 };
  for (const item of plan.remove) {
    const now = freshByHash.get(item.hash);
    if (now === undefined || !sameFiles(now, item)) {
      result.skipped.push({ hash: item.hash, name: item.name, why: now === undefined ? 'it is deployed, linked back, restored or gone now' : 'its store folder changed since the plan was shown' });
      continue;
    }
    await removeEntry(hub, item);
    result.removed.push({ hash: item.hash, name: item.name, bytes: item.bytes });
    result.freedBytes += item.bytes;
  }
  const staleNow = new Set(fresh.staging.map((s) => `${s.path}\0${s.size}`));
  const recovered = new Set((opts.recovered ?? []).map((s) => `${s.path}\0${s.size}`));
  for (const s of plan.staging) {
    const key = `${s.path}\0${s.size}`;
    if (recovered.has(key)) {
      result.stagingRemoved.push(s.path);
      result.freedBytes += s.size;
      continue;
    }
    if (!staleNow.has(key)) continue;
    if (unlinkIfPresent(s.path)) {
      result.stagingRemoved.push(s.path);
      result.freedBytes += s.size;
    }
  }
  return result;
}

async function removeEntry(hub: Hub, item: GcRemoval): Promise<void> {
  for (const f of item.files) unlinkIfPresent(f.path);
  if (item.dir !== '') {
    try {
      rmdirSync(item.dir);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    fsyncDir(hub.layout.modelsDir);
  }
  inTransaction(hub.db, () => {
    stmt(hub.db, 'DELETE FROM models WHERE sha256 = ?').run(item.hash);
    for (const f of item.files) stmt(hub.db, 'DELETE FROM hash_files WHERE path = ?').run(f.path);
  });
}

function sameFiles(a: GcRemoval, b: GcRemoval): boolean {
  const key = (r: GcRemoval): string => r.files.map((f) => `${f.path}\0${f.size}`).sort().join('\n');
  return a.dir === b.dir && key(a) === key(b);
}
