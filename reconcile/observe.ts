import { basename, dirname, join, resolve } from 'node:path';
import { errnoCode } from '../core/errors.js';
import { isWithin } from '../core/fs-identity.js';
import type { DesiredLink } from './desired.js';
import { listFolder, type FolderListing, type FsReader } from './fs.js';
import type { TargetSpec } from './manifest-types.js';
import { findNearby } from './adopt-nearby.js';
import type { EjectedFile } from '../store/ejected.js';
import type { ActualState, Observed, RecordedDir, RecordedLink } from './plan-types.js';

/** Names apply gives a link before renaming it into place: `.NAME.modelhub-tmp-<hex>-<n>`. */
export const TEMP_LINK_PATTERN = /^\..*\.modelhub-tmp-[0-9a-f]+-\d+$/s;

export interface ObserveInput {
  /** Every read goes through it (plan and status pass a read-only one). */
  fs: FsReader;
  desired: DesiredLink[];
  recorded: RecordedLink[];
  recordedDirs: RecordedDir[];
  /** Targets in scope (their roots are checked). */
  targets: TargetSpec[];
  /**
   * Per target, the roots its paths may lie below (the manifests' root, then the root as last
   * recorded): folders are checked for symlinks from the first root holding the path down.
   */
  roots: Map<string, string[]>;
  storeDir: string;
  /** Hash regular files found at desired paths when their size equals the model's (for --adopt). */
  adopt?: { sizes: Map<string, number> } | undefined;
  /** Finished ejections by path: an ejected copy under a mapped folder holds its model's declared path. */
  ejected?: ReadonlyMap<string, EjectedFile>;
}

/**
 * The actual state of every path the planner needs, read through `input.fs` without following
 * the final symlink and without changing anything. The only place planning reads target folders.
 * Each folder is listed once (readdir with file types); then only symlinks cost a readlink and
 * regular files an lstat, so 10,000 links in sync cost one readdir and 10,000 readlinks.
 * Every desired link's store file is checked (once per file, links in sync included): a link
 * whose store file is gone is broken, never "in sync".
 */
export async function observeActual(input: ObserveInput): Promise<ActualState> {
  const { fs } = input;
  const listings = new Listings(fs);
  const folders = new FolderChecks(fs, input.roots);
  const paths = new Map<string, Observed>();
  for (const l of [...input.desired, ...input.recorded]) {
    if (paths.has(l.path) || folders.symlinkAbove(l.target, dirname(l.path))) continue;
    paths.set(l.path, listings.observe(l.path));
  }
  // The inode decides ownership, which matters only where a link may be removed or re-pointed
  // (it does not hold the declared text) or where its record lacks the inode: only there an lstat.
  const declaredText = new Map(input.desired.map((d) => [d.path, d.linkTarget]));
  for (const r of input.recorded) {
    const obs = paths.get(r.path);
    if (obs?.kind === 'symlink' && (r.ino === null || declaredText.get(r.path) !== obs.text)) paths.set(r.path, observePath(fs, r.path, true));
  }
  for (const d of input.recordedDirs) folders.symlinkAbove(d.target, d.path);
  if (input.adopt !== undefined) {
    for (const d of input.desired) {
      const obs = paths.get(d.path);
      if (obs?.kind === 'file' && obs.size === input.adopt.sizes.get(d.model.hash)) paths.set(d.path, { ...obs, sha256: await fs.hashFile(d.path) });
    }
  }
  const missingStoreFiles = new Set<string>();
  const checked = new Set<string>();
  for (const d of input.desired) {
    if (checked.has(d.storeFile)) continue;
    checked.add(d.storeFile);
    // access(2), not stat: the store holds only files, and 10,000 links make 10,000 checks.
    if (!fs.exists(d.storeFile)) missingStoreFiles.add(d.storeFile);
  }
  const missingRoots = new Set<string>();
  for (const t of input.targets) if (t.enabled && fs.stat(t.root)?.kind !== 'dir') missingRoots.add(t.name);
  const nearby = await findNearby({
    fs,
    // Only a model's own link is looked for elsewhere; companion links are never adopted from beside it.
    desired: input.desired.filter((d) => d.companionOf === undefined && !missingRoots.has(d.target)),
    recorded: input.recorded,
    paths,
    targets: input.targets,
    ejected: input.ejected ?? new Map(),
    adopt: input.adopt !== undefined,
    list: (dir) => listings.list(dir),
    symlinkAbove: (target, dir) => folders.symlinkAbove(target, dir),
    missingStoreFiles,
  });
  return { paths, missingStoreFiles, missingRoots, symlinkedFolders: folders.symlinked, leftovers: findLeftovers(input, listings, folders), nearby };
}

/**
 * lstat of every folder between a target root and the folders the plan looks at, once each.
 * The root itself may be a symlink (it is resolved once, by the kernel); a symlink below it is
 * recorded in `symlinked` and nothing behind it is looked at.
 */
class FolderChecks {
  readonly symlinked = new Map<string, string>();
  private readonly kinds = new Map<string, 'dir' | 'symlink' | 'none'>();
  /** Answers per `target\0dir`: 10,000 links share a handful of folders. */
  private readonly answers = new Map<string, boolean>();

  constructor(
    private readonly fs: FsReader,
    private readonly roots: Map<string, string[]>,
  ) {}

