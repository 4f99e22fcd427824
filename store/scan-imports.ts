import type { Hub } from './hub.js';
import { createHashPool } from './hash-pool.js';
import { failureOf, importBatch, type BatchOptions, type Hashed, type Pending, type ScanOutcome } from './import-batch.js';
import { addOutcome, type ScanReport } from './scan-report.js';

/** Files imported per batch: one journal transaction, one sync per folder, one final commit. */
const BATCH = 500;

export interface ScanProgress {
  begin(files: number, bytes: number): void;
  advance(bytes: number): void;
  fileDone(): void;
  end(): void;
}

export interface ImportsOptions extends BatchOptions {
  progress?: ScanProgress | undefined;
  threads?: number | undefined;
  /** Loads what `classify` needs; called once, before the first import. */
  prepare?: (() => Promise<void>) | undefined;
}

/** Where a scan hands the files it has prepared, as it prepares them. */
export interface ImportSink {
  /** A file to import: hashed already, or queued for the hashing threads now. */
  take(file: Pending): void;
  /** Every file taken: load the classifier, import them all, end the threads. */
  finish(): Promise<void>;
  /** The scan failed before `finish`: end the threads, import nothing. */
  abort(): Promise<void>;
}

/**
 * Start a scan's imports before its files are all prepared: a file that still needs its hash
 * goes to a worker thread the moment it is taken, so hashing large files overlaps preparing the
 * rest (and loading the classifier). `expected` sizes the progress bar and, when it counts a
 * file, starts a hashing thread right away. Imports wait until `finish` (the classifier is
 * loaded then, while the threads hash), and run in batches in the order files become ready.
 */
export function startImports(hub: Hub, opts: ImportsOptions, report: ScanReport, expected: { files: number; bytes: number }): ImportSink {
  opts.progress?.begin(expected.files, expected.bytes);
  const pool = createHashPool({ ...(opts.threads !== undefined ? { threads: opts.threads } : {}), onProgress: (bytes) => opts.progress?.advance(bytes) });
  if (expected.files > 0) pool.warm();
  let open: (loading: Promise<void> | undefined) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    open = (loading) => void (loading ?? Promise.resolve()).then(resolve, reject);
  });
  const importer = batchImporter(hub, opts, report, ready);
  const known: Hashed[] = [];
  const hashing: Array<Promise<void>> = [];
  return {
    take(file) {
      if (file.sha256 !== undefined) {
        known.push(file as Hashed);
        return;
      }
      const hashed = pool.hash({ path: file.path }).then((r) => {
        opts.progress?.fileDone();
        if ('error' in r) return importer.fail(failureOf(r.path, r.error));
        report.bytesHashed += r.bytes;
        importer.add({ ...file, sha256: r.sha256 });
      });
      hashing.push(hashed);
    },
    async finish() {
      try {
        open(known.length + hashing.length > 0 ? opts.prepare?.() : undefined);
        for (const file of known) importer.add(file);
        await Promise.all(hashing);
      } finally {
        await importer.done();
        await pool.close();
        opts.progress?.end();
      }
    },
    async abort() {
      for (const h of hashing) h.catch(() => undefined);
      await pool.close();
      opts.progress?.end();
    },
  };
}

/**
 * Imports files in batches as they become ready, one batch at a time, in order: files known
 * up front fill batches of BATCH; files hashed on the workers join the next batch started.
 */
function batchImporter(hub: Hub, opts: BatchOptions, report: ScanReport, ready: Promise<void>): { add(file: Hashed): void; fail(outcome: ScanOutcome): void; done(): Promise<void> } {
  const queue: Array<Hashed | ScanOutcome> = [];
  let chain: Promise<void> = ready;
  let draining = false;
  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const items = queue.splice(0, BATCH);
      const files = items.filter((i): i is Hashed => !('outcome' in i));
      for (const i of items) if ('outcome' in i) addOutcome(report, i);
      for (const o of await importBatch(hub, files, opts)) addOutcome(report, o);
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
