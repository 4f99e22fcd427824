// @ts-check
/**
 * Hashing worker thread: hashes the files it is sent, one at a time, answering with progress
 * messages and the result (or the error's code and message). It only reads.
 */
import { parentPort } from 'node:worker_threads';
import { hashStream } from './hash-stream.mjs';

parentPort?.on('message', (/** @type {{ id: number, path: string, autov3Offset?: number }} */ job) => {
  const opts = { onProgress: (/** @type {number} */ bytes) => parentPort?.postMessage({ id: job.id, progress: bytes }) };
  hashStream(job.path, job.autov3Offset === undefined ? opts : { ...opts, autov3Offset: job.autov3Offset }).then(
    (done) => parentPort?.postMessage({ id: job.id, ...done }),
    (err) => parentPort?.postMessage({ id: job.id, error: { code: err?.code, message: String(err?.message ?? err) } }),
  );
});
