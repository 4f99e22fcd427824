import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../core/errors.js';
import type { HubLayout } from './hub.js';

export type EntryKind = 'file' | 'symlink' | 'dir' | 'other';

/** One entry inside a store folder `models/<sha256>/`. */
export interface StoreFile {
  name: string;
  path: string;
  kind: EntryKind;
  size: number;
  /** Permission bits (e.g. 0o444). */
  mode: number;
  /** Modification time in nanoseconds, as text (exact; compared with models.store_mtime_ns). */
  mtimeNs: string;
  /** For small `*.sha256` files only: their text (to recognise hash files ModelHub wrote). */
  text?: string;
}

/** A folder `models/<sha256>/`. */
export interface StoreEntry {
  hash: string;
  dir: string;
  files: StoreFile[];
}

/** What `models/` holds, read without following symlinks and without changing anything. */
export interface StoreListing {
  entries: Map<string, StoreEntry>;
  /** Entries of `models/` that are neither `<sha256>` folders nor ModelHub's own (`README.txt`, `.tmp/`). */
  other: Array<{ path: string; kind: EntryKind; size: number }>;
  /** Files in the staging folder `models/.tmp/` (copies in progress, or left by an interrupted scan). */
  staging: Array<{ path: string; kind: EntryKind; size: number; mtimeMs: number }>;
}

const SHA_DIR = /^[0-9a-f]{64}$/;
/** Hash files are a line of text; anything longer is not one. */
const HASH_FILE_MAX = 4096;

/**
 * List the store. With `only`, just those hashes' folders are read and `other`/`staging`
 * stay empty (a check of some models, not of the whole store).
 */
export function listStore(layout: HubLayout, opts: { only?: Set<string> } = {}): StoreListing {
  const listing: StoreListing = { entries: new Map(), other: [], staging: [] };
  if (opts.only !== undefined) {
    for (const hash of [...opts.only].sort()) {
      const entry = readEntry(join(layout.modelsDir, hash), hash);
      if (entry !== undefined) listing.entries.set(hash, entry);
    }
    return listing;
  }
  for (const name of readNames(layout.modelsDir)) {
    const path = join(layout.modelsDir, name);
    const st = statOf(path);
    if (st === undefined) continue;
    if (SHA_DIR.test(name) && st.kind === 'dir') {
      const entry = readEntry(path, name);
      if (entry !== undefined) listing.entries.set(name, entry);
    } else if (path === layout.tmpDir && st.kind === 'dir') {
      for (const f of readNames(path)) {
        const fst = statOf(join(path, f));
        if (fst !== undefined) listing.staging.push({ path: join(path, f), kind: fst.kind, size: fst.size, mtimeMs: fst.mtimeMs });
      }
    } else if (!(name === 'README.txt' && st.kind === 'file')) {
      listing.other.push({ path, kind: st.kind, size: st.size });
    }
  }
  return listing;
}

function readEntry(dir: string, hash: string): StoreEntry | undefined {
  const st = statOf(dir);
  if (st === undefined || st.kind !== 'dir') return undefined;
  const files: StoreFile[] = [];
  for (const name of readNames(dir)) {
    const path = join(dir, name);
    const fst = statOf(path);
    if (fst === undefined) continue;
    const file: StoreFile = { name, path, kind: fst.kind, size: fst.size, mode: fst.mode, mtimeNs: fst.mtimeNs };
    if (fst.kind === 'file' && name.endsWith('.sha256') && fst.size <= HASH_FILE_MAX) {
      const text = readSmall(path);
      if (text !== undefined) file.text = text;
    }
    files.push(file);
  }
  return { hash, dir, files };
}

function readNames(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

function statOf(path: string): { kind: EntryKind; size: number; mode: number; mtimeNs: string; mtimeMs: number } | undefined {
  const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  if (st === undefined) return undefined;
  const kind: EntryKind = st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  return { kind, size: Number(st.size), mode: Number(st.mode & 0o7777n), mtimeNs: st.mtimeNs.toString(), mtimeMs: Number(st.mtimeMs) };
}

function readSmall(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'EACCES') return undefined;
    throw err;
  }
}

/**
 * The line `sha256sum -c` expects for a file: the hash, two spaces, the file's name. A name
 * holding a backslash or a newline is escaped the way GNU sha256sum does it (a leading `\\`).
 */
export function hashFileLine(sha256: string, fileName: string): string {
  if (!/[\\\n]/.test(fileName)) return `${sha256}  ${fileName}\n`;
  return `\\${sha256}  ${fileName.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`;
}

/** Whether a store folder's entry is the hash file ModelHub writes for the model file `fileName`. */
export function isOwnHashFile(file: StoreFile, sha256: string, fileName: string, recorded: Set<string>): boolean {
  if (file.kind !== 'file' || file.name !== `${fileName}.sha256`) return false;
  return recorded.has(file.path) || file.text === hashFileLine(sha256, fileName);
}
