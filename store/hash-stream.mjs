// @ts-check
/**
 * Streaming SHA-256 of one file with bounded memory (two reusable 4 MiB buffers). When
 * `autov3Offset` is given, also the AutoV3 hash (SHA-256 of the bytes from that offset on: a
 * safetensors payload) in the same pass. Shared by the hashing worker threads and the main
 * thread. It only reads.
 *
 * How it reads depends on who else hashes. Alone, the next 4 MiB are read on libuv's thread
 * pool while this thread hashes the current ones: the copy out of the page cache runs on the
 * other core. When `busy` (the number of threads hashing now, shared by the pool) says another
 * thread hashes too, both cores are taken by hashing, and a reader thread would only take turns
 * with them: this thread then reads 256 KiB at a time itself, which also keeps each chunk in its
 * own core's cache between the copy and the hash. The choice is made again before every read.
 *
 * Plain JavaScript (type-checked through JSDoc) so that worker threads load it unchanged from
 * the sources and from dist/.
 */
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';

const CHUNK = 4 * 1024 * 1024;
const OWN_CHUNK = 256 * 1024;
const PROGRESS_EVERY = 64 * 1024 * 1024;

/**
 * @param {string} path
 * @param {{ autov3Offset?: number, onProgress?: (bytes: number) => void, busy?: Int32Array }} [opts]
 * @returns {Promise<{ sha256: string, autov3?: string, bytes: number }>}
 */
export async function hashStream(path, opts = {}) {
  const fh = await open(path, 'r');
  try {
    const sha = createHash('sha256');
    const v3Start = opts.autov3Offset;
    const v3 = v3Start === undefined ? undefined : createHash('sha256');
    const busy = opts.busy;
    const alone = () => busy === undefined || Atomics.load(busy, 0) <= 1;
    const first = Buffer.allocUnsafe(CHUNK);
    const second = Buffer.allocUnsafe(CHUNK);
    let next = first;
    const other = (/** @type {Buffer} */ b) => (b === first ? second : first);
    let pos = 0;
    let reported = 0;
    /** @type {Promise<{ bytesRead: number }> | undefined} */
    let pending;
    for (;;) {
      /** @type {Buffer} */
      let view;
      if (pending !== undefined) {
        const { bytesRead } = await pending;
        pending = undefined;
        if (bytesRead === 0) break;
        view = next.subarray(0, bytesRead);
        next = other(next);
        if (alone()) pending = fh.read(next, 0, CHUNK, pos + bytesRead);
      } else if (alone()) {
        pending = fh.read(next, 0, CHUNK, pos);
        continue;
      } else {
        const bytesRead = readSync(fh.fd, next, 0, OWN_CHUNK, pos);
        if (bytesRead === 0) break;
        view = next.subarray(0, bytesRead);
      }
      const chunkStart = pos;
      pos += view.length;
      sha.update(view);
      if (v3 !== undefined && v3Start !== undefined && pos > v3Start) {
        v3.update(chunkStart >= v3Start ? view : view.subarray(v3Start - chunkStart));
      }
      if (opts.onProgress !== undefined && pos - reported >= PROGRESS_EVERY) {
        opts.onProgress(pos - reported);
        reported = pos;
      }
    }
    if (opts.onProgress !== undefined && pos > reported) opts.onProgress(pos - reported);
    /** @type {{ sha256: string, autov3?: string, bytes: number }} */
    const done = { sha256: sha.digest('hex'), bytes: pos };
    if (v3 !== undefined) done.autov3 = v3.digest('hex');
    return done;
  } finally {
    await fh.close();
  }
}
