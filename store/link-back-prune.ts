import { readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inTransaction, stmt } from '../core/db.js';
import { errnoCode } from '../core/errors.js';
import type { Hub } from './hub.js';
import { findLinkBacks, pointsAtSomething, readlinkOrUndefined, type LinkBack } from './link-backs.js';

/** A symlink whose destination does not exist, with the text it holds. */
export interface BrokenLink {
  path: string;
  text: string;
}

export interface LinkBackPruneInput {
  /** Link-backs on disk now. */
  linkBacks: LinkBack[];
  /** Broken symlinks directly in the folders holding recorded link-backs. */
  broken: BrokenLink[];
}

/** A link-back prune removes: its model is soft-deleted, or its store file is gone. */
export interface PrunableLinkBack {
  path: string;
  text: string;
  hash: string;
  name: string;
  reason: 'store-file-missing' | 'model-deleted';
}

export interface LinkBackPrunePlan {
  /** Removed, and forgotten in model_sources. */
  linkBacks: PrunableLinkBack[];
  /** Broken symlinks found beside link-backs that are not link-backs to remove: listed, never touched. */
  foreign: BrokenLink[];
}

export interface LinkBackPruneResult {
  removedLinkBacks: string[];
  /** Paths that changed since the plan was shown: left alone. */
  skipped: Array<{ path: string; why: string }>;
}

/** Read what planLinkBackPrune needs: the link-backs on disk and the broken symlinks beside them. Reads only. */
export function gatherLinkBackPrune(hub: Hub): LinkBackPruneInput {
  const folders = new Set((stmt(hub.db, "SELECT path FROM model_sources WHERE state = 'linked'").all() as Array<{ path: string }>).map((r) => dirname(r.path)));
  const broken: BrokenLink[] = [];
  for (const dir of folders) {
    for (const path of brokenLinksIn(dir)) {
      const text = readlinkOrUndefined(path);
      if (text !== undefined) broken.push({ path, text });
    }
  }
  return { linkBacks: findLinkBacks(hub), broken };
}

/**
 * Decide which link-backs prune removes. PURE. Only a recorded link-back (still pointing into
 * the store at its model, see findLinkBacks) whose model is deleted or whose store file is gone;
 * every other broken symlink found is only listed.
 */
export function planLinkBackPrune(input: LinkBackPruneInput): LinkBackPrunePlan {
  const linkBacks: PrunableLinkBack[] = [];
  for (const b of input.linkBacks) {
    if (b.targetExists && !b.deleted) continue;
    linkBacks.push({ path: b.path, text: b.text, hash: b.hash, name: b.name, reason: b.targetExists ? 'model-deleted' : 'store-file-missing' });
  }
  const proposed = new Set(linkBacks.map((b) => b.path));
  return { linkBacks: linkBacks.sort(byPath), foreign: input.broken.filter((f) => !proposed.has(f.path)).sort(byPath) };
}

/**
 * Remove the planned link-backs; the caller holds the hub lock. Each is checked again right
 * before (still recorded as linked for its model, still holding the planned text, its model
 * still deleted or its destination still gone), and its model_sources row is dropped only after
 * the unlink succeeded.
 */
export function executeLinkBackPrune(hub: Hub, plan: Pick<LinkBackPrunePlan, 'linkBacks'>): LinkBackPruneResult {
  const result: LinkBackPruneResult = { removedLinkBacks: [], skipped: [] };
  const recorded = stmt(hub.db, "SELECT m.deleted FROM model_sources s JOIN models m ON m.id = s.model_id WHERE s.path = ? AND s.state = 'linked' AND m.sha256 = ?");
  for (const b of plan.linkBacks) {
    const row = recorded.get(b.path, b.hash) as { deleted: number } | undefined;
    const still = row !== undefined && readlinkOrUndefined(b.path) === b.text && (b.reason === 'model-deleted' ? row.deleted === 1 : !pointsAtSomething(b.path));
    if (!still) {
      result.skipped.push({ path: b.path, why: 'changed since the plan was shown' });
      continue;
    }
    unlinkSync(b.path);
    inTransaction(hub.db, () => stmt(hub.db, 'DELETE FROM model_sources WHERE path = ?').run(b.path));
    result.removedLinkBacks.push(b.path);
  }
  return result;
}

/** Broken symlinks directly in one folder (a missing or unreadable folder holds none). */
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

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
