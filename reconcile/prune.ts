import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errnoCode } from '../core/errors.js';
import { inTransaction, stmt } from '../core/db.js';
import { storeHashOf, type Hub } from '../store/hub.js';
import { findLinkBacks, pointsAtSomething, readlinkOrUndefined, type LinkBack } from '../store/link-backs.js';
import { realFs, type DeployFs } from './fs.js';
import { readRecordedLink, readRecordedLinks } from './ledger.js';
import { findBrokenLinks, observePath } from './observe.js';
import { ownership } from './ownership.js';
import type { Observed, RecordedLink } from './plan-types.js';

export interface PruneInput {
  /**
   * Recorded deployment links with what is at each path now, whether it resolves, and whether
   * the recorded text points into this hub's store (a link into a store that moved is apply's
   * to re-point, not prune's to remove).
   */
  deployLinks: Array<RecordedLink & { observed: Observed; resolves: boolean; intoStore: boolean }>;
  /** Link-backs on disk now. */
  linkBacks: LinkBack[];
  /** Broken symlinks found in the targets' folders and the folders holding link-backs. */
  broken: Array<{ path: string; text: string }>;
  modelNames: Map<string, string>;
}

export interface PrunePlan {
  /** Owned deployment links whose store file is gone: removed, and forgotten in deploy_links. */
  links: Array<{ path: string; text: string; target: string; hash: string; name: string }>;
  /** Link-backs whose model is soft-deleted or whose store file is gone: removed, and forgotten in model_sources. */
  linkBacks: Array<{ path: string; text: string; hash: string; name: string; reason: 'store-file-missing' | 'model-deleted' }>;
  /** Broken symlinks ModelHub did not make (or no longer owns): listed, never touched. */
  foreign: Array<{ path: string; text: string }>;
}

/**
 * Decide what prune removes. PURE. Only two kinds of symlink are ever proposed: an owned
 * deployment link (recorded, still holding the recorded text with the recorded inode, naming a
 * file in this hub's store) that no longer resolves, and a
 * recorded link-back (still pointing into the store at its model) whose model is deleted or
 * whose store file is gone. Every other broken symlink found is only listed.
 */
export function planPrune(input: PruneInput): PrunePlan {
  const plan: PrunePlan = { links: [], linkBacks: [], foreign: [] };
  const proposed = new Set<string>();
  for (const l of input.deployLinks) {
    if (ownership(l, l.observed) === 'not-owned' || l.resolves || !l.intoStore) continue;
    plan.links.push({ path: l.path, text: l.linkTarget, target: l.target, hash: l.hash, name: input.modelNames.get(l.hash) ?? l.hash.slice(0, 12) });
    proposed.add(l.path);
  }
  for (const b of input.linkBacks) {
    if (b.targetExists && !b.deleted) continue;
    plan.linkBacks.push({ path: b.path, text: b.text, hash: b.hash, name: b.name, reason: b.targetExists ? 'model-deleted' : 'store-file-missing' });
    proposed.add(b.path);
  }
  const seen = new Set<string>();
  for (const f of input.broken) {
    if (proposed.has(f.path) || seen.has(f.path)) continue;
    seen.add(f.path);
    plan.foreign.push(f);
  }
  plan.links.sort(byPath);
  plan.linkBacks.sort(byPath);
  plan.foreign.sort(byPath);
  return plan;
}

/**
 * Read what planPrune needs. The folders searched for foreign broken links are the targets'
 * mapped folders as the last apply recorded them (deploy_targets, deploy_mappings; recursively)
 * and the folders holding recorded link-backs (not recursively).
 */
export function gatherPrune(hub: Hub): PruneInput {
  const deployLinks = readRecordedLinks(hub.db).map((l) => {
    const observed = observePath(l.path, true);
    const intoStore = storeHashOf(hub.layout, resolve(dirname(l.path), l.linkTarget)) === l.hash;
    return { ...l, observed, resolves: observed.kind === 'symlink' ? pointsAtSomething(l.path) : true, intoStore };
  });
  const linkBacks = findLinkBacks(hub);
  const folders = (stmt(hub.db, 'SELECT t.root, m.folder FROM deploy_targets t JOIN deploy_mappings m ON m.target_id = t.id').all() as Array<{ root: string; folder: string }>).map((r) =>
    r.folder === '.' ? r.root : join(r.root, r.folder),
  );
  const brokenPaths = new Set(findBrokenLinks(folders));
  const sourceDirs = new Set((stmt(hub.db, "SELECT path FROM model_sources WHERE state = 'linked'").all() as Array<{ path: string }>).map((r) => dirname(r.path)));
  for (const dir of sourceDirs) for (const p of brokenLinksIn(dir)) brokenPaths.add(p);
  const broken: PruneInput['broken'] = [];
  for (const path of brokenPaths) {
    const text = readlinkOrUndefined(path);
    if (text !== undefined) broken.push({ path, text });
  }
  const modelNames = new Map((stmt(hub.db, 'SELECT sha256, filename FROM models').all() as Array<{ sha256: string; filename: string }>).map((r) => [r.sha256, r.filename]));
  return { deployLinks, linkBacks, broken, modelNames };
}

/** Broken symlinks directly in one folder. */
function brokenLinksIn(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return [];
    throw err;
  }
  return entries.filter((e) => e.isSymbolicLink()).map((e) => join(dir, e.name)).filter((p) => !pointsAtSomething(p));
}

export interface PruneResult {
  removedLinks: string[];
  removedLinkBacks: string[];
  /** Paths that changed since the plan was shown: left alone. */
  skipped: Array<{ path: string; why: string }>;
}

/**
 * Carry out a prune plan; the caller holds the hub lock. Each symlink is checked again right
 * before it is removed (still holding the text planned, still broken or its model still
 * deleted), and its record is dropped only after the unlink succeeded. Removals go through the
 * deployment filesystem interface, like apply's.
 */
export async function executePrune(hub: Hub, plan: PrunePlan, fs: DeployFs = realFs()): Promise<PruneResult> {
  const result: PruneResult = { removedLinks: [], removedLinkBacks: [], skipped: [] };
  for (const l of plan.links) {
    const rec = readRecordedLink(hub.db, l.path);
    if (rec === undefined || rec.linkTarget !== l.text || ownership(rec, observePath(l.path, true)) === 'not-owned' || pointsAtSomething(l.path)) {
      result.skipped.push({ path: l.path, why: 'changed since the plan was shown' });
      continue;
    }
    await fs.unlink(l.path);
    inTransaction(hub.db, () => stmt(hub.db, 'DELETE FROM deploy_links WHERE link_path = ?').run(l.path));
    result.removedLinks.push(l.path);
  }
  for (const b of plan.linkBacks) {
    const row = stmt(hub.db, "SELECT m.deleted FROM model_sources s JOIN models m ON m.id = s.model_id WHERE s.path = ? AND s.state = 'linked' AND m.sha256 = ?").get(b.path, b.hash) as
      | { deleted: number }
      | undefined;
    const still = row !== undefined && readlinkOrUndefined(b.path) === b.text && (b.reason === 'model-deleted' ? row.deleted === 1 : !pointsAtSomething(b.path));
    if (!still) {
      result.skipped.push({ path: b.path, why: 'changed since the plan was shown' });
      continue;
    }
    await fs.unlink(b.path);
    inTransaction(hub.db, () => stmt(hub.db, 'DELETE FROM model_sources WHERE path = ?').run(b.path));
    result.removedLinkBacks.push(b.path);
  }
  return result;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
