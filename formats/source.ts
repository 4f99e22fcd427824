import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { errnoCode } from '../core/errors.js';
import { formatError } from './errors.js';

/**
 * Random access to the bytes of one model file (or an in-memory buffer in tests).
 * `read` returns exactly `length` bytes or throws ERR_MODELHUB_TRUNCATED; `bytesRead` counts
 * every byte handed out, so callers can prove they read headers and not weights.
 */
export interface ByteSource {
  readonly path: string;
  readonly size: number;
  readonly bytesRead: number;
  read(offset: number, length: number): Promise<Buffer>;
}

/** A read-only file opened for header reading. Close it with `close()` (always, in a finally). */
export class FileSource implements ByteSource {
  bytesRead = 0;

  private constructor(
    readonly path: string,
    readonly size: number,
    private readonly handle: FileHandle,
  ) {}

  /**
   * Opens `path` read-only, following symlinks, without blocking on FIFOs. Fails with
   * NOT_FOUND, SYMLINK_LOOP, PERMISSION_DENIED, NOT_A_FILE or EMPTY_FILE.
   */
  static async open(path: string): Promise<FileSource> {
    let handle: FileHandle;
    try {
      handle = await fsp.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (err) {
      throw mapOpenError(err, path);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        const what = stat.isDirectory() ? 'a directory' : 'not a regular file';
        throw formatError('ERR_MODELHUB_NOT_A_FILE', path, `is ${what}, not a model file`);
      }
      if (stat.size === 0) {
        throw formatError('ERR_MODELHUB_EMPTY_FILE', path, 'is empty (0 bytes)');
      }
      return new FileSource(path, stat.size, handle);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw formatError('ERR_MODELHUB_TRUNCATED', this.path,
        `needs bytes ${offset}..${offset + length} but the file holds only ${this.size} bytes`);
    }
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0) {
        throw formatError('ERR_MODELHUB_TRUNCATED', this.path,
          `ended at byte ${offset + filled} while reading ${length} bytes at ${offset} (the file shrank while being read)`);
      }
      filled += bytesRead;
      this.bytesRead += bytesRead;
    }
    return buffer;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** A ByteSource over bytes already in memory (tests, nested entries). */
export class BufferSource implements ByteSource {
  bytesRead = 0;
  readonly size: number;

  constructor(
    readonly path: string,
    private readonly bytes: Uint8Array,
  ) {
    this.size = bytes.length;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw formatError('ERR_MODELHUB_TRUNCATED', this.path,
        `needs bytes ${offset}..${offset + length} but it holds only ${this.size} bytes`);
    }
    this.bytesRead += length;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + offset, length);
  }
}

function mapOpenError(err: unknown, path: string): unknown {
  switch (errnoCode(err)) {
    case 'ENOENT':
      return formatError('ERR_MODELHUB_NOT_FOUND', path, 'does not exist (or is a dangling symlink)', undefined, err);
    case 'ENOTDIR':
      return formatError('ERR_MODELHUB_NOT_FOUND', path, 'does not exist (a parent is not a directory)', undefined, err);
    case 'ELOOP':
      return formatError('ERR_MODELHUB_SYMLINK_LOOP', path, 'is a symlink loop (or a chain of too many symlinks)', undefined, err);
    case 'EISDIR':
      return formatError('ERR_MODELHUB_NOT_A_FILE', path, 'is a directory, not a model file', undefined, err);
    case 'EACCES':
    case 'EPERM':
      return formatError('ERR_MODELHUB_PERMISSION_DENIED', path, 'cannot be opened for reading (permission denied)', undefined, err);
    default:
      return err;
  }
}
