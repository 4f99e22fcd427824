import { ModelHubError, isModelHubError } from '../core/errors.js';
import type { ModelHeader } from '../formats/types.js';
import { readModelHeader, readOpenHeader } from '../formats/read.js';
import { readShardUnion } from '../formats/shards.js';
import { BufferSource } from '../formats/source.js';
import { syncCompanions, type CompanionSource } from './companions.js';
import { discoverModelFiles, type Found } from './discover.js';
import { isEjectedCopy, readEjectedFiles } from './ejected.js';
import { readAndHash, SMALL_FILE_BYTES } from './hash.js';
import { storeHashOf, type Hub } from './hub.js';
import { failureOf, type ClassifyFn, type Pending, type ScanOutcome, type ScanOutcomeKind } from './import-batch.js';
import type { ImportMode } from './import.js';
import { getModelBriefAndSource, getModelBriefBySha, recordSource } from './inventory.js';
import { recoverPendingImports } from './recover.js';
import { hasCachedHashes, lookupCachedHash, stampOf, type FileStamp } from './scan-cache.js';
import { startImports, type ScanProgress } from './scan-imports.js';
import { addOutcome, emptyScanReport, type ScanReport } from './scan-report.js';

export type { ClassifyFn, ScanOutcome, ScanOutcomeKind } from './import-batch.js';
export type { ScanProgress } from './scan-imports.js';
export type { ScanReport } from './scan-report.js';

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
  /** Called after each filesystem step of an import, before it is recorded (crash tests). */
  onStep?: () => void;
  /**
   * Called once before the first import, after the hashing threads have started (so they work
   * meanwhile): loads what `classify` needs. Not called when nothing is to be imported.
   */
  prepare?: () => Promise<void>;
}

/**
 * Import model files into the hub's store. Files are found, unchanged ones recognised without
 * hashing (store symlinks, scan-cache hits), small ones read whole and hashed on this thread,
 * large ones handed to worker threads the moment their header is read (a thread is started as
 * soon as discovery shows one); all are imported in batches (store/scan-imports.ts,
 * store/import-batch.ts) as their hashes are known. A bad file is reported and skipped; the
 * scan goes on.
 * With `dryRun`, nothing is written (not even the inventory) and nothing is hashed.
 */
export async function scanPaths(hub: Hub, paths: string[], opts: ScanOptions): Promise<ScanReport> {
  const report = emptyScanReport();
  if (!opts.dryRun) await recoverPendingImports(hub);
  const found = await discoverModelFiles(paths, { exclude: [hub.layout.root], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  const ejected = readEjectedFiles(hub.db);
  const context: PrepareContext = { ...opts, realFolders: new Map(), scanCache: hasCachedHashes(hub.db) };
  const sink = opts.dryRun ? undefined : startImports(hub, { ...opts, cachedHashes: context.scanCache }, report, largeFiles(found, ejected));
  try {
    for (let i = 0; i < found.length; i++) {
      const entry = found[i] as Found;
      if (entry.kind === 'file' && isEjectedCopy(ejected.get(entry.path), entry.stats)) {
        addOutcome(report, { path: entry.path, outcome: 'skipped', size: Number(entry.stats.size), reason: 'a copy `modelhub eject` made; left alone' });
        continue;
      }
      if (entry.kind !== 'file') {
        i = triageRun(hub, found, i, { ...opts, report }) - 1;
        continue;
      }
      const item = await prepare(hub, entry, context, report);
      if (item === undefined) continue;
      if (sink !== undefined) sink.take(item);
      else addOutcome(report, { path: item.path, outcome: 'would-import', size: item.size, ...(item.sha256 ? { sha256: item.sha256 } : {}) });
    }
  } catch (err) {
    await sink?.abort();
    throw err;
  }
  if (sink === undefined) return report;
  await sink.finish();
  report.companions = await syncCompanions(hub, companionSources(report.files));
  return report;
}

/** The files the hashing threads will likely hash (large ones): what the progress bar counts. */
function largeFiles(found: Found[], ejected: ReturnType<typeof readEjectedFiles>): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of found) {
    if (e.kind !== 'file' || e.stats.size <= BigInt(SMALL_FILE_BYTES) || isEjectedCopy(ejected.get(e.path), e.stats)) continue;
    files++;
    bytes += Number(e.stats.size);
  }
  return { files, bytes };
}

/** The model files (and link-backs) scanned whose neighbours may be their companions; the store's own files included (re-registered copies). */
function companionSources(files: ScanOutcome[]): CompanionSource[] {
  const kept: ScanOutcomeKind[] = ['imported', 'duplicate', 'repaired', 'unchanged'];
  return files.filter((f) => f.sha256 !== undefined && kept.includes(f.outcome)).map((f) => ({ path: f.path, sha256: f.sha256 as string }));
}

