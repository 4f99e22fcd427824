/**
 * Every error code ModelHub throws on purpose, without the `ERR_MODELHUB_` prefix: a closed set,
 * so a new failure is added here (and to the README's table of messages) or does not compile.
 */
export const ERROR_CODES = [
  'CHANGED_DURING_SCAN', 'CIVITAI_AUTH', 'CIVITAI_BAD_HASH', 'CIVITAI_BAD_RESPONSE', 'CIVITAI_CONFIG',
  'CIVITAI_HTTP', 'CIVITAI_NO_BATCH', 'CIVITAI_RATE_LIMITED', 'CIVITAI_SERVER', 'CIVITAI_TIMEOUT',
  'CIVITAI_UNREACHABLE', 'CIVITAI_WRONG_URL', 'CONFIG_INVALID', 'CONFIG_NOT_FOUND', 'CONFIRMATION_REQUIRED',
  'CONFLICTS', 'COPY_MISMATCH', 'CORRUPT', 'DB_CORRUPT', 'DB_OPEN', 'DB_OUTDATED', 'DB_TOO_NEW',
  'EDIT_REFUSED', 'EMPTY_DESIRED', 'EMPTY_FILE', 'FOLDER_IS_SYMLINK', 'HEADER_TOO_LARGE', 'IMPORT_FAILED',
  'INVENTORY_INVALID', 'INVENTORY_NOT_FOUND', 'LIMIT', 'LOCKED', 'LOCK_FAILED', 'MANIFESTS_INVALID',
  'MANIFESTS_NOT_FOUND', 'MODEL_AMBIGUOUS', 'MODEL_NOT_FOUND', 'NOT_A_FILE', 'NOT_A_MODEL',
  'NOT_FOUND', 'NOT_OWNED', 'NOT_SETTLED', 'NO_HUB', 'NO_INVENTORY', 'NO_SPACE', 'OUTPUT_CLOSED', 'OUTPUT_FAILED',
  'OUTPUT_REFUSED', 'OUT_OF_SCOPE', 'PATH_CHANGED', 'PATH_VARIABLE_UNSET', 'PERMISSION_DENIED',
  'PLAN_INVALID', 'PLAN_MISMATCH', 'PLAN_OUTDATED', 'PLAN_STALE', 'RULES_INVALID', 'RULES_NOT_FOUND',
  'STORE_CORRUPT', 'SYMLINK_LOOP', 'TARGET_ROOT_MISSING', 'TRUNCATED', 'UNKNOWN', 'UNKNOWN_FORMAT',
  'UNKNOWN_STORE_LINK', 'UNKNOWN_TARGET', 'UNREADABLE', 'UNSUPPORTED', 'USAGE',
] as const;
export type ErrorCodeName = (typeof ERROR_CODES)[number];
export type ErrorCode = `ERR_MODELHUB_${ErrorCodeName}`;

/**
 * The one error class ModelHub throws on purpose. Every expected failure carries a stable
 * `code` (ERR_MODELHUB_*), a message that names the file it concerns, and where possible a
 * `hint` naming the command or flag that fixes it. Anything thrown that is not a ModelHubError
 * is a bug: the CLI prints its stack and says so.
 */
export class ModelHubError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly path: string | undefined;
  /** Extra structured detail for `--json` output (e.g. every validation problem). */
  readonly details: unknown;

  constructor(code: ErrorCodeName | ErrorCode, message: string, opts: { hint?: string; path?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ModelHubError';
    this.code = code.startsWith('ERR_MODELHUB_') ? (code as ErrorCode) : (`ERR_MODELHUB_${code}` as ErrorCode);
    this.hint = opts.hint;
    this.path = opts.path;
    this.details = opts.details;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.path !== undefined) out.path = this.path;
    if (this.hint !== undefined) out.hint = this.hint;
    if (this.details !== undefined) out.details = this.details;
    return out;
  }
}

export function isModelHubError(err: unknown): err is ModelHubError {
  return err instanceof ModelHubError;
}

/** The errno code of a Node system error, or undefined for anything else. */
export function errnoCode(err: unknown): string | undefined {
  if (err !== null && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
