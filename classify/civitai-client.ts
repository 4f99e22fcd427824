import { setTimeout as realSleep } from 'node:timers/promises';
import { ModelHubError } from '../core/errors.js';
import { badCivitaiResponse, forFile, parseModelVersion, pickAnswers, type BatchAnswer, type VersionAnswer } from './civitai-version.js';

export { civitaiMetadata, parseModelVersion, toCivitaiVersion, type BatchAnswer, type CivitaiFile, type CivitaiModelVersion, type VersionAnswer } from './civitai-version.js';

/**
 * The CivitAI REST client: `GET {base}/model-versions/by-hash/{hash}` and the batch
 * `POST {base}/model-versions/by-hash`. It retries 5xx, dropped connections and timeouts with
 * exponential backoff, honours 429 + Retry-After, gives up at once on a name that does not
 * resolve or a refused connection, spaces request starts and bounds how many run
 * at once. It never touches SQLite (caching is civitai-lookup.ts's job), never logs, and never
 * puts the API key anywhere but the Authorization header of its own requests.
 */

export const CIVITAI_DEFAULT_BASE_URL = 'https://civitai.com/api/v1';
/** The batch endpoint takes at most this many SHA-256 hashes per request. */
export const CIVITAI_BATCH_LIMIT = 100;

export interface CivitaiClientOptions {
  /** e.g. https://civitai.com/api/v1 (no trailing slash needed). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when non-empty. */
  apiKey?: string | undefined;
  /** Per attempt, headers and body together. Default 15000. */
  timeoutMs?: number;
  /** Retries after the first attempt (5xx, network, timeout, 429). Default 3. */
  maxRetries?: number;
  /** Base of the exponential backoff, jittered. Default 500. */
  backoffMs?: number;
  /** Longest backoff between two attempts. Default 10000. */
  maxBackoffMs?: number;
  /** Longest Retry-After the client waits; a longer one fails with ERR_MODELHUB_CIVITAI_RATE_LIMITED. Default 60000. */
  maxRetryAfterMs?: number;
  /** Minimum time between two request starts. Default 500. */
  minIntervalMs?: number;
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
  userAgent?: string;
  /** How the client waits (backoff, Retry-After, spacing); tests pass their own. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock (ms since the epoch) that Retry-After and request spacing are measured on; tests pass their own. */
  now?: () => number;
}

interface Request {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
}

type Attempt =
  | { kind: 'answered'; status: number; text: string }
  | { kind: 'retry'; waitMs?: number; fail: (attempts: number) => ModelHubError }
  /** No point in trying again: the name does not resolve, or nothing listens there. */
  | { kind: 'unreachable'; fail: (attempts: number) => ModelHubError };

/**
 * Network errors that end a lookup at once: a name that does not resolve (ENOTFOUND, EAI_AGAIN:
 * no resolver answers, which on an offline machine is every name) and a refused connection.
 * Retrying them only makes an offline scan wait; timeouts, resets and 5xx are retried.
 */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'ECONNREFUSED']);

const OFFLINE_HINT = 'check your connection, or pass --offline';

export class CivitaiClient {
  readonly baseUrl: string;
  /** Origin of the site pages (`pageUrl`): that of the base URL. */
  readonly siteOrigin: string;
  /** Attempts made so far (every retry counts), for reports. */
  attempts = 0;
  /** A #private field, so neither JSON.stringify nor util.inspect of a client shows it. */
  readonly #apiKey: string | undefined;
  /** Set once CivitAI proved unreachable (see UNREACHABLE_CODES): later requests fail with it at once. */
  #unreachable: ModelHubError | undefined;
  private readonly opts: Required<Omit<CivitaiClientOptions, 'apiKey' | 'baseUrl'>>;
  private readonly gate: RequestGate;

