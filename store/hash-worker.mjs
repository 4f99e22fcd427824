// @ts-check
/**
 * Hashing worker thread: hashes the files it is sent, one at a time, answering with progress
 * messages and the result (or the error's code and message). It only reads. `workerData.busy`
 * counts the threads hashing now (store/hash-pool.ts): it decides how the file is read.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { hashStream } from './hash-stream.mjs';

/** @type {Int32Array | undefined} */
const busy = workerData?.busy instanceof SharedArrayBuffer ? new Int32Array(workerData.busy) : undefined;

parentPort?.on('message', (/** @type {{ id: number, path: string, autov3Offset?: number }} */ job) => {
  /** @type {{ onProgress: (bytes: number) => void, busy?: Int32Array, autov3Offset?: number }} */
  const opts = { onProgress: (bytes) => parentPort?.postMessage({ id: job.id, progress: bytes }) };
  if (busy !== undefined) opts.busy = busy;
  if (job.autov3Offset !== undefined) opts.autov3Offset = job.autov3Offset;
  hashStream(job.path, opts).then(
    (done) => parentPort?.postMessage({ id: job.id, ...done }),
    (err) => parentPort?.postMessage({ id: job.id, error: { code: err?.code, message: String(err?.message ?? err) } }),
  );
});
