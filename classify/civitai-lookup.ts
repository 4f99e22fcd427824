import { ModelHubError } from '../core/errors.js';
import { cacheKeyForAutoV3, cacheKeyForSha256, type CachedAnswer, type CacheEntry, type CacheTimes, type CivitaiAnswerCache } from './civitai-cache.js';
import { CIVITAI_BATCH_LIMIT, type CivitaiClient, type CivitaiModelVersion } from './civitai-client.js';

/**
 * Which CivitAI version each model file is, cache first. Order per file: a cached answer
 * (unexpired, unless `refresh`), then one batch POST per 100 uncached SHA-256s (per-hash GET
 * where the server has no batch endpoint), then, for SHA-256 misses with an AutoV3, a GET by its
 * 12-hex prefix. Every answer, 404s included, is cached with an expiry. Without a client
 * (offline) only the cache answers, expired rows included, and the network is never touched.
 * A question that fails never discards what is known: the file keeps its cached answer (expired
 * included), marked `failed`, and only a file with nothing cached gets status `error`.
 */

export interface LookupItem {
  sha256: string;
  /** SHA-256 of a safetensors file's bytes after its header (full or first 12 hex digits). */
  autov3?: string | null;
}

export interface LookupOptions {
  /** Clock in ms since the epoch (tests move it to expire rows). Default Date.now. */
  now?: () => number;
  /** Default 30: a model may be uploaded later. */
  notFoundTtlDays?: number;
  /** Default 90: names and base models get corrected now and then. */
  foundTtlDays?: number;
  /** Ask CivitAI even when a fresh cached answer exists. */
  refresh?: boolean;
}

/**
 * Per SHA-256 as the caller spelt it. `cached`: the answer came from the cache; `expired`: some
 * cached row it rests on has passed its expiry; `failed`: CivitAI was asked again and the
 * question failed, so this is the cached answer. `offline`: no client and no cached answer.
 */
export type LookupResult =
  | { status: 'found'; version: CivitaiModelVersion; matchedBy: 'sha256' | 'autov3'; cached: boolean; expired: boolean; failed?: ModelHubError }
  | { status: 'not-found'; cached: boolean; expired: boolean; failed?: ModelHubError }
  | { status: 'offline' }
  | { status: 'error'; error: ModelHubError };

/** The client calls the lookup makes; CivitaiClient provides them. */
export type CivitaiSource = Pick<CivitaiClient, 'getByHash' | 'postByHashes'>;

/** A lookup item checked and upper-cased; `autov3` is the 12-hex prefix CivitAI knows. */
export interface NormalizedItem {
  input: string;
  sha256: string;
  autov3: string | undefined;
}

/** Errors after which no further request can succeed in this run; the remaining items get the same error. */
const FATAL_CODES = new Set(['ERR_MODELHUB_CIVITAI_UNREACHABLE', 'ERR_MODELHUB_CIVITAI_RATE_LIMITED', 'ERR_MODELHUB_CIVITAI_AUTH', 'ERR_MODELHUB_CIVITAI_WRONG_URL']);

export async function lookupCivitai(cache: CivitaiAnswerCache, client: CivitaiSource | null, items: LookupItem[], opts: LookupOptions = {}): Promise<Map<string, LookupResult>> {
  const now = opts.now ?? Date.now;
  const results = new Map<string, LookupResult>();
  const wanted = new Map<string, NormalizedItem>();
  for (const item of items) {
    const w = normalizeLookupItem(item);
    if (w instanceof ModelHubError) results.set(item.sha256, { status: 'error', error: w });
    else wanted.set(w.input, w);
  }
  const ask = client !== null && opts.refresh === true;
  const cached = cache.read([...wanted.values()].flatMap(cacheKeysOf), now());
  const askSha: NormalizedItem[] = [];
  const askAutoV3: NormalizedItem[] = [];
  for (const w of wanted.values()) {
    const planned = ask ? 'ask-sha256' : answerFromCache(w, cached, client === null);
    if (planned === 'ask-sha256') askSha.push(w);
    else if (planned === 'ask-autov3') askAutoV3.push(w);
    else results.set(w.input, planned);
  }
  if (client === null) {
    for (const w of [...askSha, ...askAutoV3]) results.set(w.input, { status: 'offline' });
    return results;
  }
  const run = new LookupRun(cache, client, results, { now, foundTtlDays: opts.foundTtlDays ?? 90, notFoundTtlDays: opts.notFoundTtlDays ?? 30 });
  const chunks: NormalizedItem[][] = [];
  for (let i = 0; i < askSha.length; i += CIVITAI_BATCH_LIMIT) chunks.push(askSha.slice(i, i + CIVITAI_BATCH_LIMIT));
  const missed = (await Promise.all(chunks.map((chunk) => run.askBySha256(chunk)))).flat();
  await Promise.all([...askAutoV3, ...missed].map((w) => run.askByAutoV3(w)));
  for (const w of wanted.values()) {
    const r = results.get(w.input);
    if (r?.status !== 'error') continue;
    const known = answerFromCache(w, cached, true);
    if (typeof known === 'object' && (known.status === 'found' || known.status === 'not-found')) results.set(w.input, { ...known, failed: r.error });
  }
  return results;
}

/**
 * What the cache alone says about one file, or which question is still open. `acceptExpired`
 * (offline) lets expired rows answer.
 */