  constructor(options: CivitaiClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch (err) {
      throw new ModelHubError('ERR_MODELHUB_CIVITAI_CONFIG', `the CivitAI base URL is not a URL: ${JSON.stringify(options.baseUrl)}`, {
        hint: 'fix external_apis.civitai.base_url in your config, or MODELHUB_CIVITAI_URL',
        cause: err,
      });
    }
    url.username = '';
    url.password = '';
    this.baseUrl = url.href.replace(/\/+$/, '');
    this.siteOrigin = url.origin;
    this.#apiKey = options.apiKey === '' ? undefined : options.apiKey;
    this.opts = {
      timeoutMs: options.timeoutMs ?? 15_000,
      maxRetries: options.maxRetries ?? 3,
      backoffMs: options.backoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      minIntervalMs: options.minIntervalMs ?? 500,
      concurrency: Math.max(1, options.concurrency ?? 2),
      userAgent: options.userAgent ?? 'ModelHub (+model inventory CLI)',
      sleep: options.sleep ?? ((ms) => realSleep(ms)),
      now: options.now ?? Date.now,
    };
    this.gate = new RequestGate(this.opts.concurrency, this.opts.minIntervalMs, this.opts.sleep, this.opts.now);
  }

  /**
   * The version a hash (SHA256, AutoV3 12-hex prefix, AutoV2, …) belongs to, or null when
   * CivitAI answers 404. Throws ModelHubError for everything else.
   */
  async getByHash(hash: string): Promise<VersionAnswer | null> {
    const h = normalizeHash(hash, /^[0-9A-F]{8,64}$/);
    const req: Request = { method: 'GET', url: `${this.baseUrl}/model-versions/by-hash/${h}` };
    const { status, text } = await this.send(req);
    if (status === 404) {
      assertApiNotFound(req, text);
      return null;
    }
    if (status === 405) throw this.httpError(req, status, text);
    const version = parseModelVersion(parseJson(req, text), this.siteOrigin, req.url);
    // CivitAI matched one of the stored hashes of some file; the SHA256 one names it best.
    const file = version.files.find((f) => f.hashes.SHA256 === h) ?? version.files.find((f) => Object.values(f.hashes).includes(h));
    return { hash: h, version: forFile(version, file) };
  }

  /**
   * Batch lookup of whole-file SHA-256 hashes, in requests of at most 100. CivitAI answers with
   * one element per matching file, in no particular order, some of them null; each element is
   * mapped back by its `files[].hashes.SHA256` (see pickAnswers). Returns one answer per
   * requested hash that an element names: its version, or an error when only an unreadable
   * element names it. Hashes without an answer are not on CivitAI. Throws
   * ERR_MODELHUB_CIVITAI_NO_BATCH when the server has no batch endpoint (404/405), so the caller
   * can fall back to getByHash.
   */
  async postByHashes(sha256s: string[]): Promise<BatchAnswer[]> {
    const wanted = [...new Set(sha256s.map((s) => normalizeHash(s, /^[0-9A-F]{64}$/)))];
    const chunks: string[][] = [];
    for (let i = 0; i < wanted.length; i += CIVITAI_BATCH_LIMIT) chunks.push(wanted.slice(i, i + CIVITAI_BATCH_LIMIT));
    const answers = await Promise.all(chunks.map((chunk) => this.postChunk(chunk)));
    return answers.flat();
  }

  private async postChunk(chunk: string[]): Promise<BatchAnswer[]> {
    const req: Request = { method: 'POST', url: `${this.baseUrl}/model-versions/by-hash`, body: JSON.stringify(chunk) };
    const { status, text } = await this.send(req);
    if (status === 404 || status === 405) {
      throw new ModelHubError('ERR_MODELHUB_CIVITAI_NO_BATCH', `${this.redact(req.url)} has no batch lookup (HTTP ${status})`, { details: { status } });
    }
    const json = parseJson(req, text);
    if (!Array.isArray(json)) throw badResponse(req, 'expected a JSON array of model versions');
    return pickAnswers(json, chunk, (raw) => parseModelVersion(raw, this.siteOrigin, req.url));
  }

