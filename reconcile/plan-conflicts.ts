import { dirname } from 'node:path';
import type { LinkClash } from './desired.js';
import type { Conflict, Observed } from './plan-types.js';

/**
 * Paths behind a symlinked folder below their target's root: each such folder becomes one
 * `folder-is-symlink` conflict counting the links behind it. Pure lookups in
 * `symlinkedFolders` (observe puts only folders below roots there), walking up from each path.
 */
export function symlinkedFolderConflicts(symlinkedFolders: ReadonlyMap<string, string>, relativeToRoot: (target: string, path: string) => string) {
  const found = new Map<string, { target: string; links: number }>();
  const folderOf = (path: string): string | undefined => {
    if (symlinkedFolders.size === 0) return undefined;
    for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) if (symlinkedFolders.has(dir)) return dir;
    return undefined;
  };
  return {
    folderOf,
    /** Whether `path` is behind a symlinked folder (then it is counted in that folder's conflict). */
    claim(target: string, path: string): boolean {
      const folder = folderOf(path);
      if (folder === undefined) return false;
      const entry = found.get(folder) ?? { target, links: 0 };
      entry.links++;
      found.set(folder, entry);
      return true;
    },
    conflicts(): Conflict[] {
      return [...found].map(([folder, { target, links }]) => ({
        target,
        path: folder,
        relPath: relativeToRoot(target, folder),
        reason: 'folder-is-symlink' as const,
        found: `symlink -> ${symlinkedFolders.get(folder)}; apply never works through it (${links} link${links === 1 ? '' : 's'} behind it)`,
      }));
    },
  };
}

export function clashConflict(clash: LinkClash): Conflict {
  const first = clash.claims[0]!;
  const manyTargets = new Set(clash.claims.map((c) => c.target)).size > 1;
  const who = (c: LinkClash['claims'][number]): string =>
    `${c.model.name} (${c.model.hash.slice(0, 12)}, deployment${c.deployments.length > 1 ? 's' : ''} ${c.deployments.join(', ')}${manyTargets ? `, target ${c.target}` : ''})`;
  return {
    target: first.target,
    path: clash.path,
    relPath: first.relPath,
    reason: 'name-clash',
    found: clash.claims.map(who).join(' and '),
    claims: clash.claims.map((c) => ({ target: c.target, hash: c.model.hash, name: c.model.name, deployments: c.deployments })),
  };
}

export function describeObstacle(obs: Observed): Pick<Conflict, 'reason' | 'found'> {
  switch (obs.kind) {
    case 'file':
      return { reason: 'foreign-file', found: `file, ${obs.size} bytes` };
    case 'dir':
      return { reason: 'directory', found: 'a folder' };
    case 'blocked':
      return { reason: 'parent-not-directory', found: 'a parent path is not a folder' };
    default:
      return { reason: 'foreign-file', found: 'a special file' };
  }
}
