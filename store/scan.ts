import { ModelHubError, isModelHubError } from '../core/errors.js';
import type { ModelHeader } from '../formats/types.js';
import { readModelHeader, readOpenHeader } from '../formats/read.js';
import { readShardUnion } from '../formats/shards.js';
import { BufferSource } from '../formats/source.js';
import { syncCompanions, type CompanionReport, type CompanionSource } from './companions.js';
import { discoverModelFiles, type Found } from './discover.js';
import { isEjectedCopy, readEjectedFiles } from './ejected.js';
import { hashMany, readAndHash, SMALL_FILE_BYTES, type HashFailure, type HashResult } from './hash.js';
import { storeHashOf, type Hub } from './hub.js';
import { failureOf, importBatch, type ClassifyFn, type Hashed, type Pending, type ScanOutcome, type ScanOutcomeKind } from './import-batch.js';
import type { ImportMode } from './import.js';
import { getModelBriefAndSource, getModelBriefBySha, recordSource } from './inventory.js';
import { recoverPendingImports } from './recover.js';
import { hasCachedHashes, lookupCachedHash, stampOf, type FileStamp } from './scan-cache.js';

export type { ClassifyFn, ScanOutcome, ScanOutcomeKind } from './import-batch.js';

/** Files imported per batch: one journal transaction, one sync per folder, one final commit. */
const BATCH = 500;

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
 * large ones hashed on worker threads; all are imported in batches (store/import-batch.ts) as
 * their hashes are known. A bad file is reported and skipped; the scan goes on.
 * With `dryRun`, nothing is written (not even the inventory) and nothing is hashed.
 */
export async function scanPaths(hub: Hub, paths: string[], opts: ScanOptions): Promise<ScanReport> {
  const report: ScanReport = { imported: 0, duplicates: 0, repaired: 0, unchanged: 0, skipped: 0, failed: 0, bytesHashed: 0, files: [], failures: [] };
  if (!opts.dryRun) await recoverPendingImports(hub);
  const found = await discoverModelFiles(paths, { exclude: [hub.layout.root], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  const pending: Pending[] = [];
  const ejected = readEjectedFiles(hub.db);
  const context: PrepareContext = { ...opts, realFolders: new Map(), scanCache: hasCachedHashes(hub.db) };
  for (const entry of found) {
    if (entry.kind === 'file' && isEjectedCopy(ejected.get(entry.path), entry.stats)) {
      add(report, { path: entry.path, outcome: 'skipped', size: Number(entry.stats.size), reason: 'a copy `modelhub eject` made; left alone' });
      continue;
    }
    if (entry.kind !== 'file') {
      add(report, triage(hub, entry, opts));
      continue;
    }
    const item = await prepare(hub, entry, context, report);
    if (item !== undefined) pending.push(item);
  }
  if (opts.dryRun) {
    for (const p of pending) add(report, { path: p.path, outcome: 'would-import', size: p.size, ...(p.sha256 ? { sha256: p.sha256 } : {}) });
    return report;
  }
  const toHash = pending.filter((p) => p.sha256 === undefined);
  opts.progress?.begin(toHash.length, toHash.reduce((n, p) => n + p.size, 0));
  const byPath = new Map(toHash.map((p) => [p.path, p]));
  let open: (loading: Promise<void> | undefined) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    open = (loading) => void (loading ?? Promise.resolve()).then(resolve, reject);
  });
  const importer = batchImporter(hub, opts, report, ready);
  try {
    const hashed = hashMany(
      toHash.map((p) => ({ path: p.path })),
      {
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
        onProgress: (bytes) => opts.progress?.advance(bytes),
        onResult: (r: HashResult | HashFailure) => {
          opts.progress?.fileDone();
          const p = byPath.get(r.path);
          if (p === undefined) return;
          if ('error' in r) return importer.fail(failureOf(r.path, r.error));
          report.bytesHashed += r.bytes;
          importer.add({ ...p, sha256: r.sha256 });
        },
      },
    );
    // The workers have their first files: load the classifier meanwhile, then import.
    open(pending.length > 0 ? opts.prepare?.() : undefined);
    for (const p of pending) if (p.sha256 !== undefined) importer.add(p as Hashed);
    await hashed;
  } finally {
    await importer.done();
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

/**
 * Imports files in batches as they become ready, one batch at a time, in order: files known
 * up front fill batches of BATCH; files hashed on the workers join the next batch started.
 */
function batchImporter(hub: Hub, opts: ScanOptions, report: ScanReport, ready: Promise<void>): { add(file: Hashed): void; fail(outcome: ScanOutcome): void; done(): Promise<void> } {
  const queue: Array<Hashed | ScanOutcome> = [];
  let chain: Promise<void> = ready;
  let draining = false;
  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const items = queue.splice(0, BATCH);
      const files = items.filter((i): i is Hashed => !('outcome' in i));
      for (const i of items) if ('outcome' in i) add(report, i);
      for (const o of await importBatch(hub, files, opts)) add(report, o);
    }
    draining = false;
  };
  const push = (item: Hashed | ScanOutcome): void => {
    queue.push(item);
    if (draining) return;
    draining = true;
    chain = chain.then(drain);
  };
  return { add: push, fail: push, done: () => chain };
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
  const known: { sha256: string; content?: Buffer } | undefined = cachedSha !== undefined && inStore === undefined ? { sha256: cachedSha } : hashIfSmall(entry.path, stamp, opts);
  let header: ModelHeader;
  try {
    header = known?.content !== undefined ? await readOpenHeader(new BufferSource(entry.path, known.content)) : await readModelHeader(entry.path);
  } catch (err) {
    if (!isModelHubError(err)) throw err;
    add(report, failureOf(entry.path, err));
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
