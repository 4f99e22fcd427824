import { ModelHubError } from '../core/errors.js';

/**
 * The closed set of error codes the format readers throw, each with the hint a user gets when
 * the reader has no more specific one. Every code has a hint; CORRUPT and TRUNCATED are what a
 * damaged download gives.
 */
export const FORMAT_ERROR_HINTS = {
  ERR_MODELHUB_NOT_FOUND: 'check the path; a symlink must point to an existing file',
  ERR_MODELHUB_SYMLINK_LOOP: 'fix or remove the symlink',
  ERR_MODELHUB_NOT_A_FILE: 'give the path of a model file (`modelhub scan` also takes folders)',
  ERR_MODELHUB_PERMISSION_DENIED: 'check the file permissions',
  ERR_MODELHUB_EMPTY_FILE: 're-download it; the file is empty',
  ERR_MODELHUB_UNKNOWN_FORMAT: 'check that the right file was downloaded; ModelHub reads safetensors, GGUF and PyTorch checkpoints',
  ERR_MODELHUB_TRUNCATED: 're-download it; the file ends before its header does (an incomplete download)',
  ERR_MODELHUB_HEADER_TOO_LARGE: 're-download it; no genuine model declares a header that large',
  ERR_MODELHUB_CORRUPT: 're-download it; this copy breaks its format, so applications cannot load it reliably',
  ERR_MODELHUB_UNSUPPORTED: 'convert the file to safetensors or a current GGUF, or update ModelHub',
  ERR_MODELHUB_LIMIT: 're-download it; a genuine model stays far below this safety limit (report it if yours does not)',
} as const;

export type FormatErrorCode = keyof typeof FORMAT_ERROR_HINTS;

/** The hint for files that break their format's rules. */
export const CORRUPT_HINT = FORMAT_ERROR_HINTS.ERR_MODELHUB_CORRUPT;

/** A ModelHubError whose message starts with the path it concerns; without `hint`, the code's own. */
export function formatError(code: FormatErrorCode, path: string, problem: string, hint?: string, cause?: unknown): ModelHubError {
  return new ModelHubError(code, `${path}: ${problem}`, { path, hint: hint ?? FORMAT_ERROR_HINTS[code], cause });
}

/**
 * ERR_MODELHUB_CORRUPT for a file whose header was read but breaks its format: "corrupt
 * <what>: <problem>", where the problem names the tensor or field.
 */
export function corruptError(path: string, what: string, problem: string, cause?: unknown): ModelHubError {
  return formatError('ERR_MODELHUB_CORRUPT', path, `corrupt ${what}: ${problem}`, CORRUPT_HINT, cause);
}

/**
 * An untrusted value as it should appear in a message: strings quoted and cut, numbers as
 * written, containers by kind and size. Never "[object Object]".
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') {
    const o = v as { kind?: unknown; arrayOf?: unknown; length?: unknown };
    if (typeof o.arrayOf === 'string') return `an array of ${String(o.length)} ${o.arrayOf}`;
    if (typeof o.kind === 'string') return `a ${o.kind}`;
    return 'an object';
  }
  return typeof v;
}