  /** Whether `dir` or a folder between it and its target's root is a symlink. */
  symlinkAbove(target: string, dir: string): boolean {
    const key = `${target}\0${dir}`;
    let answer = this.answers.get(key);
    if (answer === undefined) this.answers.set(key, (answer = this.check(target, dir)));
    return answer;
  }

  private check(target: string, dir: string): boolean {
    const root = this.roots.get(target)?.find((r) => dir !== r && isWithin(dir, r));
    if (root === undefined) return false;
    const chain: string[] = [];
    for (let d = dir; d !== root; d = dirname(d)) chain.push(d);
    for (const d of chain.reverse()) {
      const kind = this.kindOf(d);
      if (kind === 'symlink') return true;
      if (kind === 'none') return false;
    }
    return false;
  }

  private kindOf(dir: string): 'dir' | 'symlink' | 'none' {
    let kind = this.kinds.get(dir);
    if (kind !== undefined) return kind;
    let st = null;
    try {
      st = this.fs.lstat(dir);
    } catch (err) {
      if (errnoCode(err) !== 'ENOTDIR') throw err;
    }
    kind = st === null ? 'none' : st.kind === 'symlink' ? 'symlink' : st.kind === 'dir' ? 'dir' : 'none';
    if (kind === 'symlink') this.symlinked.set(dir, this.fs.readlink(dir));
    this.kinds.set(dir, kind);
    return kind;
  }
}

/** Folder listings, read once each; `absent`/`blocked` when the folder (or a parent) is missing or not a folder. */
class Listings {
  private readonly cache = new Map<string, FolderListing>();

  constructor(private readonly fs: FsReader) {}

  list(dir: string): FolderListing {
    let listing = this.cache.get(dir);
    if (listing === undefined) this.cache.set(dir, (listing = listFolder(this.fs, dir)));
    return listing;
  }

  observe(path: string): Observed {
    const listing = this.list(dirname(path));
    if (listing === 'absent') return { kind: 'absent' };
    if (listing === 'blocked') return { kind: 'blocked' };
    if (listing === 'unreadable') return observePath(this.fs, path);
    const kind = listing.get(basename(path));
    if (kind === undefined) return { kind: 'absent' };
    if (kind === 'dir') return { kind: 'dir' };
    if (kind === 'symlink' || kind === 'file') return observePath(this.fs, path);
    return { kind: 'other' };
  }
}

/**
 * What is at one path, through `fs`: readlink first (one syscall for the common in-sync case),
 * lstat otherwise. `withId`: also lstat a symlink for its own dev/ino (what ownership is decided on).
 */
export function observePath(fs: FsReader, path: string, withId = false): Observed {
  try {
    const text = fs.readlink(path);
    if (!withId) return { kind: 'symlink', text };
    const st = fs.lstat(path);
    return st === null ? { kind: 'absent' } : { kind: 'symlink', text, dev: st.dev, ino: st.ino };
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ENOTDIR') return { kind: 'blocked' };
    if (code !== 'EINVAL') throw err;
  }
  const st = fs.lstat(path);
  if (st === null) return { kind: 'absent' };
  if (st.kind === 'file') return { kind: 'file', size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
  if (st.kind === 'dir') return { kind: 'dir' };
  return { kind: 'other' };
}

/** Temporary links an interrupted apply left in the folders of desired or recorded links. */
function findLeftovers(input: ObserveInput, listings: Listings, checks: FolderChecks): ActualState['leftovers'] {
  const folders = new Map<string, string>();
  for (const l of input.desired) folders.set(dirname(l.path), l.target);
  for (const l of input.recorded) folders.set(dirname(l.path), l.target);
  const out: ActualState['leftovers'] = [];
  for (const [folder, target] of folders) {
    if (checks.symlinkAbove(target, folder)) continue;
    const listing = listings.list(folder);
    if (typeof listing === 'string') continue;
    for (const [name, kind] of listing) {
      if (kind !== 'symlink' || !TEMP_LINK_PATTERN.test(name)) continue;
      const path = join(folder, name);
      const obs = observePath(input.fs, path);
      if (obs.kind === 'symlink' && isInside(resolve(folder, obs.text), input.storeDir)) out.push({ target, path, text: obs.text });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Per target, the broken symlinks below its mapped folders (for `status`; see findBrokenLinks). */
export function observeBrokenLinks(fs: FsReader, targets: TargetSpec[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of targets) out.set(t.name, findBrokenLinks(fs, topFolders([...new Set(Object.values(t.mappings))].map((f) => join(t.root, f)))));
  return out;
}

/** Drop folders nested in another listed folder (they are walked anyway). */
function topFolders(folders: string[]): string[] {
  const sorted = [...new Set(folders)].sort();
  return sorted.filter((f) => !sorted.some((o) => o !== f && f.startsWith(`${o}/`)));
}

/**
 * Symlinks below `folders` whose destination does not exist (ModelHub's or anyone's), for
 * `status` and `prune`. Symlinked folders are not followed.
 */
export function findBrokenLinks(fs: FsReader, folders: string[]): string[] {
  const broken: string[] = [];
  const stack = [...new Set(folders)];
  const visited = new Set<string>();
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    if (visited.has(dir)) continue;
    visited.add(dir);
    const listing = listFolder(fs, dir);
    if (typeof listing === 'string') continue;
    for (const [name, kind] of listing) {
      const path = join(dir, name);
      if (kind === 'dir') stack.push(path);
      else if (kind === 'symlink' && fs.stat(path) === null) broken.push(path);
    }
  }
  return broken.sort();
}

function isInside(path: string, dir: string): boolean {
  return path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
