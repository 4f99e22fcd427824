import type { CivitaiModelVersion } from './civitai-client.js';

/**
 * What the CivitAI lookup needs from a cache of answers, and the keys it files them under. The
 * lookup decides what to ask and when a row is stale enough to ask again; where the answers rest
 * (classification.db's `api_cache`, store/civitai-cache.ts) is the caller's. A cache reads no
 * clock: times come from the lookup (ms since the epoch).
 */

/** `sha256:<64 HEX>` */
export function cacheKeyForSha256(sha256: string): string {
  return `sha256:${sha256.toUpperCase()}`;
}

/** `autov3:<12 HEX>`: CivitAI keeps only the first 12 hex digits of AutoV3. */
export function cacheKeyForAutoV3(autov3: string): string {
  return `autov3:${autov3.slice(0, 12).toUpperCase()}`;
}

/** One cached answer: the version (null: CivitAI said 404) and whether its expiry has passed. */
export interface CachedAnswer {
  version: CivitaiModelVersion | null;
  expired: boolean;
  fetchedAt: string;
}

/** An answer to store. */
export interface CacheEntry {
  key: string;
  version: CivitaiModelVersion | null;
}

export interface CacheTimes {
  nowMs: number;
  foundTtlDays: number;
  notFoundTtlDays: number;
}

/**
 * Answers at rest. `read` returns the answers it holds for `keys` (expired ones too, marked;
 * missing and unreadable ones left out) and never deletes; `write` stores answers with their
 * expiry, replacing older ones for the same keys, all or nothing.
 */
export interface CivitaiAnswerCache {
  read(keys: Iterable<string>, nowMs: number): Map<string, CachedAnswer>;
  write(entries: CacheEntry[], times: CacheTimes): void;
}
