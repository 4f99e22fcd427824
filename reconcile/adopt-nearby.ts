import { join } from 'node:path';
import { isWithin } from '../core/fs-identity.js';
import { isEjectedCopy, type EjectedFile } from '../store/ejected.js';
import type { DesiredLink } from './desired.js';
import type { FolderListing, FsReader } from './fs.js';
import type { TargetSpec } from './manifest-types.js';
import type { NearbyFind, Observed, RecordedLink } from './plan-types.js';

export interface NearbyInput {
  fs: FsReader;
  desired: DesiredLink[];
  recorded: RecordedLink[];
  /** What observe found at every desired and recorded path. */
  paths: Map<string, Observed>;
  targets: TargetSpec[];
  /** Finished ejections by path (an ejected copy holds its model's declared path). */
  ejected: ReadonlyMap<string, EjectedFile>;
  /** Hash same-size regular files to prove them identical (`--adopt`). */
  adopt: boolean;
  /** Observe's cached folder listings. */
  list(dir: string): FolderListing;
  /** Whether a folder between the target root and `dir` (or `dir`) is a symlink. */
  symlinkAbove(target: string, dir: string): boolean;
  /** Store files observe found missing (nothing can be identical to them). */
  missingStoreFiles: Set<string>;
}

/** Preference among several finds for one declared link: nothing to change on disk first. */
const RANK: Record<NearbyFind['kind'], number> = { link: 0, ejected: 1, hardlink: 2, file: 3 };

/**
 * For every declared link whose path is empty, the user's own copy of its model elsewhere under
 * the same mapped folder, if there is one (`loras/flux/x.safetensors` for a declared
 * `loras/x.safetensors`): a symlink resolving to the model's store file, a hard link to it, an
 * ejected copy, or (with `adopt`, hashed) a regular file with the model's bytes; without `adopt`
 * a regular file of the model's size is reported unproven. Identity is (dev, ino) of the store
 * file reached, or the SHA-256, never a path string. Each mapped folder holding such a declared
 * link is walked once (symlinked folders are not entered), whatever the number of links; a
 * declared link already stood for by an adopted link recorded elsewhere is not looked for.
 * Reads only. Keys: declared paths.
 */
export async function findNearby(input: NearbyInput): Promise<Map<string, NearbyFind>> {
  const found = new Map<string, NearbyFind>();
  const wanted = wantedLinks(input);
  if (wanted.length === 0) return found;
  const folders = new Map<string, Entry[]>();
  for (const { folder } of wanted) if (!folders.has(folder)) folders.set(folder, listEntries(input, folder));
  // The store files are looked at only when the folders hold anything (a first deploy walks empty folders).
  if (![...folders.values()].some((entries) => entries.length > 0)) return found;
  const byStoreId = new Map<string, string>();
  const sizeOf = new Map<string, number>();
  for (const { link } of wanted) {
    const st = input.fs.stat(link.storeFile);
    if (st?.kind !== 'file') continue;
    byStoreId.set(`${st.dev}:${st.ino}`, link.model.hash);
    sizeOf.set(link.model.hash, st.size);
  }
  const sizes = new Set(sizeOf.values());
  const taken = new Set<string>([...input.paths.keys()]);
  const indexed = new Map<string, CandidateIndex>();
  for (const { link, folder } of wanted) {
    let index = indexed.get(folder);
    if (index === undefined) indexed.set(folder, (index = indexCandidates(classify(input, folders.get(folder) ?? [], byStoreId, sizes))));
    const size = sizeOf.get(link.model.hash);
    const mine = [...(index.byHash.get(link.model.hash) ?? []), ...(size === undefined ? [] : (index.bySize.get(size) ?? []))].filter((c) => !taken.has(c.path));
    mine.sort((a, b) => RANK[a.kind] - RANK[b.kind] || (a.path < b.path ? -1 : 1));
    for (const c of mine) {
      const find = await prove(input, c, link);
      if (find === undefined) continue;
      found.set(link.path, find);
      taken.add(c.path);
      break;
    }
  }
  return found;
}

interface Candidate {
  path: string;
  kind: NearbyFind['kind'];
  /** Known for links, hard links and ejected copies; a plain file is known by its size only. */
  hash?: string;
  size: number;
  obs: Observed;
}

/** A folder's candidates by model hash, and its plain files by size. */
interface CandidateIndex {
  byHash: Map<string, Candidate[]>;
  bySize: Map<number, Candidate[]>;
}

