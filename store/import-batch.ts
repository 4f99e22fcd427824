import { lstatSync } from 'node:fs';
import { basename } from 'node:path';
import { ModelHubError, errnoCode, isModelHubError } from '../core/errors.js';
import { sameFileId } from '../core/fs-identity.js';
import { inTransaction, stmt } from '../core/db.js';
import { formatFromPath } from '../core/vocabulary.js';
import type { ModelHeader } from '../formats/types.js';
import { hashFile, readAndHash, SMALL_FILE_BYTES } from './hash.js';
import type { Hub } from './hub.js';
import { findStoreFile, fsyncDir, linkBack, placeInStore, removeOriginal, repairStoreFile, type ImportMode } from './import.js';
import { getModelBriefBySha, insertClassifiedModel, recordSource, replaceMetadata, saveClassification, type ClassificationRecord, type ModelBrief } from './inventory.js';
import { forgetHash, rememberHash, type FileStamp } from './scan-cache.js';
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

export type ClassifyFn = (input: { fileName: string; size: number; header: ModelHeader }) => ClassificationRecord;

/** A file found by a scan, its header read, ready to be hashed (or already known). */
export interface Pending {
  path: string;
  /** The scan root it was found under (recorded with the source path: the {dir} placeholder). */
  root: string;
  stamp: FileStamp;
  size: number;
  header: ModelHeader;
  /** What is classified: the header, with its sibling shards' tensors for a sharded model. */
  classHeader: ModelHeader;
  /** The hash folder of the store the file lies in, when it lies in the store. */
  inStore?: string;
  /** Known without hashing again (the scan cache), or hashed already (a small file read whole). */
  sha256?: string;
}

/** A file whose content hash is known: what a batch imports. */
export interface Hashed extends Pending {
  sha256: string;
}

export interface BatchOptions {
  mode: ImportMode;
  classify: ClassifyFn;
  /** Called after each filesystem step, before it is recorded (crash tests). */
  onStep?: () => void;
  /** false: the scan cache is known to be empty, so a linked or moved file has no entry to forget. */
  cachedHashes?: boolean;
}

/** One file's way through a batch. */
interface Work {
  file: Hashed;
  /** A file lying in the store: registered, never moved. */
  inStore: boolean;
  /** The store file already holding this content (a duplicate, or a damaged copy to repair). */
  storeFile: string | undefined;
  /** Set when the model row is to be written (new content, or a store file the inventory lost). */
  classification?: ClassificationRecord;
  /** The model's row: found by step 1, or written by step 2. */
  model?: ModelBrief;
  journalled: boolean;
  placed?: { storeFile: string; renamed: boolean; kind: 'imported' | 'duplicate' | 'repaired'; reason?: string };
  outcome?: ScanOutcome;
}

/**
 * Import hashed files, many at a time, as safely as one at a time:
 *  1. decide what each file is, reading only (new content, a copy of stored content, a file in
 *     the store to register, the store file itself under another name);
 *  2. one transaction: the new models with their classification, and every import journalled
 *     (source state `importing`) before any file moves;
 *  3. the moves into the store (rename, or a verified copy), then one fsync per store folder;
 *  4. the links back (or removals of the originals), then one fsync per source folder;
 *  5. one transaction: each source's final state.
 * A crash anywhere leaves each journalled file in one of the states recoverPendingImports
 * finishes or rolls back, exactly as for a single import. One file's failure is its own.
 * Outcomes come back in the order of `files`.
 */
export async function importBatch(hub: Hub, files: Hashed[], opts: BatchOptions): Promise<ScanOutcome[]> {
  const works: Work[] = [];
  const later: Hashed[] = [];
  const shas = new Set<string>();
  // Step 1 reads in one read transaction (a statement outside any pays for its own).
  hub.db
    .transaction(() => {
      for (const file of files) {
        // Two paths with one content: the second imports once the first is in the store.
        if (shas.has(file.sha256)) later.push(file);
        else {
          shas.add(file.sha256);
          works.push(decide(hub, file, opts));
        }
      }
    })
    .deferred();
  register(hub, works);
  await moveIntoStore(hub, works, opts);
  linkOriginals(works, opts);
  record(hub, works, opts.mode, opts.cachedHashes !== false);
  const outcomes = works.map((w) => w.outcome as ScanOutcome);
  return later.length === 0 ? outcomes : [...outcomes, ...(await importBatch(hub, later, opts))];
}

