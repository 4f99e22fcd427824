import { readdirSync, readlinkSync, statSync, unlinkSync, type Dirent } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errnoCode } from '../core/errors.js';
import { stmt } from '../core/db.js';
import { readMappedFolders } from './deployments.js';
import { storeHashOf, type Hub } from './hub.js';

/** A link-back: a symlink `scan` left at a model's old path, still pointing into the store at that model. */
export interface LinkBack {
  path: string;
  hash: string;
  name: string;
  /** The text the symlink holds. */
  text: string;
  /** Whether the file it points to exists. */
  targetExists: boolean;
  /** Whether the model is soft-deleted. */
  deleted: boolean;
}

/**
 * The link-backs that are on disk now: sources recorded with state `linked` whose path is still
 * a symlink resolving into the store folder of their model. A recorded path that is gone, or
 * that the user replaced with something else, is not a link-back any more and is left out.
 * Reads only. `hashes` limits the search to those models.
 */
export function findLinkBacks(hub: Hub, hashes?: Set<string>): LinkBack[] {
  const rows = stmt(
    hub.db,
    `SELECT s.path, m.sha256, m.filename, m.deleted FROM model_sources s JOIN models m ON m.id = s.model_id
     WHERE s.state = 'linked' ORDER BY s.path`,
  ).all() as Array<{ path: string; sha256: string; filename: string; deleted: number }>;
  const out: LinkBack[] = [];
  for (const r of rows) {
    if (hashes !== undefined && !hashes.has(r.sha256)) continue;
    const text = readlinkOrUndefined(r.path);
    if (text === undefined || storeHashOf(hub.layout, resolve(dirname(r.path), text)) !== r.sha256) continue;
    out.push({ path: r.path, hash: r.sha256, name: r.filename, text, targetExists: pointsAtSomething(r.path), deleted: r.deleted === 1 });
  }
  return out;
}

/** The text of a symlink, or undefined when the path is missing or not a symlink. */
export function readlinkOrUndefined(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'EINVAL' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Remove the entry at `path` if it is there; false when it was already gone. */
export function unlinkIfPresent(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/** Whether following the symlink at `path` reaches something (false: a broken link). */
export function pointsAtSomething(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return false;
    throw err;
  }
}

/**
 * Symlinks ModelHub has no record of that point into the store folders of `hashes`, found where
 * such links are likely: the targets' mapped folders as last applied (recursively) and the
 * folders holding recorded source paths (not recursively). gc refuses to remove a store entry
 * any of them still points at: a lost record must never cost the only copy of a model.
 */
export function findSymlinksInto(hub: Hub, hashes: Set<string>): Array<{ path: string; hash: string }> {
  if (hashes.size === 0) return [];
  const targetFolders = readMappedFolders(hub.db);
  const sourceFolders = (stmt(hub.db, 'SELECT DISTINCT path FROM model_sources').all() as Array<{ path: string }>).map((r) => dirname(r.path));
  const found = new Map<string, string>();
  const visit = (dir: string, recursive: boolean, seen: Set<string>): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    for (const e of listFolder(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory() && recursive) visit(path, true, seen);
      if (!e.isSymbolicLink()) continue;
      const text = readlinkOrUndefined(path);
      const hash = text === undefined ? undefined : storeHashOf(hub.layout, resolve(dir, text));
      if (hash !== undefined && hashes.has(hash)) found.set(path, hash);
    }
  };
  const seenRecursive = new Set<string>();
  for (const f of targetFolders) visit(f, true, seenRecursive);
  const seenFlat = new Set<string>();
  for (const f of sourceFolders) visit(f, false, seenFlat);
  return [...found].map(([path, hash]) => ({ path, hash })).sort((a, b) => (a.path < b.path ? -1 : 1));
}

function listFolder(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return [];
    throw err;
  }
}
