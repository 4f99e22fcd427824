import { isModelHubError } from '../core/errors.js';
import { readModelHeader } from '../formats/read.js';
import { stmt } from '../core/db.js';
import { readStoredCompanions } from './companions.js';
import { hashMany, type HashFailure, type HashResult } from './hash.js';
import { storePath, type Hub } from './hub.js';
import { isOwnHashFile, listStore, type EntryKind, type StoreListing } from './store-listing.js';

/** A model as verify checks it. */
export interface VerifyRow {
  hash: string;
  name: string;
  size: number;
  deleted: boolean;
  /** models.store_mtime_ns; null for files imported before it was recorded. */
  mtimeNs: string | null;
  /** Source paths recorded as `copied`: independent copies a damaged store file can be restored from. */
  copies: string[];
}

/** `corrupt-format`: the content is what was imported, but it breaks its format (imported before ModelHub checked that). */
export type CorruptionReason = 'hash-mismatch' | 'size-mismatch' | 'mtime-changed' | 'unreadable' | 'corrupt-format';

export interface VerifyReport {
  mode: 'full' | 'fast';
  /** `store`: every model and the whole store folder; `models`: only the models named. */
  scope: 'store' | 'models';
  /** Models checked. */
  checked: number;
  ok: number;
  /** `--fast` only: models checked by size alone (no mtime recorded at import). */
  sizeOnly: number;
  bytesHashed: number;
  /** Inventory rows whose store file is not there. */
  missing: Array<{ hash: string; name: string; path: string; deleted: boolean; found: string | null }>;
  /** Store files whose content (or, with --fast, size or mtime) differs from the record. Never modified. */
  corrupted: Array<{ hash: string; name: string; path: string; reason: CorruptionReason; expected: string; found: string; copies: string[] }>;
  /** Files in the store the inventory does not know. */
  unexpected: Array<{ path: string; kind: EntryKind; size: number; why: string }>;
  /** Warning: store files that are writable (they should be read-only, 0444). */
  permissions: Array<{ path: string; mode: string }>;
  /** Warning: files in the staging folder `models/.tmp/` (a scan in progress, or an interrupted one). */
  staging: Array<{ path: string; size: number }>;
}

/** A store file to hash and compare. */
export interface VerifyCheck {
  hash: string;
  path: string;
  size: number;
}

export interface VerifyOptions {
  fast: boolean;
  /** Full SHA-256s of the models to check; undefined: all models and the whole store. */
  hashes?: string[];
  threads?: number;
  onBegin?: (files: number, bytes: number) => void;
  onProgress?: (bytes: number) => void;
  onFile?: () => void;
}

/**
 * Check the store against the inventory: every model's file is there, with the recorded size
 * and (full mode) SHA-256 or (`fast`) modification time, and a header that follows its format;
 * nothing unknown lies in the store. Reads only: a damaged file is reported, never touched.
 */
export async function verifyStore(hub: Hub, opts: VerifyOptions): Promise<VerifyReport> {
  const only = opts.hashes === undefined ? undefined : new Set(opts.hashes);
  const rows = readVerifyRows(hub, only);
  const listing = listStore(hub.layout, only === undefined ? {} : { only });
  const recorded = new Set((stmt(hub.db, 'SELECT path FROM hash_files').all() as Array<{ path: string }>).map((r) => r.path));
  const storeFile = (r: VerifyRow) => storePath(hub.layout, r.hash, r.name);
  const companions = new Map([...readStoredCompanions(hub.db)].map(([hash, list]) => [hash, new Set(list.map((c) => c.name))]));
  const { report, toHash } = planVerify({ rows, listing, recordedHashFiles: recorded, storeFile, companions }, { fast: opts.fast, scope: only === undefined ? 'store' : 'models' });
  if (toHash.length === 0) return checkFormats(report, rows, storeFile);
  opts.onBegin?.(toHash.length, toHash.reduce((n, c) => n + c.size, 0));
  const results = await hashMany(
    toHash.map((c) => ({ path: c.path })),
    {
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
      onResult: () => opts.onFile?.(),
    },
  );
  return checkFormats(finishVerify(report, toHash, results, rows), rows, storeFile);
}

/**
 * Reads the header of every store file not already reported: one that is intact but breaks its
 * format (CORRUPT, or TRUNCATED inside its header) was damaged before it was scanned.
 */
async function checkFormats(report: VerifyReport, rows: VerifyRow[], storeFile: (row: VerifyRow) => string): Promise<VerifyReport> {
  const reported = new Set([...report.corrupted, ...report.missing].map((c) => c.hash));
  const out: VerifyReport = { ...report, corrupted: [...report.corrupted] };
  for (const row of rows) {
    if (reported.has(row.hash)) continue;
    const path = storeFile(row);
    const err = await readModelHeader(path).then(() => undefined, (e: unknown) => e);
    if (err === undefined) continue;
    if (!isModelHubError(err)) throw err;
    if (err.code !== 'ERR_MODELHUB_CORRUPT' && err.code !== 'ERR_MODELHUB_TRUNCATED') continue;
    const found = err.message.startsWith(`${path}: `) ? err.message.slice(path.length + 2) : err.message;
    out.corrupted.push({ hash: row.hash, name: row.name, path, reason: 'corrupt-format', expected: 'a file that follows its format', found, copies: row.copies });
    out.ok--;
  }
  out.corrupted.sort((a, b) => (a.path < b.path ? -1 : 1));
  return out;
}

export interface VerifyInput {
  rows: VerifyRow[];
  listing: StoreListing;
  /** Paths of hash files ModelHub recorded writing (hash_files). */
  recordedHashFiles: Set<string>;
  storeFile: (row: VerifyRow) => string;
  /** The companion copies (previews, metadata) recorded in each model's folder, by hash: part of the model, not unexpected. */
  companions?: Map<string, Set<string>>;
}

