import { basename } from 'node:path';
import { hashMany, type HashRequest } from './hash.js';
import { hostTag, ownerIsDead, ownerOf } from './leftovers.js';
import { isOwnHashFile, type StoreListing } from './store-listing.js';

/**
 * The facts gc gathers from file contents and names before it plans: whether a store folder
 * without an inventory row holds the model its name promises, and who owns a staging file.
 */

/** The owner a staging file's name records: a process of this host (dead or alive), another host's, or none. */
export type StagingOwner = { state: 'dead' | 'alive'; pid: number } | { state: 'elsewhere' } | { state: 'unknown' };

export function stagingOwnerOf(path: string): StagingOwner {
  const owner = ownerOf(basename(path));
  if (owner === undefined) return { state: 'unknown' };
  if (owner.host !== hostTag()) return { state: 'elsewhere' };
  return { state: ownerIsDead(owner) ? 'dead' : 'alive', pid: owner.pid };
}

export interface ContentCheckOptions {
  /** Before hashing: how many files and bytes will be read. */
  onBegin?: (files: number, bytes: number) => void;
  onProgress?: (bytes: number) => void;
  onFileDone?: () => void;
}

/**
 * Hash the plain files (hash files ModelHub wrote aside) of every store folder that no row of
 * `models` references, and answer per folder: the name of the file whose SHA-256 is the
 * folder's name, or null when none is. A folder whose files could not all be read, and that
 * matched none, is left out (unchecked); so are folders without plain files. A folder holding
 * only hash files holds no model: null.
 */
export async function checkOrphanContent(store: StoreListing, registered: ReadonlySet<string>, opts: ContentCheckOptions = {}): Promise<Map<string, string | null>> {
  const requests: Array<HashRequest & { hash: string; name: string }> = [];
  const out = new Map<string, string | null>();
  let bytes = 0;
  for (const entry of store.entries.values()) {
    if (registered.has(entry.hash) || !entry.files.some((f) => f.kind === 'file')) continue;
    out.set(entry.hash, null);
    const files = entry.files.filter((f) => f.kind === 'file' && !(f.name.endsWith('.sha256') && isOwnHashFile(f, entry.hash, f.name.slice(0, -'.sha256'.length), new Set())));
    for (const f of files.sort((a, b) => b.size - a.size)) {
      requests.push({ path: f.path, hash: entry.hash, name: f.name });
      bytes += f.size;
    }
  }
  opts.onBegin?.(requests.length, bytes);
  const results = await hashMany(requests, { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), onResult: () => opts.onFileDone?.() });
  const unreadable = new Set<string>();
  results.forEach((r, i) => {
    const req = requests[i] as (typeof requests)[number];
    if ('error' in r) unreadable.add(req.hash);
    else if (r.sha256 === req.hash && typeof out.get(req.hash) !== 'string') out.set(req.hash, req.name);
  });
  for (const hash of unreadable) if (typeof out.get(hash) !== 'string') out.delete(hash);
  return out;
}
