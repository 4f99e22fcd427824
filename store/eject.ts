import { constants as fsc, lstatSync, readlinkSync, renameSync, statfsSync } from 'node:fs';
import { chmod, copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { abandonEject, finishEject, journalEject, noteEjectCopy, readEjectJournal, type EjectedFile } from './ejected.js';
import { hashFile } from './hash.js';
import type { Hub } from './hub.js';
import { fsyncDir, fsyncFile } from './import.js';
import { ownerIsDead, ownerOf, tempLinkName } from './leftovers.js';
import { unlinkIfPresent } from './link-backs.js';

/** A link to turn into a real copy, as found right before: its text and its own (dev, ino). */
export interface EjectItem {
  path: string;
  hash: string;
  storeFile: string;
  size: number;
  was: EjectedFile['was'];
  text: string;
  dev: number;
  ino: number;
}

export interface EjectStepOptions {
  /** Copies the store file to the temporary name (tests inject a failing one); a plain copy by default. */
  copy?: (from: string, to: string) => Promise<void>;
  /** Bytes free for an unprivileged writer in `dir` (statfs). */
  freeBytes?: (dir: string) => number;
}

/** Bytes an unprivileged writer may still use on the filesystem holding `dir`. */
export function freeBytesIn(dir: string): number {
  const st = statfsSync(dir);
  return Number(st.bavail) * Number(st.bsize);
}

/**
 * Replace the link at `item.path` by a verified real copy of its model, never losing the link
 * before the copy is proven: the eject is journalled (ejected_files, state `copying`), the store
 * file is copied to an owner-tagged temporary name beside the link (`.NAME.modelhub-<host>-<pid>-…`),
 * flushed, hashed and compared with the model's SHA-256; then, only if the link is still the same
 * link (text and inode, re-checked right before), the copy is renamed over it (atomic) and the
 * record finished (a link-back's source becomes a copied source). Any failure before the rename
 * (no space, a short copy, a changed link) removes the temporary file and the journal: the link
 * stays as it was. A crash leaves the journal, which recovery finishes or rolls back.
 * The caller holds the hub lock and has checked that the link is ModelHub's.
 */
export async function ejectLink(hub: Hub, item: EjectItem, opts: EjectStepOptions = {}): Promise<void> {
  const dir = dirname(item.path);
  const free = (opts.freeBytes ?? freeBytesIn)(dir);
  if (free < item.size) throw noSpace(item.path, item.size, free);
  const tmp = join(dir, tempLinkName(basename(item.path)));
  journalEject(hub.db, { path: item.path, hash: item.hash, was: item.was, tempPath: tmp, size: item.size });
  try {
    await (opts.copy ?? plainCopy)(item.storeFile, tmp);
    await chmod(tmp, 0o644);
    fsyncFile(tmp);
    const copied = await hashFile(tmp);
    if (copied.sha256 !== item.hash) {
      throw new ModelHubError('COPY_MISMATCH', `the copy of ${item.storeFile} made for ${item.path} does not match the model (expected ${item.hash}, got ${copied.sha256}); the link is left as it is`, {
        path: item.path,
        hint: 'run `modelhub verify` to check the store, then eject again',
      });
    }
    const st = lstatSync(tmp);
    noteEjectCopy(hub.db, item.path, { dev: st.dev, ino: st.ino });
    assertStillTheLink(item);
    renameSync(tmp, item.path);
  } catch (err) {
    unlinkIfPresent(tmp);
    abandonEject(hub.db, item.path);
    if (errnoCode(err) === 'ENOSPC' || errnoCode(err) === 'EDQUOT') throw noSpace(item.path, item.size, (opts.freeBytes ?? freeBytesIn)(dir));
    throw err;
  }
  fsyncDir(dir);
  finishEject(hub.db, item.path);
}

async function plainCopy(from: string, to: string): Promise<void> {
  await copyFile(from, to, fsc.COPYFILE_EXCL | fsc.COPYFILE_FICLONE);
}

/** Refuse when the path no longer holds the link that was found (another text or another inode). */
function assertStillTheLink(item: EjectItem): void {
  let text: string | undefined;
  let st;
  try {
    st = lstatSync(item.path);
    text = st.isSymbolicLink() ? readlinkSync(item.path) : undefined;
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  if (st !== undefined && text === item.text && st.dev === item.dev && st.ino === item.ino) return;
  throw new ModelHubError('PATH_CHANGED', `${item.path} changed while it was ejected; left as it is`, { path: item.path, hint: 'run `modelhub eject` again to see what is there now' });
}

function noSpace(path: string, size: number, free: number): ModelHubError {
  return new ModelHubError('NO_SPACE', `not enough free space to eject ${path}: its copy needs ${size} bytes, ${free} are free there; the link is left as it is`, {
    path,
    hint: 'free some space on that disk, or eject fewer models at once',
  });
}

/**
 * Finish or roll back the ejects a crash interrupted (journal rows whose temporary copy is named
 * for a dead process): when the path is now the journalled copy (same inode), the rename happened
 * and only the record is finished; otherwise the temporary copy, if still a regular file, is
 * removed and the journal dropped, the link untouched. The caller holds the hub lock.
 */
export function recoverEjects(hub: Hub, isAlive?: (pid: number) => boolean): Array<{ path: string; action: 'finished' | 'rolled-back' }> {
  const out: Array<{ path: string; action: 'finished' | 'rolled-back' }> = [];
  for (const row of readEjectJournal(hub.db)) {
    const owner = row.tempPath === null ? undefined : ownerOf(basename(row.tempPath));
    if (row.tempPath === null || owner === undefined || !ownerIsDead(owner, isAlive)) continue;
    const now = lstatSync(row.path, { throwIfNoEntry: false });
    if (now?.isFile() === true && row.ino !== null && now.ino === row.ino) {
      finishEject(hub.db, row.path);
      out.push({ path: row.path, action: 'finished' });
      continue;
    }
    if (lstatSync(row.tempPath, { throwIfNoEntry: false })?.isFile() === true) unlinkIfPresent(row.tempPath);
    abandonEject(hub.db, row.path);
    out.push({ path: row.path, action: 'rolled-back' });
  }
  return out;
}
