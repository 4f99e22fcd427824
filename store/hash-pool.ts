import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { hashError, type HashFailure, type HashRequest, type HashResult } from './hash-types.js';

export interface HashPoolOptions {
  /** Most worker threads to run; default one per core. */
  threads?: number;
  /** Called with the number of bytes hashed since the last call (for progress bars). */
  onProgress?: (bytes: number) => void;
}

/**
 * Worker threads hashing files with streaming SHA-256 (store/hash-stream.mjs), each one file at
 * a time: files may be queued while the caller goes on with other work, and a worker is started
 * only when a queued file finds none idle (or ahead of time, by `warm`). Failures (unreadable,
 * vanished files) are results of their own; the rest go on. Only reads.
 */
export interface HashPool {
  /** Queue a file; the promise settles with its hash or its failure, never rejects for the file's sake. */
  hash(request: HashRequest): Promise<HashResult | HashFailure>;
  /**
   * Start one worker now, before any file is queued: starting a thread costs tens of
   * milliseconds, which then overlap the caller's own work instead of delaying the first file.
   */
  warm(): void;
  /** End every worker; files still queued or being hashed are rejected. */
  close(): Promise<void>;
}

interface Job {
  id: number;
  request: HashRequest;
  resolve: (r: HashResult | HashFailure) => void;
  reject: (err: Error) => void;
}

interface WorkerMessage {
  id: number;
  progress?: number;
  sha256?: string;
  autov3?: string;
  bytes?: number;
  error?: { code?: string; message: string };
}

const WORKER_URL = new URL('./hash-worker.mjs', import.meta.url);

/**
 * How many files the process's hashing threads are hashing now, shared with them: a thread
 * hashing alone overlaps its reads on another core, one of several reads for itself
 * (store/hash-stream.mjs).
 */
const BUSY = new SharedArrayBuffer(4);
const busyCount = new Int32Array(BUSY);

function newWorker(): Worker {
  return new Worker(WORKER_URL, { workerData: { busy: BUSY } });
}

/** A worker started ahead of any pool (prestartHashWorker), waiting to be adopted by the first. */
let prestarted: Worker | undefined;

/**
 * Start one hashing thread now, before the caller knows whether it has files to hash: a command
 * about to scan calls this first thing, so the thread's start-up (tens of milliseconds) overlaps
 * loading the rest of the command instead of delaying the first large file. The first pool
 * created adopts it. Until then it does not keep the process alive, so an unused one costs only
 * its start-up on an idle core.
 */
export function prestartHashWorker(): void {
  if (prestarted !== undefined) return;
  const worker = newWorker();
  worker.unref();
  // Nothing is asked of it yet: one that fails to start is forgotten, and a pool starts its own.
  const forget = (): void => {
    if (prestarted === worker) prestarted = undefined;
  };
  worker.on('error', forget);
  worker.on('exit', forget);
  prestarted = worker;
}

function adoptPrestarted(): Worker | undefined {
  const worker = prestarted;
  prestarted = undefined;
  worker?.removeAllListeners('error');
  worker?.removeAllListeners('exit');
  worker?.ref();
  return worker;
}

export function createHashPool(opts: HashPoolOptions = {}): HashPool {
  const limit = Math.max(1, opts.threads ?? availableParallelism());
  const idle: Worker[] = [];
  const all: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const queue: Job[] = [];
  let nextId = 0;

  const dispatch = (): void => {
    while (queue.length > 0) {
      const worker = idle.pop() ?? (all.length < limit ? start() : undefined);
      if (worker === undefined) return;
      const job = queue.shift() as Job;
      busy.set(worker, job);
      Atomics.add(busyCount, 0, 1);
      worker.postMessage({ id: job.id, path: job.request.path, autov3Offset: job.request.autov3Offset });
    }
  };

  const finished = (worker: Worker): void => {
    if (busy.delete(worker)) Atomics.sub(busyCount, 0, 1);
  };

  const start = (): Worker => {
    const worker = adoptPrestarted() ?? newWorker();
    all.push(worker);
    worker.on('message', (msg: WorkerMessage) => {
      const job = busy.get(worker);
      if (job === undefined || msg.id !== job.id) return;
      if (msg.progress !== undefined) {
        opts.onProgress?.(msg.progress);
        return;
      }
      finished(worker);
      idle.push(worker);
      job.resolve(resultOf(job.request, msg));
      dispatch();
    });
    worker.on('error', (err: Error) => {
      // A worker that dies takes its file with it: a bug, not a property of the file.
      const job = busy.get(worker);
      finished(worker);
      all.splice(all.indexOf(worker), 1);
      if (idle.includes(worker)) idle.splice(idle.indexOf(worker), 1);
      job?.reject(err);
      dispatch();
    });
    return worker;
  };

  return {
    hash(request) {
      const done = new Promise<HashResult | HashFailure>((resolve, reject) => queue.push({ id: nextId++, request, resolve, reject }));
      dispatch();
      return done;
    },
    warm() {
      if (all.length === 0) idle.push(start());
    },
    async close() {
      const unfinished = [...queue.splice(0), ...busy.values()];
      for (const worker of [...busy.keys()]) finished(worker);
      for (const job of unfinished) job.reject(new Error('the hashing pool was closed before this file was hashed'));
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

function resultOf(request: HashRequest, msg: WorkerMessage): HashResult | HashFailure {
  if (msg.error !== undefined) return { path: request.path, error: hashError(request.path, msg.error) };
  const out: HashResult = { path: request.path, sha256: msg.sha256 ?? '', bytes: msg.bytes ?? 0 };
  if (msg.autov3 !== undefined) out.autov3 = msg.autov3;
  return out;
}
