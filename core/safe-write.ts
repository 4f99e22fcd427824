import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type BigIntStats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { ModelHubError, errnoCode } from './errors.js';
import { sameFileId } from './fs-identity.js';

/**
 * Writing a file the user named (`export FILE`, `plan --out FILE`, later manifest edits)
 * without ever replacing something that is not a regular file:
 *
 * - absent, or a regular file: the text goes to a temporary file in the same (resolved)
 *   folder, is flushed, and is renamed into place; an existing file keeps its permission bits.
 *   A reader sees the old content or the new, never half of it.
 * - a symlink to a regular file: the file it resolves to is written that way; the link stays.
 * - anything else (a directory, a FIFO, a socket, a device, a symlink to nothing or to one of
 *   those): refused with ERR_MODELHUB_OUTPUT_REFUSED naming the path and what it is.
 *
 * Right before the rename the destination is checked again: still the same file, or still
 * absent (an absent destination is taken with link(2), which never replaces anything).
 */
export function writeFileSafely(path: string, text: string): void {
  const dest = destinationOf(path);
  const tmp = join(dirname(dest.path), `.${basename(dest.path)}.modelhub-${randomBytes(4).toString('hex')}`);
  try {
    writeTemp(tmp, text, dest.existing === undefined ? undefined : Number(dest.existing.mode & 0o7777n));
    if (dest.existing === undefined) {
      createExclusively(tmp, dest.path, path);
    } else {
      const now = lstatSync(dest.path, { bigint: true, throwIfNoEntry: false });
      if (now === undefined || !now.isFile() || !sameFileId(now, dest.existing)) throw changedMeanwhile(path);
      renameSync(tmp, dest.path);
    }
  } catch (err) {
    removeQuietly(tmp);
    if (err instanceof ModelHubError) throw err;
    const code = errnoCode(err);
    if (code === 'EEXIST') throw changedMeanwhile(path);
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'ENOTDIR') {
      throw new ModelHubError('OUTPUT_FAILED', `cannot write ${path}: ${code}`, { path, hint: 'give a file in an existing, writable folder, or - for stdout' });
    }
    throw err;
  }
}

/** `-` writes to `stdout`; anything else is a path (relative to `cwd`) written by writeFileSafely. Returns the path written, or '-'. */
export function writeOutput(file: string, text: string, io: { cwd: string; stdout: Writable }): string {
  if (file === '-') {
    io.stdout.write(text);
    return '-';
  }
  const path = resolve(io.cwd, file);
  writeFileSafely(path, text);
  return path;
}

/**
 * Put the finished temporary file at `dest`, which must still be absent: link(2) fails rather
 * than replace anything. Where the filesystem has no hard links, a rename after one more check.
 */
function createExclusively(tmp: string, dest: string, shown: string): void {
  try {
    linkSync(tmp, dest);
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    if (lstatSync(dest, { throwIfNoEntry: false }) !== undefined) throw changedMeanwhile(shown);
    renameSync(tmp, dest);
    return;
  }
  unlinkSync(tmp);
}

/** Where the bytes go (symlinks followed), and the regular file there now, if any. */
function destinationOf(path: string): { path: string; existing: BigIntStats | undefined } {
  const own = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  if (own === undefined) return { path: join(realFolder(path), basename(path)), existing: undefined };
  if (own.isFile()) return { path: join(realFolder(path), basename(path)), existing: own };
  if (!own.isSymbolicLink()) throw refused(path, kindOf(own));
  let target: string;
  try {
    target = realpathSync(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') throw refused(path, code === 'ELOOP' ? 'a symlink loop' : 'a symlink to nothing');
    throw err;
  }
  const st = statSync(target, { bigint: true });
  if (!st.isFile()) throw refused(path, `a symlink to ${kindOf(st)} (${target})`);
  return { path: target, existing: st };
}

function realFolder(path: string): string {
  try {
    return realpathSync(dirname(path));
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ModelHubError('OUTPUT_FAILED', `cannot write ${path}: its folder does not exist`, { path, hint: 'give a file in an existing folder, or - for stdout' });
    throw err;
  }
}

function writeTemp(tmp: string, text: string, mode: number | undefined): void {
  const fd = openSync(tmp, 'wx', 0o666);
  try {
    const buf = Buffer.from(text);
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (mode !== undefined) chmodSync(tmp, mode);
}

/** What a non-regular entry is, in words. */
function kindOf(st: BigIntStats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symlink';
  return 'not a regular file';
}

function refused(path: string, what: string): ModelHubError {
  return new ModelHubError('OUTPUT_REFUSED', `${path} is ${what}; ModelHub writes only regular files`, { path, hint: 'give the path of a regular file (or of a new one), or - for stdout' });
}

function changedMeanwhile(path: string): ModelHubError {
  return new ModelHubError('OUTPUT_REFUSED', `${path} changed while it was being written; nothing was replaced`, { path, hint: 'run the command again' });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}