/** Step 1: what is to be done with one file. Reads only. */
function decide(hub: Hub, file: Hashed, opts: BatchOptions): Work {
  const w: Work = { file, inStore: false, storeFile: undefined, journalled: false };
  const classify = (): ClassificationRecord => opts.classify({ fileName: basename(file.path), size: file.size, header: file.classHeader });
  return guard(w, () => {
    const model = getModelBriefBySha(hub.db, file.sha256);
    if (model !== undefined) w.model = model;
    const folderSha = file.inStore;
    if (folderSha !== undefined) {
      if (folderSha !== file.sha256) {
        throw new ModelHubError('STORE_CORRUPT', `${file.path} is in the store under ${folderSha} but its content hashes to ${file.sha256}`, {
          path: file.path,
          hint: 'the stored file is damaged; run `modelhub verify`, then scan a good copy of the model: the scan repairs the store from it',
        });
      }
      w.inStore = true;
      w.classification = classify();
      return;
    }
    w.storeFile = findStoreFile(hub.layout, file.sha256);
    if (w.storeFile !== undefined && sameFileId(lstatSync(w.storeFile, { bigint: true }), file.stamp)) {
      // The same inode as the store file under another name (a hard link, a bind mount): nothing to do.
      w.outcome = { path: file.path, outcome: 'skipped', sha256: file.sha256, size: file.size, reason: `is the store file ${w.storeFile} itself (a hard link or another mount of it); left as it is` };
      return;
    }
    if (model === undefined || w.storeFile === undefined) w.classification = classify();
  });
}

/** Step 2, one transaction: model rows, and the journal entry of every import about to move files. */
function register(hub: Hub, works: Work[]): void {
  const db = hub.db;
  inTransaction(db, () => {
    for (const w of works) {
      if (w.outcome !== undefined) continue;
      if (w.classification !== undefined) w.model = registerModel(hub, w.file, w.classification, w.model?.id);
      const model = w.model as ModelBrief;
      if (w.inStore) {
        recordStoreMtime(db, w.file.sha256, w.file.path);
        w.outcome = outcomeOf(w, 'imported');
        continue;
      }
      recordSource(db, model.id, w.file.path, 'importing', w.file.root);
      w.journalled = true;
    }
  });
}

/** Step 3: every file's content safe in the store, each store folder synced once. */
async function moveIntoStore(hub: Hub, works: Work[], opts: BatchOptions): Promise<void> {
  const toSync = new Set<string>();
  for (const w of works) {
    if (w.outcome !== undefined) continue;
    const file = w.file;
    await guardAsync(w, async () => {
      if (w.storeFile !== undefined) {
        // Prove the store file still holds these bytes before the original is linked or removed.
        const stored = await hashStored(w.storeFile, file.size);
        if (stored === file.sha256) {
          w.placed = { storeFile: w.storeFile, renamed: false, kind: 'duplicate' };
          return;
        }
        const how = await repairStoreFile(hub.layout, file.path, file.sha256, w.storeFile, opts.mode, file.stamp, { deferSync: toSync });
        const reason = `the store file ${w.storeFile} was damaged (its bytes hash to ${stored.slice(0, 12)}…); replaced with the verified bytes of this file`;
        w.placed = { storeFile: w.storeFile, renamed: how === 'renamed', kind: 'repaired', reason };
      } else {
        // Step 1 found no store file, and later files of this content wait for the next batch.
        const placed = await placeInStore(hub.layout, file.path, file.sha256, basename(file.path), opts.mode, file.stamp, { deferSync: toSync, absent: true });
        w.placed = { storeFile: placed.storeFile, renamed: placed.how === 'renamed', kind: 'imported' };
      }
      opts.onStep?.();
    });
  }
  syncFolders(toSync, works, (w) => w.placed?.storeFile);
}

/** Step 4: link back (or remove) each original whose content is now in the store; each folder synced once. */
function linkOriginals(works: Work[], opts: BatchOptions): void {
  if (opts.mode === 'copy') return;
  const toSync = new Set<string>();
  for (const w of works) {
    const placed = w.placed;
    if (w.outcome !== undefined || placed === undefined) continue;
    guard(w, () => {
      const stamp = placed.renamed ? undefined : w.file.stamp;
      if (opts.mode === 'link') linkBack(w.file.path, placed.storeFile, stamp, toSync);
      else if (stamp !== undefined) removeOriginal(w.file.path, stamp, toSync);
      opts.onStep?.();
    });
  }
  syncFolders(toSync, works, (w) => w.file.path);
}