  /** Run one request to an answer: 2xx, 404 or 405. Retries what can be retried, throws the rest. */
  private async send(req: Request): Promise<{ status: number; text: string }> {
    if (this.#unreachable !== undefined) throw this.#unreachable;
    for (let attempt = 0; ; attempt++) {
      const result = await this.attemptOnce(req);
      if (result.kind === 'answered') return result;
      if (result.kind === 'unreachable') {
        // Every later request of this run would fail the same way: they fail at once too.
        this.#unreachable = result.fail(attempt + 1);
        throw this.#unreachable;
      }
      if (attempt >= this.opts.maxRetries) throw result.fail(attempt + 1);
      await this.opts.sleep(result.waitMs ?? computeBackoff(attempt, this.opts.backoffMs, this.opts.maxBackoffMs));
    }
  }

  private async attemptOnce(req: Request): Promise<Attempt> {
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.opts.userAgent };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.#apiKey !== undefined) headers.Authorization = `Bearer ${this.#apiKey}`;
    let status: number;
    let text: string;
    let retryAfter: string | null;
    await this.gate.acquire();
    this.attempts++;
    try {
      const res = await fetch(req.url, { method: req.method, headers, body: req.body, signal: AbortSignal.timeout(this.opts.timeoutMs) });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (err) {
      return { kind: isUnreachable(err) ? 'unreachable' : 'retry', fail: this.transportFailure(req, err) };
    } finally {
      this.gate.release();
    }
    if ((status >= 200 && status < 300) || status === 404 || status === 405) return { kind: 'answered', status, text };
    if (status === 429) return this.judgeRateLimit(req, retryAfter);
    if (status >= 500) {
      return { kind: 'retry', fail: (n) => new ModelHubError('ERR_MODELHUB_CIVITAI_SERVER', `CivitAI answered HTTP ${status} to ${req.method} ${this.redact(req.url)} (${countAttempts(n)})`, { hint: 'CivitAI may be having trouble; try again later, or pass --offline', details: { status } }) };
    }
    throw this.httpError(req, status, text);
  }

  private judgeRateLimit(req: Request, retryAfter: string | null): Attempt {
    const waitMs = parseRetryAfter(retryAfter, this.opts.now());
    const fail = (n: number): ModelHubError =>
      new ModelHubError('ERR_MODELHUB_CIVITAI_RATE_LIMITED', `CivitAI is rate-limiting ${req.method} ${this.redact(req.url)} (HTTP 429${retryAfter === null ? '' : `, Retry-After: ${retryAfter}`}; ${countAttempts(n)})`, {
        hint: 'wait a while and run the command again, or pass --offline',
      });
    if (waitMs === undefined) return { kind: 'retry', fail };
    if (waitMs > this.opts.maxRetryAfterMs) throw fail(1);
    this.gate.pauseUntil(this.opts.now() + waitMs); // a 429 holds back every request of this client
    return { kind: 'retry', waitMs, fail };
  }

  /** Only fetch's own failures are retried: its timeout (DOMException) and network errors (TypeError). Anything else is rethrown. */
  private transportFailure(req: Request, err: unknown): (attempts: number) => ModelHubError {
    if (err instanceof DOMException && err.name === 'TimeoutError') {
      return (n) => new ModelHubError('ERR_MODELHUB_CIVITAI_TIMEOUT', `CivitAI did not answer ${req.method} ${this.redact(req.url)} within ${this.opts.timeoutMs} ms (${countAttempts(n)})`, { hint: OFFLINE_HINT });
    }
    if (err instanceof TypeError) {
      const reason = this.redact(err.cause instanceof Error ? err.cause.message : err.message);
      return (n) => new ModelHubError('ERR_MODELHUB_CIVITAI_UNREACHABLE', `cannot reach CivitAI at ${this.redact(this.baseUrl)}: ${reason}`, { hint: OFFLINE_HINT, details: { attempts: n }, cause: err });
    }
    throw err;
  }

  private httpError(req: Request, status: number, text: string): ModelHubError {
    const said = readErrorField(text);
    const message = `CivitAI answered HTTP ${status} to ${req.method} ${this.redact(req.url)}${said === undefined ? '' : `: ${this.redact(said)}`}`;
    if (status === 401 || status === 403) return new ModelHubError('ERR_MODELHUB_CIVITAI_AUTH', message, { hint: 'check CIVITAI_API_KEY, or unset it (lookups by hash need no key)', details: { status } });
    return new ModelHubError('ERR_MODELHUB_CIVITAI_HTTP', message, { details: { status } });
  }

  /** The key never appears in a message, even if a server echoes it back. */
  private redact(text: string): string {
    return this.#apiKey === undefined ? text : text.split(this.#apiKey).join('***');
  }
}

/**
 * The client a command should use, or null when lookups are off: `--offline`, or
 * `external_apis.civitai.enabled: false`. The key comes from CIVITAI_API_KEY only.
 */
export function createCivitaiClient(
  config: { external_apis: { civitai: { enabled: boolean; base_url: string; timeout_seconds?: number; requests_per_second?: number } } },
  opts: { env: NodeJS.ProcessEnv; offline: boolean; client?: Partial<CivitaiClientOptions> },
): CivitaiClient | null {
  const civitai = config.external_apis.civitai;
  if (opts.offline || !civitai.enabled) return null;
  const fromConfig: Partial<CivitaiClientOptions> = {};
  if (civitai.timeout_seconds !== undefined) fromConfig.timeoutMs = civitai.timeout_seconds * 1000;
  if (civitai.requests_per_second !== undefined) fromConfig.minIntervalMs = 1000 / civitai.requests_per_second;
  return new CivitaiClient({ baseUrl: civitai.base_url, apiKey: opts.env.CIVITAI_API_KEY, ...fromConfig, ...opts.client });
}

/**
 * Bounded concurrency plus a minimum spacing between request starts, shared by all requests
 * of one client. A released slot is handed straight to the next waiter, so no newcomer can
 * overtake it.
 */
class RequestGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private nextStartAt = 0;

