import { dirname, resolve } from 'node:path';
import { storeHashOf, type Hub } from '../store/hub.js';
import { getModelBySha } from '../store/inventory.js';
import type { BrokenLink, LinkBackPrunePlan, LinkBackPruneResult } from '../store/link-back-prune.js';
import { errnoCode } from '../core/errors.js';
import { readOnlyFs, type DeployFs, type FsReader } from './fs.js';
import { readRecordedLinks, readRecordedTargets, type Ledger } from './ledger.js';
import { findBrokenLinks, observePath } from './observe.js';
import { ownership } from './ownership.js';
import type { Observed, RecordedLink } from './plan-types.js';

export interface LinkPruneInput {
  /**
   * Recorded deployment links with what is at each path now, whether it resolves, and whether
   * the recorded text points into this hub's store (a link into a store that moved is apply's
   * to re-point, not prune's to remove).
   */
  deployLinks: Array<RecordedLink & { observed: Observed; resolves: boolean; intoStore: boolean }>;
  /** Broken symlinks found in the targets' mapped folders. */
  broken: BrokenLink[];
  /** Names of the models of links that do not resolve, for display. */
  modelNames: Map<string, string>;
}

/** An owned deployment link whose store file is gone: removed, and forgotten in deploy_links. */
export interface PrunableLink {
  path: string;
  text: string;
  target: string;
  hash: string;
  name: string;
}

export interface LinkPrunePlan {
  links: PrunableLink[];
  /** Broken symlinks in the targets' folders ModelHub did not make (or no longer owns): listed, never touched. */
  foreign: BrokenLink[];
}

/** What `prune` shows and does: the deployment links (here) and the link-backs (store/link-back-prune.ts). */
export interface PrunePlan {
  links: PrunableLink[];
  linkBacks: LinkBackPrunePlan['linkBacks'];
  /** Broken symlinks neither part removes: listed, never touched. */
  foreign: BrokenLink[];
}

export interface LinkPruneResult {
  removedLinks: string[];
  /** Paths that changed since the plan was shown: left alone. */
  skipped: Array<{ path: string; why: string }>;
}

export type PruneResult = LinkPruneResult & LinkBackPruneResult;

/**
 * Decide which deployment links prune removes. PURE. Only an owned link (recorded, still
 * holding the recorded text with the recorded inode, naming a file in this hub's store) that no
 * longer resolves; every other broken symlink found is only listed.
 */
export function planLinkPrune(input: LinkPruneInput): LinkPrunePlan {
  const links: PrunableLink[] = [];
  for (const l of input.deployLinks) {
    if (ownership(l, l.observed) === 'not-owned' || l.resolves || !l.intoStore) continue;
    links.push({ path: l.path, text: l.linkTarget, target: l.target, hash: l.hash, name: input.modelNames.get(l.hash) ?? l.hash.slice(0, 12) });
  }
  const proposed = new Set(links.map((l) => l.path));
  return { links: links.sort(byPath), foreign: input.broken.filter((f) => !proposed.has(f.path)).sort(byPath) };
}

/**
 * Read what planLinkPrune needs: the recorded links (deploy_links) with what is at each path,
 * and the broken symlinks below the targets' mapped folders as the last apply mirrored them
 * (deploy_targets, deploy_mappings; recursively). Reads only, through `fs` (read-only unless given).
 */
export function gatherLinkPrune(hub: Hub, fs: FsReader = readOnlyFs()): LinkPruneInput {
  const deployLinks = readRecordedLinks(hub.db).map((l) => {
    const observed = observePath(fs, l.path, true);
    const intoStore = storeHashOf(hub.layout, resolve(dirname(l.path), l.linkTarget)) === l.hash;
    return { ...l, observed, resolves: observed.kind === 'symlink' ? fs.stat(l.path) !== null : true, intoStore };
  });
  const modelNames = new Map<string, string>();
  for (const l of deployLinks) {
    const name = l.resolves ? undefined : getModelBySha(hub.db, l.hash)?.name;
    if (name !== undefined) modelNames.set(l.hash, name);
  }
  const broken: BrokenLink[] = [];
  for (const path of findBrokenLinks(fs, readRecordedTargets(hub.db).flatMap((t) => t.folders))) {
    const text = readlinkIfLink(fs, path);
    if (text !== undefined) broken.push({ path, text });
  }
  return { deployLinks, broken, modelNames };
}

/**
 * The plan `prune` shows, from its two parts: every broken symlink either part found is listed
 * once, unless one of them removes it.
 */
export function combinePrunePlans(links: LinkPrunePlan, linkBacks: LinkBackPrunePlan): PrunePlan {
  const proposed = new Set([...links.links, ...linkBacks.linkBacks].map((l) => l.path));
  const foreign = new Map<string, BrokenLink>();
  for (const f of [...links.foreign, ...linkBacks.foreign]) if (!proposed.has(f.path) && !foreign.has(f.path)) foreign.set(f.path, f);
  return { links: links.links, linkBacks: linkBacks.linkBacks, foreign: [...foreign.values()].sort(byPath) };
}

/**
 * Remove the planned deployment links; the caller holds the hub lock. Each is checked again
 * right before it is removed (still the link the ledger records, same text and inode, still
 * broken); the unlink goes through the deployment filesystem interface and the record is
 * forgotten through the ledger only after it succeeded, as apply does.
 */
export async function executeLinkPrune(plan: Pick<LinkPrunePlan, 'links'>, opts: { fs: DeployFs; ledger: Ledger }): Promise<LinkPruneResult> {
  const { fs, ledger } = opts;
  const result: LinkPruneResult = { removedLinks: [], skipped: [] };
  try {
    for (const l of plan.links) {
      const rec = ledger.findLink(l.path);
      if (rec === undefined || rec.linkTarget !== l.text || ownership(rec, observePath(fs, l.path, true)) === 'not-owned' || fs.stat(l.path) !== null) {
        result.skipped.push({ path: l.path, why: 'changed since the plan was shown' });
        continue;
      }
      await fs.unlink(l.path);
      ledger.forgetLink(l.path);
      result.removedLinks.push(l.path);
    }
  } finally {
    ledger.flush();
  }
  return result;
}

/** The text of the symlink at `path`, or undefined when it is gone or no longer a symlink. */
function readlinkIfLink(fs: FsReader, path: string): string | undefined {
  try {
    return fs.readlink(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'EINVAL' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
