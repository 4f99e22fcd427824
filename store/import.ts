import { chmodSync, closeSync, constants as fsc, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { copyFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { formatFromPath } from '../core/vocabulary.js';
import { hashFile } from './hash.js';
import { stagingName, tempLinkName } from './leftovers.js';
import { storePath, type HubLayout } from './hub.js';
import { stampOf, type FileStamp } from './scan-cache.js';

/** link: move into the store and leave a symlink; move: no symlink; copy: leave the original. */
export type ImportMode = 'link' | 'move' | 'copy';

export interface PlaceResult {
  storeFile: string;
  /** renamed: same filesystem; copied: copied and verified; existing: the store already had it. */
  how: 'renamed' | 'copied' | 'existing';
}

/**
 * Put the content of `src` (already hashed to `sha256`) at `models/<sha256>/<filename>`.
 * Same filesystem: one rename. Otherwise (or in copy mode): copy to a temporary name inside the
 * store, fsync, re-hash the copy, and only then rename it into place. The original is never
 * removed here, and at no instant is the only copy missing or half-written.
 */
export async function placeInStore(layout: HubLayout, src: string, sha256: string, filename: string, mode: ImportMode, stamp: FileStamp, opts: PlaceOptions = {}): Promise<PlaceResult> {
  const existing = opts.absent === true ? undefined : findStoreFile(layout, sha256);
  if (existing !== undefined) return { storeFile: existing, how: 'existing' };
  const storeFile = storePath(layout, sha256, filename);
  mkdirSync(dirname(storeFile), { recursive: true });
  return { storeFile, how: await moveOrCopyInto(layout, src, sha256, storeFile, mode, stamp, opts) };
}

export interface PlaceOptions {
  /**
   * Leave the fsync of the store folder to the caller (a batch syncs each folder once, before
   * any link back is made); the folder is added to this set instead.
   */
  deferSync?: Set<string>;
  /** The caller, holding the hub lock, has just found no store file for this hash: not looked for again. */
  absent?: boolean;
}

/**
 * Replace a damaged store file (its bytes no longer hash to its folder name) with the content
 * of `src`, which was just hashed to `sha256`: the same move-or-verified-copy as an import, so
 * the store path never holds anything but whole, proven bytes. Links into the store keep
 * pointing at the same path and now reach good bytes again.
 */
export async function repairStoreFile(layout: HubLayout, src: string, sha256: string, storeFile: string, mode: ImportMode, stamp: FileStamp, opts: PlaceOptions = {}): Promise<'renamed' | 'copied'> {
  return moveOrCopyInto(layout, src, sha256, storeFile, mode, stamp, opts);
}

/** Same filesystem and not copy mode: one rename, checked after. Otherwise a verified copy. */
async function moveOrCopyInto(layout: HubLayout, src: string, sha256: string, storeFile: string, mode: ImportMode, stamp: FileStamp, opts: PlaceOptions): Promise<'renamed' | 'copied'> {
  if (mode !== 'copy') {
    assertUnchanged(src, stamp);
    try {
      renameSync(src, storeFile);
    } catch (err) {
      if (errnoCode(err) !== 'EXDEV') throw err;
      await copyVerified(layout, src, sha256, storeFile);
      return 'copied';
    }
    assertStillWhole(src, storeFile, stamp);
    chmodSync(storeFile, 0o444);
    if (opts.deferSync !== undefined) opts.deferSync.add(dirname(storeFile));
    else fsyncDir(dirname(storeFile));
    return 'renamed';
  }
  await copyVerified(layout, src, sha256, storeFile);
  return 'copied';
}

/**
 * A writer that still holds the file open keeps writing into it after the rename (into the
 * store). If size or mtime moved since hashing, the file goes back where it was (link(2), which
 * never replaces anything, then unlink) and the import is refused.
 */
export function assertStillWhole(src: string, storeFile: string, stamp: FileStamp): void {
  const now = stampOf(lstatSync(storeFile, { bigint: true }));
  if (now.size === stamp.size && now.mtimeNs === stamp.mtimeNs) return;
  try {
    linkSync(storeFile, src);
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw err;
    throw new ModelHubError('CHANGED_DURING_SCAN', `${src} was still being written while it was imported, and a new file took its name; the growing file is at ${storeFile}`, {
      path: storeFile,
      hint: `once the download has finished, move ${storeFile} back and scan it again`,
    });
  }
  unlinkSync(storeFile);
  throw new ModelHubError('CHANGED_DURING_SCAN', `${src} was still being written while it was imported (size ${stamp.size} → ${now.size}); moved back and left as it is`, {
    path: src,
    hint: 'scan again once the download has finished',
  });
}

/**
 * Copy `src` to `dest` through a staging file in `models/.tmp/` (named for `sha256`, so an
 * interrupted copy is cleaned like any other): copy, fsync, hash the copy, and only when it
 * hashes to `sha256` make it read-only and rename it over `dest`. `src` is never changed.
 */
export async function copyVerified(layout: HubLayout, src: string, sha256: string, storeFile: string): Promise<void> {
  mkdirSync(layout.tmpDir, { recursive: true });
  const tmp = join(layout.tmpDir, stagingName(sha256));
  try {
    await copyFile(src, tmp, fsc.COPYFILE_FICLONE);
    fsyncFile(tmp);
    const copy = await hashFile(tmp);
    if (copy.sha256 !== sha256) {
      throw new ModelHubError('COPY_MISMATCH', `copy of ${src} into the store does not match (expected ${sha256}, got ${copy.sha256}); the original is untouched`, {
        path: src,
        hint: 'the file changed while it was copied, or the disk is failing; run the scan again',
      });
    }
    chmodSync(tmp, 0o444);
    renameSync(tmp, storeFile);
    fsyncDir(dirname(storeFile));
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * Atomically replace `src` with a symlink to `storeFile`: the link is made under a temporary
 * name in the same folder and renamed over `src`. If `src` still exists it must be the file
 * that was hashed (same stamp); its content is already safe in the store. The folder is synced
 * here, or added to `deferSync` for the caller to sync (once per folder for a batch).
 */
export function linkBack(src: string, storeFile: string, stamp?: FileStamp, deferSync?: Set<string>): void {
  if (stamp !== undefined) assertUnchanged(src, stamp);
  const tmp = join(dirname(src), tempLinkName(basename(src)));
  symlinkSync(storeFile, tmp);
  try {
    renameSync(tmp, src);
  } catch (err) {
    unlinkIfThere(tmp);
    throw err;
  }
  syncNowOrLater(dirname(src), deferSync);
}

/** Remove an original whose content is verified in the store (move mode, no link back). */
export function removeOriginal(src: string, stamp: FileStamp, deferSync?: Set<string>): void {
  assertUnchanged(src, stamp);
  unlinkSync(src);
  syncNowOrLater(dirname(src), deferSync);
}

function syncNowOrLater(dir: string, deferSync: Set<string> | undefined): void {
  if (deferSync !== undefined) deferSync.add(dir);
  else fsyncDir(dir);
}

function unlinkIfThere(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // best effort: a leftover temporary link is removed by the next command (store/leftovers.ts)
  }
}

/** Refuse to touch a file that changed since it was hashed. */
function assertUnchanged(path: string, stamp: FileStamp): void {
  const now = stampOf(lstatSync(path, { bigint: true }));
  if (now.dev !== stamp.dev || now.ino !== stamp.ino || now.size !== stamp.size || now.mtimeNs !== stamp.mtimeNs) {
    throw new ModelHubError('CHANGED_DURING_SCAN', `${path} changed while it was being scanned; left as it is`, {
      path,
      hint: 'run the scan again once the file is complete (still downloading?)',
    });
  }
}

/**
 * The model file stored for a hash (`models/<sha256>/<any name with a model extension>`), if
 * there is one. The folder may also hold the model's companions (previews, metadata) and hash
 * files, which never have a model extension.
 */
export function findStoreFile(layout: HubLayout, sha256: string): string | undefined {
  const dir = join(layout.modelsDir, sha256);
  // A hash not stored yet is the common case of a first scan: an lstat answers it without the
  // cost of a thrown ENOENT.
  if (lstatSync(dir, { throwIfNoEntry: false }) === undefined) return undefined;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  for (const name of names.sort()) {
    if (formatFromPath(name) === undefined) continue;
    if (lstatSync(join(dir, name)).isFile()) return join(dir, name);
  }
  return undefined;
}

export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Make a rename durable: fsync the folder holding the new name. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } catch (err) {
    // Some filesystems (and platforms) refuse fsync on a directory; the rename itself already happened.
    if (errnoCode(err) !== 'EINVAL' && errnoCode(err) !== 'EISDIR' && errnoCode(err) !== 'EPERM') throw err;
  } finally {
    closeSync(fd);
  }
}
