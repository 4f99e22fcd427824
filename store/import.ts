import { constants as fsc } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, open, readdir, rename, symlink, unlink } from 'node:fs/promises';
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
export async function placeInStore(layout: HubLayout, src: string, sha256: string, filename: string, mode: ImportMode, stamp: FileStamp): Promise<PlaceResult> {
  const existing = await findStoreFile(layout, sha256);
  if (existing !== undefined) return { storeFile: existing, how: 'existing' };
  const storeFile = storePath(layout, sha256, filename);
  await mkdir(dirname(storeFile), { recursive: true });
  return { storeFile, how: await moveOrCopyInto(layout, src, sha256, storeFile, mode, stamp) };
}

/**
 * Replace a damaged store file (its bytes no longer hash to its folder name) with the content
 * of `src`, which was just hashed to `sha256`: the same move-or-verified-copy as an import, so
 * the store path never holds anything but whole, proven bytes. Links into the store keep
 * pointing at the same path and now reach good bytes again.
 */
export async function repairStoreFile(layout: HubLayout, src: string, sha256: string, storeFile: string, mode: ImportMode, stamp: FileStamp): Promise<'renamed' | 'copied'> {
  return moveOrCopyInto(layout, src, sha256, storeFile, mode, stamp);
}

/** Same filesystem and not copy mode: one rename, checked after. Otherwise a verified copy. */
async function moveOrCopyInto(layout: HubLayout, src: string, sha256: string, storeFile: string, mode: ImportMode, stamp: FileStamp): Promise<'renamed' | 'copied'> {
  if (mode !== 'copy') {
    await assertUnchanged(src, stamp);
    try {
      await rename(src, storeFile);
    } catch (err) {
      if (errnoCode(err) !== 'EXDEV') throw err;
      await copyVerified(layout, src, sha256, storeFile);
      return 'copied';
    }
    await assertStillWhole(src, storeFile, stamp);
    await chmod(storeFile, 0o444);
    await fsyncDir(dirname(storeFile));
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
export async function assertStillWhole(src: string, storeFile: string, stamp: FileStamp): Promise<void> {
  const now = stampOf(await lstat(storeFile, { bigint: true }));
  if (now.size === stamp.size && now.mtimeNs === stamp.mtimeNs) return;
  try {
    await link(storeFile, src);
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw err;
    throw new ModelHubError('CHANGED_DURING_SCAN', `${src} was still being written while it was imported, and a new file took its name; the growing file is at ${storeFile}`, {
      path: storeFile,
      hint: `once the download has finished, move ${storeFile} back and scan it again`,
    });
  }
  await unlink(storeFile);
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
  await mkdir(layout.tmpDir, { recursive: true });
  const tmp = join(layout.tmpDir, stagingName(sha256));
  try {
    await copyFile(src, tmp, fsc.COPYFILE_FICLONE);
    await fsyncFile(tmp);
    const copy = await hashFile(tmp);
    if (copy.sha256 !== sha256) {
      throw new ModelHubError('COPY_MISMATCH', `copy of ${src} into the store does not match (expected ${sha256}, got ${copy.sha256}); the original is untouched`, {
        path: src,
        hint: 'the file changed while it was copied, or the disk is failing; run the scan again',
      });
    }
    await chmod(tmp, 0o444);
    await rename(tmp, storeFile);
    await fsyncDir(dirname(storeFile));
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * Atomically replace `src` with a symlink to `storeFile`: the link is made under a temporary
 * name in the same folder and renamed over `src`. If `src` still exists it must be the file
 * that was hashed (same stamp); its content is already safe in the store.
 */
export async function linkBack(src: string, storeFile: string, stamp?: FileStamp): Promise<void> {
  if (stamp !== undefined) await assertUnchanged(src, stamp);
  const tmp = join(dirname(src), tempLinkName(basename(src)));
  await symlink(storeFile, tmp);
  try {
    await rename(tmp, src);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(src));
}

/** Remove an original whose content is verified in the store (move mode, no link back). */
export async function removeOriginal(src: string, stamp: FileStamp): Promise<void> {
  await assertUnchanged(src, stamp);
  await unlink(src);
  await fsyncDir(dirname(src));
}

/** Refuse to touch a file that changed since it was hashed. */
async function assertUnchanged(path: string, stamp: FileStamp): Promise<void> {
  const now = stampOf(await lstat(path, { bigint: true }));
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
export async function findStoreFile(layout: HubLayout, sha256: string): Promise<string | undefined> {
  const dir = join(layout.modelsDir, sha256);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  for (const name of names.sort()) {
    if (formatFromPath(name) === undefined) continue;
    const st = await lstat(join(dir, name));
    if (st.isFile()) return join(dir, name);
  }
  return undefined;
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Make a rename durable: fsync the folder holding the new name. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (err) {
    // Some filesystems (and platforms) refuse fsync on a directory; the rename itself already happened.
    if (errnoCode(err) !== 'EINVAL' && errnoCode(err) !== 'EISDIR' && errnoCode(err) !== 'EPERM') throw err;
  } finally {
    await fh.close();
  }
}
