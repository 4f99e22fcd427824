import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errnoCode } from './errors.js';

/**
 * Identity of paths and files. Every question "is this the same file / inside that folder?" is
 * answered here, on resolved paths and (dev, ino), never on the strings the user typed: a hub
 * reached through a symlink, `..`, or a folder named twice must give the same answer.
 */

/**
 * The real path of `path` (symlinks and `..` resolved) even when it does not exist yet: the
 * longest existing ancestor is resolved with realpath(3) and the missing rest appended.
 */
export function resolveReal(path: string): string {
  const abs = resolve(path);
  const missing: string[] = [];
  for (let p = abs; ; p = dirname(p)) {
    try {
      const real = realpathSync.native(p);
      return missing.length === 0 ? real : join(real, ...missing.reverse());
    } catch (err) {
      const code = errnoCode(err);
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ELOOP' && code !== 'EACCES') throw err;
      if (dirname(p) === p) return abs;
      missing.push(basename(p));
    }
  }
}

/**
 * Where the entry `path` itself lives, resolved: its folder's real path plus its own name. The
 * final component is not followed, so for a symlink this is the link's location, not its target.
 */
export function resolveLocation(path: string): string {
  const abs = resolve(path);
  const parent = dirname(abs);
  return parent === abs ? abs : join(resolveReal(parent), basename(abs));
}

/** Whether `path` is `dir` or lies below it, comparing the strings as given (both already resolved). */
export function isWithin(path: string, dir: string): boolean {
  if (path === dir) return true;
  // Absolute, normalized POSIX paths (what planning compares 10,000 times per apply): a prefix test says the same as relative().
  if (sep === '/' && isNormalAbsolute(path) && isNormalAbsolute(dir)) return path.startsWith(dir === '/' ? dir : `${dir}/`);
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** An absolute POSIX path with no `.`, `..` or empty segment and no trailing slash: one `resolve` would leave as it is. */
function isNormalAbsolute(p: string): boolean {
  if (p.charCodeAt(0) !== 47 /* '/' */) return false;
  if (p === '/') return true;
  return !p.endsWith('/') && !p.includes('//') && !p.includes('/./') && !p.includes('/../') && !p.endsWith('/.') && !p.endsWith('/..');
}

/** Whether `path` is `dir` or lies below it, on resolved paths (symlinks and `..` followed in both). */
export function isInsideResolved(path: string, dir: string): boolean {
  return isWithin(resolveReal(path), resolveReal(dir));
}

/** The identity of a file: its device and inode. */
export interface FileId {
  dev: number | bigint;
  ino: number | bigint;
}

/** Whether two stat results describe the same file (same device and inode). */
export function sameFileId(a: FileId, b: FileId): boolean {
  return BigInt(a.dev) === BigInt(b.dev) && BigInt(a.ino) === BigInt(b.ino);
}
