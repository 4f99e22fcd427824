import { inTransaction, stmt, type DB } from '../core/db.js';
import type { CachedAnswer, CacheEntry, CacheTimes, CivitaiAnswerCache } from '../classify/civitai-cache.js';
import type { CivitaiModelVersion } from '../classify/civitai-client.js';

/**
 * The owner of classification.db's `api_cache`: CivitAI answers at rest (api = 'civitai'). A row
 * is one answer to one hash: status 200 with the parsed version as JSON, or 404 with no body.
 * Every row has an expiry; reading never deletes, so an offline run can still use expired rows.
 * Times come from the caller (ms since the epoch); this module reads no clock.
 */

export const CIVITAI_CACHE_API = 'civitai';
/** Version of the body layout; rows with another version are ignored (asked again). */
const BODY_FORMAT = 1;
const DAY_MS = 86_400_000;

interface Row {
  key: string;
  status: number;
  body: string | null;
  fetched_at: string;
  expires_at: string | null;
}

/** The CivitAI lookup's cache in a classification.db. */
export function civitaiCache(db: DB): CivitaiAnswerCache {
  return {
    read: (keys, nowMs) => readCachedAnswers(db, keys, nowMs),
    write: (entries, times) => writeCachedAnswers(db, entries, times),
  };
}

/**
 * The cached answers for `keys` (missing keys and unreadable rows are left out), in one read
 * transaction: a scan asks for every model it imported, and a query outside one pays for its own.
 */
export function readCachedAnswers(db: DB, keys: Iterable<string>, nowMs: number): Map<string, CachedAnswer> {
  const select = stmt(db, 'SELECT key, status, body, fetched_at, expires_at FROM api_cache WHERE api = ? AND key = ?');
  const out = new Map<string, CachedAnswer>();
  db.transaction(() => {
    for (const key of new Set(keys)) {
      const row = select.get(CIVITAI_CACHE_API, key) as Row | undefined;
      if (row === undefined) continue;
      const answer = readRow(row, nowMs);
      if (answer !== undefined) out.set(key, answer);
    }
  }).deferred();
  return out;
}

/** Store answers in one transaction, replacing older rows for the same keys. */
export function writeCachedAnswers(db: DB, entries: CacheEntry[], times: CacheTimes): void {
  if (entries.length === 0) return;
  const upsert = stmt(
    db,
    `INSERT INTO api_cache (api, key, status, body, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (api, key) DO UPDATE SET status = excluded.status, body = excluded.body,
       fetched_at = excluded.fetched_at, expires_at = excluded.expires_at`,
  );
  const fetchedAt = new Date(times.nowMs).toISOString();
  inTransaction(db, () => {
    for (const e of entries) {
      const ttlDays = e.version === null ? times.notFoundTtlDays : times.foundTtlDays;
      const expiresAt = new Date(times.nowMs + ttlDays * DAY_MS).toISOString();
      const body = e.version === null ? null : JSON.stringify({ format: BODY_FORMAT, version: e.version });
      upsert.run(CIVITAI_CACHE_API, e.key, e.version === null ? 404 : 200, body, fetchedAt, expiresAt);
    }
  });
}

function readRow(row: Row, nowMs: number): CachedAnswer | undefined {
  const expiresMs = row.expires_at === null ? Number.NaN : Date.parse(row.expires_at);
  const expired = Number.isNaN(expiresMs) || expiresMs <= nowMs;
  if (row.status === 404) return { version: null, expired, fetchedAt: row.fetched_at };
  if (row.status !== 200 || row.body === null) return undefined;
  const version = parseCachedBody(row.body);
  return version === undefined ? undefined : { version, expired, fetchedAt: row.fetched_at };
}

/** The version a 200 row holds, or undefined when the row is damaged or of another format. */
function parseCachedBody(body: string): CivitaiModelVersion | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { format, version } = json as { format?: unknown; version?: Partial<CivitaiModelVersion> };
  if (format !== BODY_FORMAT || typeof version !== 'object' || version === null) return undefined;
  const ok = typeof version.id === 'number' && typeof version.modelId === 'number' && typeof version.name === 'string' && typeof version.modelName === 'string' && Array.isArray(version.files) && Array.isArray(version.trainedWords) && typeof version.pageUrl === 'string';
  return ok ? (version as CivitaiModelVersion) : undefined;
}
