import { lstat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ModelHubError, errnoCode, isModelHubError } from '../core/errors.js';
import { sameFileId } from '../core/fs-identity.js';
import { formatFromPath } from '../core/vocabulary.js';
import type { ModelHeader } from '../formats/types.js';
import { readModelHeader } from '../formats/read.js';
import { readShardUnion } from '../formats/shards.js';
import { inTransaction } from '../core/db.js';
import { syncCompanions, type CompanionReport, type CompanionSource } from './companions.js';
import { discoverModelFiles, type Found } from './discover.js';
import { hashFile, hashMany, type HashFailure, type HashResult } from './hash.js';
import { storeHashOf, type Hub } from './hub.js';
import { findStoreFile, linkBack, placeInStore, removeOriginal, repairStoreFile, type ImportMode } from './import.js';
import {
  getModelBySha,
  getSourceByPath,
  insertModel,
  recordSource,
  replaceMetadata,
  saveClassification,
  type ClassificationRecord,
} from './inventory.js';
import { recoverPendingImports } from './recover.js';
import { forgetHash, lookupCachedHash, rememberHash, stampOf, type FileStamp } from './scan-cache.js';
import { recordStoreMtime } from './store-mtime.js';

export type ScanOutcomeKind = 'imported' | 'duplicate' | 'repaired' | 'unchanged' | 'skipped' | 'failed' | 'would-import';

export interface ScanOutcome {
  path: string;
  outcome: ScanOutcomeKind;
  sha256?: string;
  size?: number;
  type?: string;
  base?: string;
  /** Why a file was skipped or failed, or a warning (e.g. an unsafe pickle). */
  reason?: string;
  code?: string;
}

export interface ScanReport {
  imported: number;
  duplicates: number;
  /** Damaged store files replaced by the verified bytes of a good copy found in this scan. */
  repaired: number;
  unchanged: number;
  skipped: number;
  failed: number;
  bytesHashed: number;
  files: ScanOutcome[];
  failures: Array<{ path: string; code: string; reason: string }>;
  /** Companion files (previews, metadata) copied into the store beside the models; absent in a dry run. */
  companions?: CompanionReport;
}

export interface ScanProgress {
  begin(files: number, bytes: number): void;
  advance(bytes: number): void;
  fileDone(): void;
  end(): void;
}

export type ClassifyFn = (input: { fileName: string; size: number; header: ModelHeader }) => ClassificationRecord;

export interface ScanOptions {
  mode: ImportMode;
  dryRun?: boolean;
  classify: ClassifyFn;
  progress?: ScanProgress;
  threads?: number;
  cwd?: string;
  /**
   * Skip files modified less than this many milliseconds ago (a download still being written).
   * 0 or undefined: no settle window.
   */
  settleMs?: number;
  /** The clock for the settle window (milliseconds since the epoch). */
  now?: () => number;
}

interface Pending {
  path: string;
  stamp: FileStamp;
  size: number;
  header: ModelHeader;
  /** What is classified: the header, with its sibling shards' tensors for a sharded model. */
  classHeader: ModelHeader;
  /** Known from the scan cache: no need to hash again. */
  cachedSha?: string;
}

/**
 * Import model files into the hub's store. Files are found, unchanged ones recognised without
 * hashing (store symlinks, scan-cache hits), the rest hashed on worker threads and imported one
 * at a time as their hashes arrive. A bad file is reported and skipped; the scan goes on.
 * With `dryRun`, nothing is written (not even the inventory) and nothing is hashed.
 */
