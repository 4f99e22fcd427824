import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmdirSync, statSync, symlinkSync, unlinkSync, type Stats } from 'node:fs';
import { errnoCode } from '../core/errors.js';
import { writeFileSafely } from '../core/safe-write.js';

/** What lstat (or stat) says about a path. */
export interface FsStat {
  kind: 'symlink' | 'file' | 'dir' | 'other';
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

/**
 * Every read of target folders and the store that deployment makes (observe, status, prune,
 * apply's checks) goes through this interface. The reads are synchronous on purpose: a plan of
 * 10,000 links in sync costs one readdir per folder and one readlink per link, and a
 * thread-pool round trip (or even a promise) per call would cost more than the syscall.
 * Errors are Node's own errno errors (`code` ENOTDIR, EACCES, …).
 */
export interface FsReader {
  /** lstat: never follows the final symlink; null for a missing path (ENOENT). */
  lstat(path: string): FsStat | null;
  /** stat: follows symlinks; null when nothing is reachable at the end (ENOENT, ENOTDIR, ELOOP). */
  stat(path: string): FsStat | null;
  /** Whether the path, followed, exists (access(2): cheaper than stat for 10,000 store files). */
  exists(path: string): boolean;
  /** Names in a folder with their kinds; null when the folder is missing (ENOENT). */
  readdir(path: string): Map<string, FsStat['kind']> | null;
  readlink(path: string): string;
  /** SHA-256 (hex) of a file's contents. */
  hashFile(path: string): Promise<string>;
}

/**
 * Every filesystem operation `apply` and `prune` perform on target folders goes through this
 * interface, so a dry run, a recording for tests or a read-only command is a wrapper, not a
 * flag. Errors are Node's own errno errors (`code` ENOENT, EEXIST, ENOTEMPTY, …).
 */
export interface DeployFs extends FsReader {
  symlink(linkTarget: string, path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Create one folder (its parent must exist). */
  mkdir(path: string): Promise<void>;
  /** Remove one empty folder. */
  rmdir(path: string): Promise<void>;
  /**
   * Write a whole text file atomically (a temporary file in the same folder, flushed, renamed
   * into place; an absent path is taken with link(2), which never replaces anything): a reader
   * sees the old text or the new, never half. Refuses anything but a regular file at the path.
   */
  writeFile(path: string, text: string): Promise<void>;
}

/**
 * The real filesystem. The writes are synchronous inside async functions on purpose too: apply
 * runs alone under the hub lock, and a thread-pool round trip per call would dominate 10,000 links.
 */
export function realFs(): DeployFs {
  return {
    lstat: (path) => {
      const st = lstatSync(path, { throwIfNoEntry: false });
      return st === undefined ? null : toStat(st);
    },
    stat: (path) => {
      try {
        const st = statSync(path, { throwIfNoEntry: false });
        return st === undefined ? null : toStat(st);
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'ENOTDIR' || code === 'ELOOP') return null;
        throw err;
      }
    },
    exists: (path) => existsSync(path),
    readdir: (path) => {
      try {
        const entries = readdirSync(path, { withFileTypes: true });
        return new Map(entries.map((e) => [e.name, e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other'] as const));
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') return null;
        throw err;
      }
    },
    readlink: (path) => readlinkSync(path),
    hashFile: (path) =>
      new Promise((resolve, reject) => {
        const hash = createHash('sha256');
        createReadStream(path)
          .on('data', (chunk) => hash.update(chunk))
          .on('error', reject)
          .on('end', () => resolve(hash.digest('hex')));
      }),
    async symlink(linkTarget, path) {
      symlinkSync(linkTarget, path);
    },
    async rename(from, to) {
      renameSync(from, to);
    },
    async unlink(path) {
      unlinkSync(path);
    },
    async mkdir(path) {
      mkdirSync(path);
    },
    async rmdir(path) {
      rmdirSync(path);
    },
    async writeFile(path, text) {
      writeFileSafely(path, text);
    },
  };
}

function toStat(st: Stats): FsStat {
  const kind = st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  return { kind, size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
}

/** What a folder holds, for callers that treat a missing, blocked or unreadable folder apart. */
export type FolderListing = Map<string, FsStat['kind']> | 'absent' | 'blocked' | 'unreadable';

/** List a folder through `fs`: `absent` (ENOENT), `blocked` (a parent or it is not a folder, ENOTDIR), `unreadable` (EACCES). */
export function listFolder(fs: FsReader, dir: string): FolderListing {
  try {
    return fs.readdir(dir) ?? 'absent';
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOTDIR') return 'blocked';
    if (code === 'EACCES') return 'unreadable';
    throw err;
  }
}

/**
 * Reads from `inner`; every write throws, so a command given it cannot write: plan, status and
 * every gather step run on one (chezmoi's ReadOnlySystem). Reaching a write is a bug, hence a
 * plain Error rather than a coded one.
 */
export function readOnlyFs(inner: FsReader = realFs()): DeployFs {
  const refuse = async (op: string, path: string): Promise<never> => {
    throw new Error(`read-only filesystem: ${op} ${path} refused (this command only reads)`);
  };
  return {
    lstat: (p) => inner.lstat(p),
    stat: (p) => inner.stat(p),
    exists: (p) => inner.exists(p),
    readdir: (p) => inner.readdir(p),
    readlink: (p) => inner.readlink(p),
    hashFile: (p) => inner.hashFile(p),
    symlink: (_t, p) => refuse('symlink', p),
    rename: (f) => refuse('rename', f),
    unlink: (p) => refuse('unlink', p),
    mkdir: (p) => refuse('mkdir', p),
    rmdir: (p) => refuse('rmdir', p),
    writeFile: (p) => refuse('writeFile', p),
  };
}

export type FsOp = { op: 'symlink'; linkTarget: string; path: string } | { op: 'rename'; from: string; to: string } | { op: 'unlink' | 'mkdir' | 'rmdir'; path: string } | { op: 'writeFile'; path: string; text: string };

/**
 * Reads from `inner`, records every write in `ops` and, unless `dryRun`, performs it on
 * `inner` too. With `dryRun` nothing is written: "this cannot write" is a property of the object;
 * lstat then answers for the links and folders it pretended to make (inode 0), so a sequence of
 * steps that reads back its own writes runs through.
 */
export function recordingFs(inner: DeployFs, opts: { dryRun?: boolean } = {}): DeployFs & { ops: FsOp[] } {
  const ops: FsOp[] = [];
  const pretended = new Map<string, FsStat>();
  const write = async (op: FsOp, run: () => Promise<void>): Promise<void> => {
    ops.push(op);
    if (!opts.dryRun) await run();
    else if (op.op === 'symlink' || op.op === 'mkdir') pretended.set(op.path, { kind: op.op === 'mkdir' ? 'dir' : 'symlink', size: 0, mtimeMs: 0, dev: 0, ino: 0 });
  };
  return {
    ops,
    lstat: (p) => pretended.get(p) ?? inner.lstat(p),
    stat: (p) => inner.stat(p),
    exists: (p) => inner.exists(p),
    readdir: (p) => inner.readdir(p),
    readlink: (p) => inner.readlink(p),
    hashFile: (p) => inner.hashFile(p),
    symlink: (t, p) => write({ op: 'symlink', linkTarget: t, path: p }, () => inner.symlink(t, p)),
    rename: (f, t) => write({ op: 'rename', from: f, to: t }, () => inner.rename(f, t)),
    unlink: (p) => write({ op: 'unlink', path: p }, () => inner.unlink(p)),
    mkdir: (p) => write({ op: 'mkdir', path: p }, () => inner.mkdir(p)),
    rmdir: (p) => write({ op: 'rmdir', path: p }, () => inner.rmdir(p)),
    writeFile: (p, text) => write({ op: 'writeFile', path: p, text }, () => inner.writeFile(p, text)),
  };
}