  constructor(
    private readonly limit: number,
    private readonly minIntervalMs: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number,
  ) {}

  /** Wait for a slot and for this request's turn to start. Pair every call with release(). */
  async acquire(): Promise<void> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    const now = this.now();
    const startAt = Math.max(now, this.nextStartAt);
    this.nextStartAt = startAt + this.minIntervalMs;
    if (startAt > now) await this.sleep(startAt - now);
  }

  release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.active--;
    else next();
  }

  /** Start no request before `at` (ms since the epoch). */
  pauseUntil(at: number): void {
    this.nextStartAt = Math.max(this.nextStartAt, at);
  }
}

/** Whether fetch failed because the host's name does not resolve or the connection was refused. */
function isUnreachable(err: unknown): boolean {
  if (!(err instanceof TypeError) || !(err.cause instanceof Error)) return false;
  const cause = err.cause as Error & { code?: unknown; errors?: Array<{ code?: unknown }> };
  const codes = [cause.code, ...(cause.errors ?? []).map((e) => e.code)];
  return codes.some((c) => typeof c === 'string' && UNREACHABLE_CODES.has(c));
}

/** Exponential backoff with jitter: a delay in [½, 1] × base·2^attempt, capped at maxMs. */
export function computeBackoff(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const full = Math.min(maxMs, baseMs * 2 ** attempt);
  return full / 2 + random() * (full / 2);
}

/** A Retry-After header in ms from `nowMs`: delta-seconds (fractions allowed) or an HTTP date. Undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function countAttempts(n: number): string {
  return n === 1 ? '1 attempt' : `${n} attempts`;
}

function normalizeHash(hash: string, shape: RegExp): string {
  const h = hash.trim().toUpperCase();
  if (!shape.test(h)) throw new ModelHubError('ERR_MODELHUB_CIVITAI_BAD_HASH', `not a hash CivitAI can look up: ${JSON.stringify(hash)}`);
  return h;
}

function parseJson(req: Request, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    if (err instanceof SyntaxError) throw badResponse(req, `the answer is not JSON (${err.message})`);
    throw err;
  }
}

/** A real CivitAI 404 carries `{"error": …}`; anything else means the base URL is not the API. */
function assertApiNotFound(req: Request, text: string): void {
  if (readErrorField(text) !== undefined) return;
  throw new ModelHubError('ERR_MODELHUB_CIVITAI_WRONG_URL', `${req.url} answered 404 without CivitAI's JSON error body; the base URL does not look like the CivitAI API`, {
    hint: 'set external_apis.civitai.base_url (or MODELHUB_CIVITAI_URL) to the API root, e.g. https://civitai.com/api/v1',
  });
}

function readErrorField(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as unknown;
    return isRecord(json) && typeof json.error === 'string' ? json.error : undefined;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

function badResponse(req: Request, why: string): ModelHubError {
  return badCivitaiResponse(`${req.method} ${req.url}`, why);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
