import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { hashStream } from './hash-stream.mjs';

export interface HashRequest {
  path: string;
  /** Also compute AutoV3: SHA-256 of the bytes from this offset on (safetensors: 8 + header length). */
  autov3Offset?: number;
}

export interface HashResult {
  path: string;
  sha256: string;
  autov3?: string;
  bytes: number;
}

export interface HashFailure {
  path: string;
  error: ModelHubError;
}

export interface HashManyOptions {
  /** Worker threads to use; default: one per core, never more than there are files. */
  threads?: number;
  /** Called with the number of bytes hashed since the last call (for progress bars). */
  onProgress?: (bytes: number) => void;
  /** Called as each file finishes, in completion order. */
  onResult?: (result: HashResult | HashFailure) => void;
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
 * Hash files with streaming SHA-256 on a pool of worker threads (both cores when several files
 * are pending). Memory per thread is bounded (two 4 MiB buffers). Failures (unreadable, vanished
 * files) are returned per file; the rest go on.
 */
export async function hashMany(requests: HashRequest[], opts: HashManyOptions = {}): Promise<Array<HashResult | HashFailure>> {
  if (requests.length === 0) return [];
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), requests.length));
  const results: Array<HashResult | HashFailure> = new Array(requests.length);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_URL));
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (;;) {
          const id = next++;
          const req = requests[id];
          if (req === undefined) return;
          const result = await runJob(worker, id, req, opts.onProgress);
          results[id] = result;
          opts.onResult?.(result);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * Hash one file on the calling thread (no worker to start: verifying thousands of small copies
 * stays cheap). Errors arrive as the same ModelHubErrors the pool reports.
 */
export async function hashFile(path: string, opts: { autov3Offset?: number } = {}): Promise<HashResult> {
  try {
    return { path, ...(await hashStream(path, opts)) };
  } catch (err) {
    const code = errnoCode(err);
    if (code === undefined) throw err;
    throw hashError(path, { code, message: (err as Error).message });
  }
}

/**
 * Files up to this size are read whole on the calling thread: one read gives the header and
 * the hash, with no worker round trip (which costs more than hashing a small file).
 */
export const SMALL_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Read a small file whole and hash it on the calling thread; the bytes are returned for the
 * header to be read from them. Errors arrive as the same ModelHubErrors the pool reports.
 */
export function readAndHash(path: string, opts: { autov3Offset?: number } = {}): HashResult & { content: Buffer } {
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === undefined) throw err;
    throw hashError(path, { code, message: (err as Error).message });
  }
  return { path, content, ...hashBytes(content, opts.autov3Offset) };
}

/** SHA-256 (and AutoV3 from `autov3Offset` on, when given) of bytes in memory. */
export function hashBytes(bytes: Buffer, autov3Offset?: number): { sha256: string; autov3?: string; bytes: number } {
  const out: { sha256: string; autov3?: string; bytes: number } = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  if (autov3Offset !== undefined) out.autov3 = createHash('sha256').update(bytes.subarray(autov3Offset)).digest('hex');
  return out;
}

function runJob(worker: Worker, id: number, req: HashRequest, onProgress?: (bytes: number) => void): Promise<HashResult | HashFailure> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: WorkerMessage): void => {
      if (msg.id !== id) return;
      if (msg.progress !== undefined) {
        onProgress?.(msg.progress);
        return;
      }
      cleanup();
      if (msg.error !== undefined) {
        resolve({ path: req.path, error: hashError(req.path, msg.error) });
      } else {
        const out: HashResult = { path: req.path, sha256: msg.sha256 ?? '', bytes: msg.bytes ?? 0 };
        if (msg.autov3 !== undefined) out.autov3 = msg.autov3;
        resolve(out);
      }
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage({ id, path: req.path, autov3Offset: req.autov3Offset });
  });
}

function hashError(path: string, err: { code?: string; message: string }): ModelHubError {
  switch (err.code) {
    case 'ENOENT':
      return new ModelHubError('NOT_FOUND', `${path}: file vanished before it could be hashed`, { path });
    case 'EACCES':
    case 'EPERM':
      return new ModelHubError('UNREADABLE', `${path}: permission denied while hashing`, { path, hint: 'check the file permissions' });
    case 'EISDIR':
      return new ModelHubError('NOT_A_FILE', `${path}: is a directory, not a model file`, { path });
    case 'EIO':
      return new ModelHubError('UNREADABLE', `${path}: I/O error while hashing (failing disk?)`, { path });
    default:
      return new ModelHubError('UNREADABLE', `${path}: cannot hash: ${err.message}`, { path });
  }
}