function indexCandidates(candidates: Candidate[]): CandidateIndex {
  const index: CandidateIndex = { byHash: new Map(), bySize: new Map() };
  const push = <K>(map: Map<K, Candidate[]>, key: K, c: Candidate): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [c]);
    else list.push(c);
  };
  for (const c of candidates) {
    if (c.hash !== undefined) push(index.byHash, c.hash, c);
    else push(index.bySize, c.size, c);
  }
  return index;
}

/** Declared links with nothing at their path, each with the mapped folder it lies in. */
function wantedLinks(input: NearbyInput): Array<{ link: DesiredLink; folder: string }> {
  const standIns = new Set(input.recorded.filter((r) => r.declaredPath != null).map((r) => `${r.target}\0${r.declaredPath}`));
  const out: Array<{ link: DesiredLink; folder: string }> = [];
  for (const d of input.desired) {
    if ((input.paths.get(d.path)?.kind ?? 'absent') !== 'absent' || standIns.has(`${d.target}\0${d.path}`) || input.missingStoreFiles.has(d.storeFile)) continue;
    const folder = mappedFolderOf(input.targets.find((t) => t.name === d.target), d.path);
    if (folder !== undefined && !input.symlinkAbove(d.target, folder)) out.push({ link: d, folder });
  }
  return out;
}

/** The deepest mapped folder of `target` that `path` lies below. */
function mappedFolderOf(target: TargetSpec | undefined, path: string): string | undefined {
  if (target === undefined) return undefined;
  let best: string | undefined;
  for (const f of new Set(Object.values(target.mappings))) {
    const dir = f === '' ? target.root : join(target.root, f);
    if (path !== dir && isWithin(path, dir) && (best === undefined || dir.length > best.length)) best = dir;
  }
  return best;
}

interface Entry {
  path: string;
  kind: 'symlink' | 'file';
}

/** The symlinks and regular files below `folder` (hidden names skipped, symlinked folders not entered). */
function listEntries(input: NearbyInput, folder: string): Entry[] {
  const out: Entry[] = [];
  const stack = [folder];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    const listing = input.list(dir);
    if (typeof listing === 'string') continue;
    for (const [name, kind] of listing) {
      if (name.startsWith('.')) continue;
      if (kind === 'dir') stack.push(join(dir, name));
      else if (kind === 'symlink' || kind === 'file') out.push({ path: join(dir, name), kind });
    }
  }
  return out;
}

/** The entries that may hold a wanted model: links reaching its store file, hard links of it, ejected copies, files of its size. */
function classify(input: NearbyInput, entries: Entry[], byStoreId: Map<string, string>, sizes: Set<number>): Candidate[] {
  const out: Candidate[] = [];
  for (const { path, kind } of entries) {
    if (kind === 'symlink') {
      const st = input.fs.stat(path);
      const hash = st?.kind === 'file' ? byStoreId.get(`${st.dev}:${st.ino}`) : undefined;
      if (st === null || hash === undefined) continue;
      const own = input.fs.lstat(path);
      out.push({ path, kind: 'link', hash, size: st.size, obs: { kind: 'symlink', text: input.fs.readlink(path), ...(own === null ? {} : { dev: own.dev, ino: own.ino }) } });
      continue;
    }
    const st = input.fs.lstat(path);
    if (st?.kind !== 'file') continue;
    const obs: Observed = { kind: 'file', size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
    const ejected = input.ejected.get(path);
    const hardlinked = byStoreId.get(`${st.dev}:${st.ino}`);
    if (hardlinked !== undefined) out.push({ path, kind: 'hardlink', hash: hardlinked, size: st.size, obs });
    else if (ejected !== undefined && isEjectedCopy(ejected, st)) out.push({ path, kind: 'ejected', hash: ejected.hash, size: st.size, obs });
    else if (sizes.has(st.size)) out.push({ path, kind: 'file', size: st.size, obs });
  }
  return out;
}

/** The find for `link`, once a plain file's bytes are proven (hashed, with --adopt); undefined when they are not the model's. */
async function prove(input: NearbyInput, c: Candidate, link: DesiredLink): Promise<NearbyFind | undefined> {
  if (c.kind !== 'file') return { path: c.path, kind: c.kind, identical: true, expect: c.obs };
  if (!input.adopt) return { path: c.path, kind: 'file', identical: false, expect: c.obs };
  const sha256 = await input.fs.hashFile(c.path);
  if (sha256 !== link.model.hash) return undefined;
  return { path: c.path, kind: 'file', identical: true, expect: c.obs.kind === 'file' ? { ...c.obs, sha256 } : c.obs };
}
