import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { errnoCode } from '../core/errors.js';
import { inTransaction, stmt } from '../core/db.js';
import { storeHashOf, storePath, type Hub } from './hub.js';
import { readlinkOrUndefined } from './link-backs.js';
import { hashFileLine } from './store-listing.js';

/** What is at a hash file's path now. */
export type ExistingHashFile = { kind: 'absent' } | { kind: 'file'; text: string } | { kind: 'other'; what: string };

/** One `<file>.sha256` to have. */
export interface HashFileTarget {
  hash: string;
  name: string;
  /** The model file (store file, or source path) the line names. */
  file: string;
  hashFile: string;
  /** `<sha256>  <basename of file>\n` */
  line: string;
  where: 'store' | 'source';
}

export interface HashFilesInput {
  targets: Array<HashFileTarget & { existing: ExistingHashFile }>;
  /** Hash files ModelHub wrote, with the text it wrote. */
  recorded: Map<string, string>;
  /** Model files for which no hash file is planned, and why. */
  skipped: Array<{ path: string; why: string }>;
}

export interface HashFilesPlan {
  /** `new`: nothing there yet. `rewrite`: a hash file ModelHub wrote, unchanged since, whose line changed. */
  write: Array<HashFileTarget & { how: 'new' | 'rewrite' }>;
  unchanged: HashFileTarget[];
  /** Something else is there (another text, a folder, a symlink): never overwritten. */
  conflicts: Array<HashFileTarget & { found: string }>;
  skipped: Array<{ path: string; why: string }>;
}

/**
 * Decide which hash files to write. PURE. An existing file with the right line is left as it
 * is; one ModelHub wrote (recorded, and still holding what it wrote) may be rewritten; anything
 * else at the path is a conflict, reported and never touched.
 */
export function planHashFiles(input: HashFilesInput): HashFilesPlan {
  const plan: HashFilesPlan = { write: [], unchanged: [], conflicts: [], skipped: input.skipped };
  for (const { existing, ...t } of input.targets) {
    if (existing.kind === 'absent') plan.write.push({ ...t, how: 'new' });
    else if (existing.kind === 'file' && existing.text === t.line) plan.unchanged.push(t);
    else if (existing.kind === 'file' && input.recorded.get(t.hashFile) === existing.text) plan.write.push({ ...t, how: 'rewrite' });
    else plan.conflicts.push({ ...t, found: existing.kind === 'file' ? `a hash file ModelHub did not write: ${firstLine(existing.text)}` : existing.what });
  }
  return plan;
}

/**
 * The hash files to have: next to every store file (`where: 'store'`), or next to every source
 * path that still holds the model (`source`: a link-back into the store, or a copy of the
 * recorded size). Reads only.
 */
export function gatherHashFiles(hub: Hub, where: 'store' | 'source'): HashFilesInput {
  const recorded = new Map((stmt(hub.db, 'SELECT path, content FROM hash_files').all() as Array<{ path: string; content: string }>).map((r) => [r.path, r.content]));
  const targets: HashFilesInput['targets'] = [];
  const skipped: HashFilesInput['skipped'] = [];
  const add = (hash: string, name: string, file: string): void => {
    const hashFile = `${file}.sha256`;
    targets.push({ hash, name, file, hashFile, line: hashFileLine(hash, basename(file)), where, existing: observeHashFile(hashFile) });
  };
  if (where === 'store') {
    const rows = stmt(hub.db, 'SELECT sha256, filename FROM models ORDER BY sha256').all() as Array<{ sha256: string; filename: string }>;
    for (const r of rows) {
      const file = storePath(hub.layout, r.sha256, r.filename);
      if (lstatSync(file, { throwIfNoEntry: false })?.isFile() === true) add(r.sha256, r.filename, file);
      else skipped.push({ path: file, why: 'the store file is missing (run `modelhub verify`)' });
    }
  } else {
    const rows = stmt(hub.db, "SELECT s.path, s.state, m.sha256, m.filename, m.file_size FROM model_sources s JOIN models m ON m.id = s.model_id WHERE s.state IN ('linked', 'copied') ORDER BY s.path").all() as Array<{
      path: string;
      state: string;
      sha256: string;
      filename: string;
      file_size: number;
    }>;
    for (const r of rows) {
      const why = sourceProblem(hub, r);
      if (why === undefined) add(r.sha256, r.filename, r.path);
      else skipped.push({ path: r.path, why });
    }
  }
  return { targets, recorded, skipped };
}