export async function scanPaths(hub: Hub, paths: string[], opts: ScanOptions): Promise<ScanReport> {
  const report: ScanReport = { imported: 0, duplicates: 0, repaired: 0, unchanged: 0, skipped: 0, failed: 0, bytesHashed: 0, files: [], failures: [] };
  if (!opts.dryRun) await recoverPendingImports(hub);
  const found = await discoverModelFiles(paths, { exclude: [hub.layout.root], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  const pending: Pending[] = [];
  for (const entry of found) {
    if (entry.kind !== 'file') {
      add(report, triage(hub, entry, opts));
      continue;
    }
    const item = await prepare(hub, entry, opts, report);
    if (item !== undefined) pending.push(item);
  }
  if (opts.dryRun) {
    for (const p of pending) add(report, { path: p.path, outcome: 'would-import', size: p.size, ...(p.cachedSha ? { sha256: p.cachedSha } : {}) });
    return report;
  }
  const toHash = pending.filter((p) => p.cachedSha === undefined);
  opts.progress?.begin(toHash.length, toHash.reduce((n, p) => n + p.size, 0));
  let chain: Promise<void> = Promise.resolve();
  const importOne = (p: Pending, sha: string, autov3?: string): void => {
    chain = chain.then(async () => add(report, await importFile(hub, p, sha, autov3, opts)));
  };
  for (const p of pending) if (p.cachedSha !== undefined) importOne(p, p.cachedSha);
  const byPath = new Map(toHash.map((p) => [p.path, p]));
  try {
    await hashMany(
      toHash.map((p) => ({ path: p.path, ...autov3Request(p.header) })),
      {
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
        onProgress: (bytes) => opts.progress?.advance(bytes),
        onResult: (r: HashResult | HashFailure) => {
          opts.progress?.fileDone();
          const p = byPath.get(r.path);
          if (p === undefined) return;
          if ('error' in r) {
            chain = chain.then(() => add(report, failure(r.path, r.error)));
            return;
          }
          report.bytesHashed += r.bytes;
          importOne(p, r.sha256, r.autov3);
        },
      },
    );
  } finally {
    await chain;
    opts.progress?.end();
  }
  report.companions = await syncCompanions(hub, companionSources(report.files));
  return report;
}

/** The model files (and link-backs) scanned whose neighbours may be their companions; the store's own files included (re-registered copies). */
function companionSources(files: ScanOutcome[]): CompanionSource[] {
  const kept: ScanOutcomeKind[] = ['imported', 'duplicate', 'repaired', 'unchanged'];
  return files.filter((f) => f.sha256 !== undefined && kept.includes(f.outcome)).map((f) => ({ path: f.path, sha256: f.sha256 as string }));
}

/** Symlinks and unreadable paths need no hashing: recognise store links, skip foreign ones. */
function triage(hub: Hub, entry: Exclude<Found, { kind: 'file' }>, opts: ScanOptions): ScanOutcome {
  if (entry.kind === 'error') return failure(entry.path, entry.error);
  {
    const sha = storeHashOf(hub.layout, entry.target);
    if (sha === undefined) return { path: entry.path, outcome: 'skipped', reason: `symlink to ${entry.target}, outside the store; scan that file itself` };
    const model = getModelBySha(hub.db, sha);
    if (model === undefined) {
      return failure(entry.path, new ModelHubError('UNKNOWN_STORE_LINK', `${entry.path} points into the store (${sha.slice(0, 12)}…) but the inventory has no such model`, {
        path: entry.path,
        hint: `run \`modelhub scan ${hub.layout.modelsDir}/${sha}\` to register the stored file again`,
      }));
    }
    if (!opts.dryRun && getSourceByPath(hub.db, entry.path)?.model_id !== model.id) recordSource(hub.db, model.id, entry.path, 'linked');
    return { path: entry.path, outcome: 'unchanged', sha256: sha, size: model.file_size, type: model.primary_type, base: model.base_model };
  }
}

/** Read the header (cheap, bounded) and look the file up in the scan cache. */
async function prepare(hub: Hub, entry: Extract<Found, { kind: 'file' }>, opts: ScanOptions, report: ScanReport): Promise<Pending | undefined> {
  const stamp = stampOf(entry.stats);
  const inStore = storeHashOf(hub.layout, entry.path);
  const cachedSha = inStore ?? lookupCachedHash(hub.db, entry.path, stamp);
  if (cachedSha !== undefined && inStore === undefined) {
    const model = getModelBySha(hub.db, cachedSha);
    if (model !== undefined && opts.mode === 'copy') {
      add(report, { path: entry.path, outcome: 'unchanged', sha256: cachedSha, size: stamp.size, type: model.primary_type, base: model.base_model });
      return undefined;
    }
  }
  if (inStore === undefined) {
    const unsettled = settleProblem(stamp, opts);
    if (unsettled !== undefined) {
      add(report, { path: entry.path, outcome: 'skipped', size: stamp.size, reason: unsettled, code: 'ERR_MODELHUB_NOT_SETTLED' });
      return undefined;
    }
  }
  let header: ModelHeader;
  try {
    header = await readModelHeader(entry.path);
  } catch (err) {
    if (!isModelHubError(err)) throw err;
    add(report, failure(entry.path, err));
    return undefined;
  }
  const out: Pending = { path: entry.path, stamp, size: stamp.size, header, classHeader: await readShardUnion(entry.path, header) };
  if (cachedSha !== undefined && inStore === undefined) out.cachedSha = cachedSha;
  return out;
}

/** Why a file is too fresh to import (modified within the settle window), or undefined. */
function settleProblem(stamp: FileStamp, opts: ScanOptions): string | undefined {
  const window = opts.settleMs ?? 0;
  if (window <= 0) return undefined;
  const ageMs = (opts.now ?? Date.now)() - Number(BigInt(stamp.mtimeNs) / 1_000_000n);
  if (ageMs >= window) return undefined;
  if (ageMs < -window) return `its modification time is ${Math.round(-ageMs / 1000)} s in the future; scan it with --no-settle if the file is complete`;
  return `modified ${Math.max(0, Math.round(ageMs / 1000))} s ago — still being written? scan again later (or use --no-settle)`;
}

function autov3Request(header: ModelHeader): { autov3Offset?: number } {
  return header.container === 'safetensors' ? { autov3Offset: header.dataOffset } : {};
}

/** Put one hashed file into the store and the inventory; every failure is caught and reported. */
async function importFile(hub: Hub, p: Pending, sha256: string, autov3: string | undefined, opts: ScanOptions): Promise<ScanOutcome> {
  try {
    return await importChecked(hub, p, sha256, autov3, opts);
  } catch (err) {
    if (isModelHubError(err)) return failure(p.path, err);
    const code = errnoCode(err);
    if (code !== undefined) return failure(p.path, new ModelHubError('IMPORT_FAILED', `${p.path}: ${(err as Error).message}`, { path: p.path, cause: err }));
    throw err;
  }
}

async function importChecked(hub: Hub, p: Pending, sha256: string, autov3: string | undefined, opts: ScanOptions): Promise<ScanOutcome> {
  const db = hub.db;
  const folderSha = storeHashOf(hub.layout, p.path);
  if (folderSha !== undefined) return registerStoreFile(hub, p, folderSha, sha256, autov3, opts);
  let model = getModelBySha(db, sha256);
  const storeFile = await findStoreFile(hub.layout, sha256);
  if (storeFile !== undefined && sameFileId(await lstat(storeFile, { bigint: true }), p.stamp)) {
    // The same inode as the store file under another name (a hard link, a bind mount): nothing to do.
    return { path: p.path, outcome: 'skipped', sha256, size: p.size, reason: `is the store file ${storeFile} itself (a hard link or another mount of it); left as it is` };
  }
  if (model === undefined || storeFile === undefined) {
    const cls = opts.classify({ fileName: basename(p.path), size: p.size, header: p.classHeader });
    model = registerModel(hub, p, sha256, autov3, cls, model?.id);
  }
  const outcome = (kind: ScanOutcomeKind, reason?: string): ScanOutcome => {
    const out: ScanOutcome = { path: p.path, outcome: kind, sha256, size: p.size, type: model?.primary_type ?? 'unknown', base: model?.base_model ?? 'unknown' };
    const unsafe = p.header.unsafeGlobals && p.header.unsafeGlobals.length > 0 ? `unsafe pickle: references ${p.header.unsafeGlobals.join(', ')} (never executed)` : undefined;
    const why = [reason, unsafe].filter((x) => x !== undefined).join('; ');
    if (why !== '') out.reason = why;
    return out;
  };
  // Journal first: a crash from here on is finished or rolled back by the next command.
  inTransaction(db, () => recordSource(db, model!.id, p.path, 'importing'));
  try {
    if (storeFile !== undefined) {
      // Prove the store file still holds these bytes before the original is linked or removed.
      const stored = await hashFile(storeFile);
      if (stored.sha256 === sha256) {
        recordStoreMtime(db, sha256, storeFile);
        await finishSource(hub, model.id, p, storeFile, opts.mode, sha256);
        return outcome('duplicate');
      }
      const how = await repairStoreFile(hub.layout, p.path, sha256, storeFile, opts.mode, p.stamp);
      recordStoreMtime(db, sha256, storeFile);
      await finishSource(hub, model.id, p, storeFile, opts.mode, sha256, how === 'renamed');
      return outcome('repaired', `the store file ${storeFile} was damaged (its bytes hash to ${stored.sha256.slice(0, 12)}…); replaced with the verified bytes of this file`);
    }
    const placed = await placeInStore(hub.layout, p.path, sha256, basename(p.path), opts.mode, p.stamp);
    recordStoreMtime(db, sha256, placed.storeFile);
    await finishSource(hub, model.id, p, placed.storeFile, opts.mode, sha256, placed.how === 'renamed');
    return outcome('imported');
  } catch (err) {
    unjournal(hub, p.path);
    throw err;
  }
}

/**
 * A file that lies in the store (under any spelling of its path) is registered, never moved,
 * linked or removed: its folder name must be its content hash.
 */
function registerStoreFile(hub: Hub, p: Pending, folderSha: string, sha256: string, autov3: string | undefined, opts: ScanOptions): ScanOutcome {
  if (folderSha !== sha256) {
    throw new ModelHubError('STORE_CORRUPT', `${p.path} is in the store under ${folderSha} but its content hashes to ${sha256}`, {
      path: p.path,
      hint: 'the stored file is damaged; run `modelhub verify`, then scan a good copy of the model: the scan repairs the store from it',
    });
  }
  const existing = getModelBySha(hub.db, sha256);
  const cls = opts.classify({ fileName: basename(p.path), size: p.size, header: p.classHeader });
  const model = registerModel(hub, p, sha256, autov3, cls, existing?.id);
  recordStoreMtime(hub.db, sha256, p.path);
  return { path: p.path, outcome: 'imported', sha256, size: p.size, type: model.primary_type, base: model.base_model };
}

/** Drop the journal entry of an import that failed before it changed anything. */
function unjournal(hub: Hub, path: string): void {
  const src = getSourceByPath(hub.db, path);
  if (src?.state === 'importing') inTransaction(hub.db, () => hub.db.prepare("DELETE FROM model_sources WHERE path = ? AND state = 'importing'").run(path));
}

/** After the content is safe in the store: link back, remove, or keep the original per mode. */
async function finishSource(hub: Hub, modelId: number, p: Pending, storeFile: string, mode: ImportMode, sha256: string, renamed = false): Promise<void> {
  const db = hub.db;
  if (mode === 'copy') {
    inTransaction(db, () => {
      recordSource(db, modelId, p.path, 'copied');
      rememberHash(db, p.path, p.stamp, sha256);
    });
    return;
  }
  if (mode === 'link') await linkBack(p.path, storeFile, renamed ? undefined : p.stamp);
  else if (!renamed) await removeOriginal(p.path, p.stamp);
  inTransaction(db, () => {
    recordSource(db, modelId, p.path, mode === 'link' ? 'linked' : 'moved');
    forgetHash(db, p.path);
  });
}

function registerModel(hub: Hub, p: Pending, sha256: string, autov3: string | undefined, cls: ClassificationRecord, existingId: number | undefined) {
  const db = hub.db;
  return inTransaction(db, () => {
    const id =
      existingId ??
      insertModel(db, {
        sha256,
        filename: basename(p.path),
        size: p.size,
        format: p.header.format ?? formatFromPath(p.path) ?? 'bin',
        container: p.header.container,
        autov3: autov3 ?? null,
        unsafe: (p.header.unsafeGlobals?.length ?? 0) > 0,
        headerError: null,
      });
    saveClassification(db, id, cls);
    replaceMetadata(db, id, 'header', p.header.metadata);
    const row = getModelBySha(db, sha256);
    if (row === undefined) throw new Error(`model ${sha256} vanished inside its own transaction`);
    return row;
  });
}

function failure(path: string, err: ModelHubError): ScanOutcome {
  return { path, outcome: 'failed', reason: err.message, code: err.code };
}

function add(report: ScanReport, o: ScanOutcome): void {
  report.files.push(o);
  switch (o.outcome) {
    case 'imported':
      report.imported++;
      break;
    case 'duplicate':
      report.duplicates++;
      break;
    case 'repaired':
      report.repaired++;
      break;
    case 'unchanged':
      report.unchanged++;
      break;
    case 'skipped':
      report.skipped++;
      break;
    case 'failed':
      report.failed++;
      report.failures.push({ path: o.path, code: o.code ?? 'ERR_MODELHUB_UNKNOWN', reason: o.reason ?? '' });
      break;
    case 'would-import':
      break;
  }
}
