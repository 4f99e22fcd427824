import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { errnoCode } from '../core/errors.js';
import { createHashPool } from './hash-pool.js';
import { hashStream } from './hash-stream.mjs';
import { hashError, type HashFailure, type HashRequest, type HashResult } from './hash-types.js';

export type { HashFailure, HashRequest, HashResult } from './hash-types.js';

export interface HashManyOptions {
  /** Worker threads to use; default: one per core, never more than there are files. */
  threads?: number;
  /** Called with the number of bytes hashed since the last call (for progress bars). */
  onProgress?: (bytes: number) => void;
  /** Called as each file finishes, in completion order. */
  onResult?: (result: HashResult | HashFailure) => void;
}

/**
 * Hash files with streaming SHA-256 on a pool of worker threads (store/hash-pool.ts; both cores
 * when several files are pending). Memory per thread is bounded (two 4 MiB buffers). Failures
 * (unreadable, vanished files) are returned per file, in the order asked; the rest go on.
 */
export async function hashMany(requests: HashRequest[], opts: HashManyOptions = {}): Promise<Array<HashResult | HashFailure>> {
  if (requests.length === 0) return [];
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), requests.length));
  const pool = createHashPool({ threads, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  try {
    return await Promise.all(
      requests.map(async (r) => {
        const result = await pool.hash(r);
        opts.onResult?.(result);
        return result;
      }),
    );
  } finally {
    await pool.close();
  }
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
