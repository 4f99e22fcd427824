// @ts-check
/**
 * Streaming SHA-256 of one file with bounded memory: two reusable 4 MiB buffers, the next read
 * overlapping the current hash update. When `autov3Offset` is given, also the AutoV3 hash
 * (SHA-256 of the bytes from that offset on: a safetensors payload) in the same pass.
 * Shared by the hashing worker threads and the main thread. It only reads.
 * Plain JavaScript (type-checked through JSDoc) so that worker threads load it unchanged from
 * the sources and from dist/.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const CHUNK = 4 * 1024 * 1024;
const PROGRESS_EVERY = 64 * 1024 * 1024;

/**
 * @param {string} path
 * @param {{ autov3Offset?: number, onProgress?: (bytes: number) => void }} [opts]
 * @returns {Promise<{ sha256: string, autov3?: string, bytes: number }>}
 */
export async function hashStream(path, opts = {}) {
  const fh = await open(path, 'r');
  try {
    const sha = createHash('sha256');
    const v3Start = opts.autov3Offset;
    const v3 = v3Start === undefined ? undefined : createHash('sha256');
    /** @type {[Buffer, Buffer]} */
    const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let which = 0;
    let pos = 0;
    let reported = 0;
    let pending = fh.read(buffers[0], 0, CHUNK, 0);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      const chunkStart = pos;
      pos += bytesRead;
      which ^= 1;
      pending = fh.read(which === 0 ? buffers[0] : buffers[1], 0, CHUNK, pos);
      const view = buffer.subarray(0, bytesRead);
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