/** Step 5, one transaction: each source's final state; a failed import that moved nothing leaves no journal entry. */
function record(hub: Hub, works: Work[], mode: ImportMode, cachedHashes: boolean): void {
  const db = hub.db;
  inTransaction(db, () => {
    for (const w of works) {
      const { file, placed } = w;
      if (w.outcome !== undefined) {
        // Moved already: the journal stays, and the next command finishes the import.
        if (w.journalled && placed === undefined) stmt(db, "DELETE FROM model_sources WHERE path = ? AND state = 'importing'").run(file.path);
        continue;
      }
      if (placed === undefined) continue;
      const model = w.model as ModelBrief;
      // A renamed file was checked right after the rename to still have the mtime it was hashed with.
      recordStoreMtime(db, file.sha256, placed.storeFile, placed.renamed ? { mtimeNs: file.stamp.mtimeNs } : {});
      if (mode === 'copy') {
        recordSource(db, model.id, file.path, 'copied', file.root);
        rememberHash(db, file.path, file.stamp, file.sha256);
      } else {
        recordSource(db, model.id, file.path, mode === 'link' ? 'linked' : 'moved', file.root);
        if (cachedHashes) forgetHash(db, file.path);
      }
      w.outcome = outcomeOf(w, placed.kind, placed.reason);
    }
  });
}

/** fsync each folder; a folder that cannot be synced fails the files in it. */
function syncFolders(dirs: Set<string>, works: Work[], pathOf: (w: Work) => string | undefined): void {
  for (const dir of dirs) {
    try {
      fsyncDir(dir);
    } catch (err) {
      for (const w of works) {
        const path = pathOf(w);
        if (w.outcome === undefined && path !== undefined && path.startsWith(`${dir}/`)) w.outcome = failureOf(w.file.path, err);
      }
    }
  }
}

/** Hash a store file that should hold known content: small ones in one read on this thread. */
async function hashStored(storeFile: string, size: number): Promise<string> {
  return size <= SMALL_FILE_BYTES ? readAndHash(storeFile).sha256 : (await hashFile(storeFile)).sha256;
}

/**
 * Write a model's row with its classification and header metadata: a new row in one go, or
 * (`knownId`: the row step 1 found, whose store file was missing) the classification saved anew.
 */
function registerModel(hub: Hub, file: Hashed, cls: ClassificationRecord, knownId: number | undefined): ModelBrief {
  const db = hub.db;
  if (knownId === undefined) {
    const model = {
      sha256: file.sha256,
      filename: basename(file.path),
      size: file.size,
      format: file.header.format ?? formatFromPath(file.path) ?? 'bin',
      container: file.header.container,
      // AutoV3 is computed when first needed (store/autov3.ts), not in the import's pass.
      autov3: null,
      unsafe: (file.header.unsafeGlobals?.length ?? 0) > 0,
      headerError: null,
    };
    return insertClassifiedModel(db, model, cls, { source: 'header', entries: file.header.metadata });
  }
  saveClassification(db, knownId, cls);
  replaceMetadata(db, knownId, 'header', file.header.metadata);
  const row = getModelBriefBySha(db, file.sha256);
  if (row === undefined) throw new Error(`model ${file.sha256} vanished inside its own transaction`);
  return row;
}

function outcomeOf(w: Work, kind: ScanOutcomeKind, reason?: string): ScanOutcome {
  const { file, model } = w;
  const out: ScanOutcome = { path: file.path, outcome: kind, sha256: file.sha256, size: file.size, type: model?.primary_type ?? 'unknown', base: model?.base_model ?? 'unknown' };
  const unsafe = file.header.unsafeGlobals && file.header.unsafeGlobals.length > 0 ? `unsafe pickle: references ${file.header.unsafeGlobals.join(', ')} (never executed)` : undefined;
  const why = [reason, unsafe].filter((x) => x !== undefined).join('; ');
  if (why !== '') out.reason = why;
  return out;
}

/** Run one file's step; an expected failure (coded, or an errno) becomes that file's outcome. */
function guard(w: Work, step: () => void): Work {
  try {
    step();
  } catch (err) {
    w.outcome = failureOf(w.file.path, err);
  }
  return w;
}

async function guardAsync(w: Work, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    w.outcome = failureOf(w.file.path, err);
  }
}

/** A file's failure as a scan outcome; anything uncoded is a bug and is thrown on. */
export function failureOf(path: string, err: unknown): ScanOutcome {
  if (isModelHubError(err)) return { path, outcome: 'failed', reason: err.message, code: err.code };
  if (errnoCode(err) !== undefined) return failureOf(path, new ModelHubError('IMPORT_FAILED', `${path}: ${(err as Error).message}`, { path, cause: err }));
  throw err;
}