export function answerFromCache(w: NormalizedItem, cached: Map<string, CachedAnswer>, acceptExpired: boolean): LookupResult | 'ask-sha256' | 'ask-autov3' {
  const usable = (key: string): CachedAnswer | undefined => {
    const a = cached.get(key);
    return a !== undefined && (acceptExpired || !a.expired) ? a : undefined;
  };
  const bySha = usable(cacheKeyForSha256(w.sha256));
  if (bySha === undefined) return 'ask-sha256';
  if (bySha.version !== null) return { status: 'found', version: bySha.version, matchedBy: 'sha256', cached: true, expired: bySha.expired };
  if (w.autov3 === undefined) return { status: 'not-found', cached: true, expired: bySha.expired };
  const byAutoV3 = usable(cacheKeyForAutoV3(w.autov3));
  if (byAutoV3 === undefined) return 'ask-autov3';
  const expired = bySha.expired || byAutoV3.expired;
  if (byAutoV3.version !== null) return { status: 'found', version: byAutoV3.version, matchedBy: 'autov3', cached: true, expired };
  return { status: 'not-found', cached: true, expired };
}

/** One online lookup: asks the client, records answers and results, and stops asking after a fatal error. */
class LookupRun {
  private fatal: ModelHubError | undefined;
  private batchMissing = false;

  constructor(
    private readonly cache: CivitaiAnswerCache,
    private readonly client: CivitaiSource,
    private readonly results: Map<string, LookupResult>,
    private readonly times: Omit<CacheTimes, 'nowMs'> & { now: () => number },
  ) {}

  /** Ask for up to 100 SHA-256s; returns the misses that still have an AutoV3 to try. */
  async askBySha256(chunk: NormalizedItem[]): Promise<NormalizedItem[]> {
    let answers: Map<string, CivitaiModelVersion | null | ModelHubError>;
    try {
      answers = await this.fetchBySha256(chunk.map((w) => w.sha256));
    } catch (err) {
      for (const w of chunk) this.results.set(w.input, { status: 'error', error: this.noteError(err) });
      return [];
    }
    const entries: CacheEntry[] = [];
    const missed: NormalizedItem[] = [];
    for (const w of chunk) {
      const answer = answers.get(w.sha256) ?? null;
      if (answer instanceof ModelHubError) {
        this.results.set(w.input, { status: 'error', error: answer });
        continue;
      }
      entries.push({ key: cacheKeyForSha256(w.sha256), version: answer });
      if (answer !== null) this.results.set(w.input, { status: 'found', version: answer, matchedBy: 'sha256', cached: false, expired: false });
      else if (w.autov3 !== undefined) missed.push(w);
      else this.results.set(w.input, { status: 'not-found', cached: false, expired: false });
    }
    this.record(entries);
    return missed;
  }

  /** GET by the AutoV3 prefix, after the SHA-256 was not found. */
  async askByAutoV3(w: NormalizedItem): Promise<void> {
    const autov3 = w.autov3 as string;
    let version: CivitaiModelVersion | null;
    try {
      version = await this.getOne(autov3.slice(0, 12));
    } catch (err) {
      this.results.set(w.input, { status: 'error', error: this.noteError(err) });
      return;
    }
    this.record([{ key: cacheKeyForAutoV3(autov3), version }]);
    this.results.set(w.input, version === null ? { status: 'not-found', cached: false, expired: false } : { status: 'found', version, matchedBy: 'autov3', cached: false, expired: false });
  }

  /** The batch endpoint, or per-hash GETs once the server turns out not to have it (errors kept per hash). */
  private async fetchBySha256(hashes: string[]): Promise<Map<string, CivitaiModelVersion | null | ModelHubError>> {
    const out = new Map<string, CivitaiModelVersion | null | ModelHubError>();
    if (!this.batchMissing) {
      try {
        if (this.fatal !== undefined) throw this.fatal;
        for (const a of await this.client.postByHashes(hashes)) out.set(a.hash, 'error' in a ? a.error : a.version);
        return out;
      } catch (err) {
        if (!(err instanceof ModelHubError) || err.code !== 'ERR_MODELHUB_CIVITAI_NO_BATCH') throw err;
        this.batchMissing = true;
      }
    }
    await Promise.all(
      hashes.map(async (h) => {
        try {
          out.set(h, await this.getOne(h));
        } catch (err) {
          out.set(h, this.noteError(err));
        }
      }),
    );
    return out;
  }

  private record(entries: CacheEntry[]): void {
    const { now, ...ttl } = this.times;
    if (entries.length > 0) this.cache.write(entries, { ...ttl, nowMs: now() });
  }

  private async getOne(hash: string): Promise<CivitaiModelVersion | null> {
    if (this.fatal !== undefined) throw this.fatal;
    return (await this.client.getByHash(hash))?.version ?? null;
  }

  /** Keep ModelHubErrors as results (remembering fatal ones); anything else is a bug and propagates. */
  private noteError(err: unknown): ModelHubError {
    if (!(err instanceof ModelHubError)) throw err;
    if (FATAL_CODES.has(err.code)) this.fatal ??= err;
    return err;
  }
}

/** Check and upper-case one item; an AutoV3 that is not 12–64 hex digits is ignored. */
export function normalizeLookupItem(item: LookupItem): NormalizedItem | ModelHubError {
  const sha256 = item.sha256.trim().toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(sha256)) return new ModelHubError('ERR_MODELHUB_CIVITAI_BAD_HASH', `not a SHA-256: ${JSON.stringify(item.sha256)}`);
  const a = item.autov3?.trim().toUpperCase();
  const autov3 = a !== undefined && /^[0-9A-F]{12,64}$/.test(a) ? a.slice(0, 12) : undefined;
  return { input: item.sha256, sha256, autov3 };
}

function cacheKeysOf(w: NormalizedItem): string[] {
  return w.autov3 === undefined ? [cacheKeyForSha256(w.sha256)] : [cacheKeyForSha256(w.sha256), cacheKeyForAutoV3(w.autov3)];
}