/**
 * Everything verify can decide without reading file contents, and the files left to hash.
 * Pure: the rows and the store listing in, the report so far out.
 */
export function planVerify(input: VerifyInput, opts: { fast: boolean; scope: 'store' | 'models' }): { report: VerifyReport; toHash: VerifyCheck[] } {
  const report: VerifyReport = { mode: opts.fast ? 'fast' : 'full', scope: opts.scope, checked: input.rows.length, ok: 0, sizeOnly: 0, bytesHashed: 0, missing: [], corrupted: [], unexpected: [], permissions: [], staging: [] };
  const toHash: VerifyCheck[] = [];
  const known = new Set<string>();
  for (const row of input.rows) {
    known.add(row.hash);
    const path = input.storeFile(row);
    const entry = input.listing.entries.get(row.hash);
    for (const f of entry?.files ?? []) {
      if (f.name === row.name || isOwnHashFile(f, row.hash, row.name, input.recordedHashFiles) || (f.kind === 'file' && input.companions?.get(row.hash)?.has(f.name) === true)) continue;
      report.unexpected.push({ path: f.path, kind: f.kind, size: f.size, why: `not part of model ${row.hash.slice(0, 12)} (${row.name})` });
    }
    const file = entry?.files.find((f) => f.name === row.name);
    if (file === undefined || file.kind !== 'file') {
      report.missing.push({ hash: row.hash, name: row.name, path, deleted: row.deleted, found: file === undefined ? null : `a ${file.kind === 'dir' ? 'folder' : file.kind} stands there` });
      continue;
    }
    if ((file.mode & 0o222) !== 0) report.permissions.push({ path, mode: file.mode.toString(8).padStart(4, '0') });
    const corrupt = (reason: CorruptionReason, expected: string, found: string): void => {
      report.corrupted.push({ hash: row.hash, name: row.name, path, reason, expected, found, copies: row.copies });
    };
    if (file.size !== row.size) corrupt('size-mismatch', `${row.size} bytes`, `${file.size} bytes`);
    else if (!opts.fast) toHash.push({ hash: row.hash, path, size: file.size });
    else if (row.mtimeNs === null) {
      report.sizeOnly++;
      report.ok++;
    } else if (row.mtimeNs !== file.mtimeNs) corrupt('mtime-changed', `mtime ${row.mtimeNs} ns`, `mtime ${file.mtimeNs} ns`);
    else report.ok++;
  }
  if (opts.scope === 'store') {
    for (const entry of input.listing.entries.values()) {
      if (known.has(entry.hash)) continue;
      const size = entry.files.reduce((n, f) => n + f.size, 0);
      report.unexpected.push({ path: entry.dir, kind: 'dir', size, why: 'store folder with no inventory row (`modelhub gc` removes it; `modelhub scan FOLDER` registers it again)' });
    }
    for (const o of input.listing.other) report.unexpected.push({ path: o.path, kind: o.kind, size: o.size, why: 'not a store folder (models/<sha256>/)' });
    report.staging = input.listing.staging.map((s) => ({ path: s.path, size: s.size }));
  }
  return { report, toHash };
}

/** Fold the hash results into the report. Pure. */
export function finishVerify(report: VerifyReport, toHash: VerifyCheck[], results: Array<HashResult | HashFailure>, rows: VerifyRow[]): VerifyReport {
  const byHash = new Map(rows.map((r) => [r.hash, r]));
  const out: VerifyReport = { ...report, corrupted: [...report.corrupted], missing: [...report.missing] };
  toHash.forEach((check, i) => {
    const r = results[i];
    const row = byHash.get(check.hash);
    if (r === undefined || row === undefined) return;
    if ('error' in r) {
      if (r.error.code === 'ERR_MODELHUB_NOT_FOUND') out.missing.push({ hash: row.hash, name: row.name, path: check.path, deleted: row.deleted, found: null });
      else out.corrupted.push({ hash: row.hash, name: row.name, path: check.path, reason: 'unreadable', expected: row.hash, found: r.error.message, copies: row.copies });
      return;
    }
    out.bytesHashed += r.bytes;
    if (r.sha256 === check.hash) out.ok++;
    else out.corrupted.push({ hash: row.hash, name: row.name, path: check.path, reason: 'hash-mismatch', expected: check.hash, found: r.sha256, copies: row.copies });
  });
  out.corrupted.sort((a, b) => (a.path < b.path ? -1 : 1));
  out.missing.sort((a, b) => (a.path < b.path ? -1 : 1));
  return out;
}

/** Whether the report shows a problem (exit 1); permission drift and staging files are warnings. */
export function hasVerifyProblems(r: VerifyReport): boolean {
  return r.missing.length > 0 || r.corrupted.length > 0 || r.unexpected.length > 0;
}

function readVerifyRows(hub: Hub, only: Set<string> | undefined): VerifyRow[] {
  const rows = stmt(hub.db, 'SELECT id, sha256, filename, file_size, deleted, store_mtime_ns FROM models ORDER BY sha256').all() as Array<{
    id: number;
    sha256: string;
    filename: string;
    file_size: number;
    deleted: number;
    store_mtime_ns: string | null;
  }>;
  const copies = stmt(hub.db, "SELECT path FROM model_sources WHERE model_id = ? AND state = 'copied' ORDER BY path");
  return rows
    .filter((r) => only === undefined || only.has(r.sha256))
    .map((r) => ({
      hash: r.sha256,
      name: r.filename,
      size: r.file_size,
      deleted: r.deleted === 1,
      mtimeNs: r.store_mtime_ns,
      copies: (copies.all(r.id) as Array<{ path: string }>).map((c) => c.path),
    }));
}
