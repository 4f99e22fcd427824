/**
 * Whole-tree snapshots, compared before and after a command: the proof that it changed exactly
 * what it reported (housekeeping) and nothing it does not own (deployment scenarios).
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Path → state: `dir`, `link <text>`, or `file <size> <mtime ns> <mode> <sha256>`. */
export type TreeSnapshot = Map<string, string>;

/** Every entry below `dir` (not `dir` itself) for which `skip` is false; a skipped folder is not entered. */
export function snapshotTree(dir: string, skip: (path: string) => boolean = () => false): TreeSnapshot {
  const out: TreeSnapshot = new Map();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (skip(p)) continue;
      const st = lstatSync(p, { bigint: true });
      if (st.isSymbolicLink()) out.set(p, `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(p, 'dir');
        walk(p);
      } else {
        const hash = createHash('sha256').update(readFileSync(p)).digest('hex');
        out.set(p, `file ${st.size} ${st.mtimeNs} ${(st.mode & 0o7777n).toString(8)} ${hash}`);
      }
    }
  };
  walk(dir);
  return out;
}

export interface TreeDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

export function diffTrees(before: TreeSnapshot, after: TreeSnapshot): TreeDiff {
  const d: TreeDiff = { added: [], removed: [], changed: [] };
  for (const [p, v] of before) {
    const now = after.get(p);
    if (now === undefined) d.removed.push(p);
    else if (now !== v) d.changed.push(p);
  }
  for (const p of after.keys()) if (!before.has(p)) d.added.push(p);
  for (const list of [d.added, d.removed, d.changed]) list.sort();
  return d;
}

/** Assert the tree changed by exactly these paths (each list compared as a set). */
export function expectTreeChange(before: TreeSnapshot, after: TreeSnapshot, expected: Partial<TreeDiff>): void {
  expect(diffTrees(before, after)).toEqual({ added: [...(expected.added ?? [])].sort(), removed: [...(expected.removed ?? [])].sort(), changed: [...(expected.changed ?? [])].sort() });
}

/** The entries of `before` that are gone or different in `after` (what was there may not change). */
export function changedEntries(before: TreeSnapshot, after: TreeSnapshot): string[] {
  const d = diffTrees(before, after);
  return [...d.removed, ...d.changed].sort();
}

/** The text of the symlink at `path`, or null when nothing or no symlink is there. */
export function readLinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EINVAL' || code === 'ENOTDIR') return null;
    throw err;
  }
}

export function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}
