// @ts-check
/**
 * Hashing worker: streams one file at a time with bounded memory (two reusable buffers, the
 * next read overlapping the current hash update) and answers with its SHA-256 and, when asked,
 * the AutoV3 hash (SHA-256 of the bytes from `autov3Offset` on) computed in the same pass.
 * Plain JavaScript (type-checked through JSDoc) so that it runs unchanged from the sources and
 * from dist/. It only reads.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';

const CHUNK = 4 * 1024 * 1024;
const PROGRESS_EVERY = 64 * 1024 * 1024;

/**
 * @typedef {{ id: number, path: string, autov3Offset?: number }} HashJob
 * @typedef {{ id: number, sha256: string, autov3?: string, bytes: number }} HashDone
 */

/** @param {HashJob} job */
async function hashFile(job) {
  const fh = await open(job.path, 'r');
  try {
    const sha = createHash('sha256');
    const v3Start = job.autov3Offset;
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
      if (pos - reported >= PROGRESS_EVERY) {
        parentPort?.postMessage({ id: job.id, progress: pos - reported });
        reported = pos;
      }
    }
    if (pos > reported) parentPort?.postMessage({ id: job.id, progress: pos - reported });
    /** @type {HashDone} */
    const done = { id: job.id, sha256: sha.digest('hex'), bytes: pos };
    if (v3 !== undefined) done.autov3 = v3.digest('hex');
    return done;
  } finally {
    await fh.close();
  }
}

parentPort?.on('message', (/** @type {HashJob} */ job) => {
  hashFile(job).then(
    (done) => parentPort?.postMessage(done),
    (err) => parentPort?.postMessage({ id: job.id, error: { code: err?.code, message: String(err?.message ?? err) } }),
  );
});
