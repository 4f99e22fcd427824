import { ModelHubError } from '../core/errors.js';

/** What hashing a file asks and answers, shared by the pool (store/hash-pool.ts) and store/hash.ts. */

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

/** A read error while hashing, as the coded error every hashing path reports. */
export function hashError(path: string, err: { code?: string; message: string }): ModelHubError {
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