function sourceProblem(hub: Hub, r: { path: string; state: string; sha256: string; file_size: number }): string | undefined {
  if (r.state === 'linked') {
    const text = readlinkOrUndefined(r.path);
    return text !== undefined && storeHashOf(hub.layout, resolve(dirname(r.path), text)) === r.sha256 ? undefined : 'no longer a link into the store';
  }
  const st = lstatSync(r.path, { throwIfNoEntry: false });
  return st?.isFile() === true && st.size === r.file_size ? undefined : 'no longer the copy that was scanned';
}

export interface HashFilesResult {
  written: string[];
  /** Paths that changed between the plan and the write: left alone. */
  skipped: string[];
}

/**
 * Write the planned hash files. Each path is checked again right before: a new file is made
 * under a temporary name and hard-linked into place (which fails rather than replace anything
 * that appeared meanwhile); a rewrite is renamed over ModelHub's own file, still unchanged.
 * Each file written is recorded in hash_files. Store-side hash files are read-only like the store.
 */
export function writeHashFiles(hub: Hub, plan: HashFilesPlan): HashFilesResult {
  const result: HashFilesResult = { written: [], skipped: [] };
  const recorded = new Map((stmt(hub.db, 'SELECT path, content FROM hash_files').all() as Array<{ path: string; content: string }>).map((r) => [r.path, r.content]));
  for (const w of plan.write) {
    const now = observeHashFile(w.hashFile);
    const stillOk = w.how === 'new' ? now.kind === 'absent' : now.kind === 'file' && recorded.get(w.hashFile) === now.text;
    if (!stillOk || !place(w, w.how)) {
      result.skipped.push(w.hashFile);
      continue;
    }
    inTransaction(hub.db, () =>
      stmt(hub.db, "INSERT INTO hash_files (path, model_sha256, content) VALUES (?, ?, ?) ON CONFLICT (path) DO UPDATE SET model_sha256 = excluded.model_sha256, content = excluded.content, written_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')").run(
        w.hashFile,
        w.hash,
        w.line,
      ),
    );
    result.written.push(w.hashFile);
  }
  return result;
}

/** Put one hash file in place; false when something appeared at the path meanwhile. */
function place(t: HashFileTarget, how: 'new' | 'rewrite'): boolean {
  const tmp = join(dirname(t.hashFile), `.${basename(t.hashFile)}.modelhub-${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, t.line, { mode: t.where === 'store' ? 0o444 : 0o644, flag: 'wx' });
  try {
    if (how === 'rewrite') {
      renameSync(tmp, t.hashFile);
      return true;
    }
    try {
      linkSync(tmp, t.hashFile);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
      // A filesystem without hard links: create exclusively instead.
      try {
        writeFileSync(t.hashFile, t.line, { mode: t.where === 'store' ? 0o444 : 0o644, flag: 'wx' });
      } catch (e) {
        if (errnoCode(e) === 'EEXIST') return false;
        throw e;
      }
    }
    return true;
  } finally {
    try {
      unlinkSync(tmp);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
  }
}

/** What is at a hash file's path, without following a symlink. */
export function observeHashFile(path: string): ExistingHashFile {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st === undefined) return { kind: 'absent' };
  if (st.isSymbolicLink()) return { kind: 'other', what: 'a symlink' };
  if (st.isDirectory()) return { kind: 'other', what: 'a folder' };
  if (!st.isFile()) return { kind: 'other', what: 'a special file' };
  if (st.size > 4096) return { kind: 'other', what: `a file of ${st.size} bytes` };
  return { kind: 'file', text: readFileSync(path, 'utf8') };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
