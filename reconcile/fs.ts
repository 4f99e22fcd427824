import { lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { errnoCode } from '../core/errors.js';

/** What lstat says about a path (never follows the final symlink). */
export interface FsStat {
  kind: 'symlink' | 'file' | 'dir' | 'other';
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

/**
 * Every filesystem operation `apply` performs on target folders goes through this interface,
 * so a dry run or a recording for tests is a wrapper, not a flag. Errors are Node's own errno
 * errors (`code` ENOENT, EEXIST, ENOTEMPTY, …); `lstat` returns null for a missing path.
 */
export interface DeployFs {
  lstat(path: string): Promise<FsStat | null>;
  /** Names in a folder with their kinds; null when the folder is missing (ENOENT) or not a folder (ENOTDIR). */
  readdir(path: string): Promise<Map<string, FsStat['kind']> | null>;
  readlink(path: string): Promise<string>;
  symlink(linkTarget: string, path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Create one folder (its parent must exist). */
  mkdir(path: string): Promise<void>;
  /** Remove one empty folder. */
  rmdir(path: string): Promise<void>;
}

/**
 * The real filesystem. The calls are synchronous inside async functions on purpose: apply runs
 * alone under the hub lock, and a thread-pool round trip per call would dominate 10,000 links.
 */
export function realFs(): DeployFs {
  return {
    async lstat(path) {
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (st === undefined) return null;
      const kind = st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
      return { kind, size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
    },
    async readdir(path) {
      try {
        const entries = readdirSync(path, { withFileTypes: true });
        return new Map(entries.map((e) => [e.name, e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other'] as const));
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
        throw err;
      }
    },
    async readlink(path) {
      return readlinkSync(path);
    },
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
  };
}

export type FsOp = { op: 'symlink'; linkTarget: string; path: string } | { op: 'rename'; from: string; to: string } | { op: 'unlink' | 'mkdir' | 'rmdir'; path: string };

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
    lstat: async (p) => pretended.get(p) ?? inner.lstat(p),
    readdir: (p) => inner.readdir(p),
    readlink: (p) => inner.readlink(p),
    symlink: (t, p) => write({ op: 'symlink', linkTarget: t, path: p }, () => inner.symlink(t, p)),
    rename: (f, t) => write({ op: 'rename', from: f, to: t }, () => inner.rename(f, t)),
    unlink: (p) => write({ op: 'unlink', path: p }, () => inner.unlink(p)),
    mkdir: (p) => write({ op: 'mkdir', path: p }, () => inner.mkdir(p)),
    rmdir: (p) => write({ op: 'rmdir', path: p }, () => inner.rmdir(p)),
  };
}