/**
 * Triage the run of symlinks and errors starting at `from`, in one transaction (a rescan meets
 * thousands of store links in a row, and a query outside one pays for its own); returns where
 * the run ends.
 */
function triageRun(hub: Hub, found: Found[], from: number, opts: ScanOptions & { report: ScanReport }): number {
  let end = from;
  while (end < found.length && found[end]?.kind !== 'file') end++;
  hub.db
    .transaction(() => {
      for (let i = from; i < end; i++) addOutcome(opts.report, triage(hub, found[i] as Exclude<Found, { kind: 'file' }>, opts));
    })
    .deferred();
  return end;
}

/** Symlinks and unreadable paths need no hashing: recognise store links, skip foreign ones. */
function triage(hub: Hub, entry: Exclude<Found, { kind: 'file' }>, opts: ScanOptions): ScanOutcome {
  if (entry.kind === 'error') return failureOf(entry.path, entry.error);
  {
    const sha = storeHashOf(hub.layout, entry.target);
    if (sha === undefined) return { path: entry.path, outcome: 'skipped', reason: `symlink to ${entry.target}, outside the store; scan that file itself` };
    const model = getModelBriefAndSource(hub.db, sha, entry.path);
    if (model === undefined) {
      return failureOf(entry.path, new ModelHubError('UNKNOWN_STORE_LINK', `${entry.path} points into the store (${sha.slice(0, 12)}…) but the inventory has no such model`, {
        path: entry.path,
        hint: `run \`modelhub scan ${hub.layout.modelsDir}/${sha}\` to register the stored file again`,
      }));
    }
    if (!opts.dryRun && model.source_model_id !== model.id) recordSource(hub.db, model.id, entry.path, 'linked', entry.root);
    return { path: entry.path, outcome: 'unchanged', sha256: sha, size: model.file_size, type: model.primary_type, base: model.base_model };
  }
}

/** What preparing every file of one scan shares. */
interface PrepareContext extends ScanOptions {
  /** Folders' real paths, each resolved once (store/hub.ts storeHashOf). */
  realFolders: Map<string, string>;
  /** Whether the scan cache holds anything (only copy-mode imports fill it): else nothing is looked up. */
  scanCache: boolean;
}

/**
 * Read the header and look the file up in the scan cache. A small file about to be imported is
 * read whole instead: header and hash from one read. Reads only.
 */
async function prepare(hub: Hub, entry: Extract<Found, { kind: 'file' }>, opts: PrepareContext, report: ScanReport): Promise<Pending | undefined> {
  const stamp = stampOf(entry.stats);
  const inStore = storeHashOf(hub.layout, entry.path, opts.realFolders);
  const cachedSha = inStore ?? (opts.scanCache ? lookupCachedHash(hub.db, entry.path, stamp) : undefined);
  if (cachedSha !== undefined && inStore === undefined) {
    const model = getModelBriefBySha(hub.db, cachedSha);
    if (model !== undefined && opts.mode === 'copy') {
      addOutcome(report, { path: entry.path, outcome: 'unchanged', sha256: cachedSha, size: stamp.size, type: model.primary_type, base: model.base_model });
      return undefined;
    }
  }
  if (inStore === undefined) {
    const unsettled = settleProblem(stamp, opts);
    if (unsettled !== undefined) {
      addOutcome(report, { path: entry.path, outcome: 'skipped', size: stamp.size, reason: unsettled, code: 'ERR_MODELHUB_NOT_SETTLED' });
      return undefined;
    }
  }
  const known: { sha256: string; content?: Buffer } | undefined = cachedSha !== undefined && inStore === undefined ? { sha256: cachedSha } : hashIfSmall(entry.path, stamp, opts);
  let header: ModelHeader;
  try {
    header = known?.content !== undefined ? await readOpenHeader(new BufferSource(entry.path, known.content)) : await readModelHeader(entry.path);
  } catch (err) {
    if (!isModelHubError(err)) throw err;
    addOutcome(report, failureOf(entry.path, err));
    return undefined;
  }
  const out: Pending = { path: entry.path, root: entry.root, stamp, size: stamp.size, header, classHeader: await readShardUnion(entry.path, header) };
  if (inStore !== undefined) out.inStore = inStore;
  if (known !== undefined) {
    out.sha256 = known.sha256;
    if (known.content !== undefined) report.bytesHashed += known.content.length;
  }
  return out;
}

/**
 * A small file is read whole and hashed here (no worker hop); a failure to read it is left for
 * the header read to report. Large files, dry runs and files of the store are not.
 */
function hashIfSmall(path: string, stamp: FileStamp, opts: ScanOptions): { sha256: string; content: Buffer } | undefined {
  if (opts.dryRun === true || stamp.size === 0 || stamp.size > SMALL_FILE_BYTES) return undefined;
  try {
    const { sha256, content } = readAndHash(path);
    return { sha256, content };
  } catch (err) {
    if (isModelHubError(err)) return undefined;
    throw err;
  }
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
