/**
 * The one error class ModelHub throws on purpose. Every expected failure carries a stable
 * `code` (ERR_MODELHUB_*), a message that names the file it concerns, and where possible a
 * `hint` naming the command or flag that fixes it. Anything thrown that is not a ModelHubError
 * is a bug: the CLI prints its stack and says so.
 */
export class ModelHubError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly path: string | undefined;
  /** Extra structured detail for `--json` output (e.g. every validation problem). */
  readonly details: unknown;

  constructor(code: string, message: string, opts: { hint?: string; path?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ModelHubError';
    this.code = code.startsWith('ERR_MODELHUB_') ? code : `ERR_MODELHUB_${code}`;
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
