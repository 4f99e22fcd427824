import { lstatSync, readdirSync, readlinkSync, type BigIntStats } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { isWithin, resolveReal } from '../core/fs-identity.js';
import { MODEL_EXTENSIONS, formatFromPath } from '../core/vocabulary.js';

/**
 * A path found by scanning, with what lstat said about it and the scan root it was found under:
 * the folder named on the command line, or the folder of a file named there.
 */
export type Found =
  | { kind: 'file'; path: string; root: string; stats: BigIntStats }
  | { kind: 'symlink'; path: string; root: string; target: string }
  | { kind: 'error'; path: string; root: string; error: ModelHubError };

/**
 * Find model files under the given paths (files or folders), without following symlinks.
 * Hidden files and anything inside `exclude` folders (the hub itself) are left out. Every path
 * is absolute; each appears once, in a stable order.
 */
export async function discoverModelFiles(paths: string[], opts: { exclude?: string[]; cwd?: string } = {}): Promise<Found[]> {
  const cwd = opts.cwd ?? process.cwd();
  const exclude = (opts.exclude ?? []).map((p) => resolveReal(p));
  const seen = new Set<string>();
  const found: Found[] = [];
  for (const raw of paths) {
    const abs = resolve(cwd, raw);
    let st: BigIntStats;
    try {
      st = lstatSync(abs, { bigint: true });
    } catch (err) {
      found.push({ kind: 'error', path: abs, root: dirname(abs), error: statError(abs, err) });
      continue;
    }
    const candidates = st.isDirectory() ? listModelPaths(abs) : [{ path: abs, type: 'unknown' as const }];
    const root = st.isDirectory() ? abs : dirname(abs);
    // Exclusion is decided on real paths: the glob never follows symlinks, so a candidate's real
    // location is the real path of the folder named plus its path below it.
    const realAbs = resolveReal(st.isDirectory() ? abs : dirname(abs));
    const realOf = (path: string): string => (st.isDirectory() ? join(realAbs, relative(abs, path)) : join(realAbs, relative(dirname(abs), path)));
    // A folder the user names explicitly is scanned even inside an excluded one (re-registering
    // the store); an excluded folder that is not below it cannot hold a candidate.
    const excluded = st.isDirectory() ? exclude.filter((dir) => !isWithin(realAbs, dir) && isWithin(dir, realAbs)) : exclude.filter((dir) => !isWithin(realAbs, dir));
    for (const { path, type } of candidates) {
      if (seen.has(path) || excluded.some((dir) => isWithin(realOf(path), dir))) continue;
      seen.add(path);
      found.push(type === 'symlink' ? describeLink(path, root) : describe(path, root, path === abs && !st.isDirectory()));
    }
  }
  return found;
}

/** A candidate's type as its folder listing gave it; `unknown` when the listing could not tell. */
type ListedType = 'symlink' | 'unknown';

/**
 * Every entry below `dir` whose name has a model extension (any case): files, symlinks (never
 * followed) and folders so named (reported as errors later). Hidden entries are skipped and
 * hidden folders not entered; a folder that cannot be read is passed over, as a vanished one.
 * Sorted by path, so a scan's order is stable.
 */
function listModelPaths(dir: string): Array<{ path: string; type: ListedType }> {
  const out: Array<{ path: string; type: ListedType }> = [];
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    let entries;
    try {
      entries = readdirSync(next, { withFileTypes: true });
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') continue;
      throw err;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const path = join(next, e.name);
      if (formatFromPath(e.name) !== undefined) out.push({ path, type: e.isSymbolicLink() ? 'symlink' : 'unknown' });
      if (e.isDirectory()) pending.push(path);
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A path its folder listed as a symlink: its target is all a scan needs (an lstat would add a
 * third of a rescan's cost per link). Something else by now is described afresh.
 */
function describeLink(path: string, root: string): Found {
  try {
    return { kind: 'symlink', path, root, target: resolve(dirname(path), readlinkSync(path)) };
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'EINVAL' && code !== 'ENOENT') throw err;
    return describe(path, root, false);
  }
}

/** Classify one path; `explicit` means the user named it (so a wrong extension is reported). */
function describe(path: string, root: string, explicit: boolean): Found {
  let st: BigIntStats;
  try {
    st = lstatSync(path, { bigint: true });
  } catch (err) {
    return { kind: 'error', path, root, error: statError(path, err) };
  }
  if (explicit && formatFromPath(path) === undefined) {
    return {
      kind: 'error',
      path,
      root,
      error: new ModelHubError('NOT_A_MODEL', `${path} does not have a model file extension (${Object.keys(MODEL_EXTENSIONS).join(' ')})`, { path }),
    };
  }
  if (st.isSymbolicLink()) return { kind: 'symlink', path, root, target: resolve(dirname(path), readlinkSync(path)) };
  if (st.isFile()) return { kind: 'file', path, root, stats: st };
  if (st.isDirectory()) {
    return { kind: 'error', path, root, error: new ModelHubError('NOT_A_FILE', `${path} is a directory with a model file extension, not a model file`, { path }) };
  }
  return { kind: 'error', path, root, error: new ModelHubError('NOT_A_FILE', `${path} is not a regular file`, { path }) };
}

function statError(path: string, err: unknown): ModelHubError {
  const code = errnoCode(err);
  if (code === 'ENOENT') return new ModelHubError('NOT_FOUND', `${path} does not exist`, { path });
  if (code === 'EACCES' || code === 'EPERM') return new ModelHubError('UNREADABLE', `${path}: permission denied`, { path });
  if (code === 'ELOOP') return new ModelHubError('SYMLINK_LOOP', `${path}: too many levels of symbolic links`, { path });
  throw err;
}
