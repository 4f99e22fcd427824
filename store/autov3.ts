import { closeSync, openSync, readSync } from 'node:fs';
import { stmt } from '../core/db.js';
import { hashMany } from './hash.js';
import type { Hub } from './hub.js';
import { findStoreFile } from './import.js';

/**
 * AutoV3, the SHA-256 of a safetensors file's bytes after its header (what CivitAI matches when
 * a header was edited), is not computed at import: hashing the file a second time would double
 * what a scan costs. It is computed here when first needed (CivitAI does not know the SHA-256,
 * `dupes`, `show`) from the store file, in one pass with its SHA-256, and recorded only when
 * that SHA-256 is the model's (a damaged store file records nothing). This module owns
 * models.autov3 after import.
 */

interface Row {
  sha256: string;
  autov3: string | null;
  file_size: number;
}

/**
 * The AutoV3 of each of these models that is a safetensors file, by SHA-256: recorded ones as
 * they are, missing ones computed from the store file (both cores) and recorded unless
 * `record` is false (a dry run). Models whose store file is missing or damaged are left out.
 */
export async function ensureAutoV3(hub: Hub, hashes: string[], opts: { record?: boolean } = {}): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const missing: Array<{ sha256: string; path: string; offset: number }> = [];
  const select = stmt(hub.db, "SELECT sha256, autov3, file_size FROM models WHERE sha256 = ? AND container = 'safetensors'");
  for (const hash of new Set(hashes)) {
    const row = select.get(hash) as Row | undefined;
    if (row === undefined) continue;
    if (row.autov3 !== null) {
      out.set(hash, row.autov3);
      continue;
    }
    const path = findStoreFile(hub.layout, hash);
    const offset = path === undefined ? undefined : payloadOffset(path, row.file_size);
    if (path !== undefined && offset !== undefined) missing.push({ sha256: hash, path, offset });
  }
  if (missing.length === 0) return out;
  const results = await hashMany(missing.map((m) => ({ path: m.path, autov3Offset: m.offset })));
  const record = stmt(hub.db, 'UPDATE models SET autov3 = ? WHERE sha256 = ?');
  missing.forEach((m, i) => {
    const r = results[i];
    if (r === undefined || 'error' in r || r.sha256 !== m.sha256 || r.autov3 === undefined) return;
    if (opts.record !== false) record.run(r.autov3, m.sha256);
    out.set(m.sha256, r.autov3);
  });
  return out;
}

/**
 * The models among these whose AutoV3 could equal another's: safetensors files whose payload
 * (the bytes after the header) has the same size as another one's. `dupes` computes AutoV3 only
 * for those; a model with a payload size of its own has no same-weights twin.
 */
export function autov3Candidates(hub: Hub): string[] {
  const rows = stmt(hub.db, "SELECT sha256, autov3, file_size FROM models WHERE deleted = 0 AND container = 'safetensors'").all() as Row[];
  const bySize = new Map<number, Row[]>();
  for (const r of rows) {
    const path = findStoreFile(hub.layout, r.sha256);
    const offset = path === undefined ? undefined : payloadOffset(path, r.file_size);
    if (offset === undefined) continue;
    const size = r.file_size - offset;
    bySize.set(size, [...(bySize.get(size) ?? []), r]);
  }
  return [...bySize.values()].filter((group) => group.length > 1).flatMap((group) => group.filter((r) => r.autov3 === null).map((r) => r.sha256));
}

/** Where a safetensors file's payload starts (8 + its header's length), or undefined when the file does not say so sanely. */
function payloadOffset(path: string, size: number): number | undefined {
  const head = Buffer.alloc(8);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    if (readSync(fd, head, 0, 8, 0) < 8) return undefined;
  } finally {
    closeSync(fd);
  }
  const offset = 8 + Number(head.readBigUInt64LE(0));
  return offset <= size ? offset : undefined;
}
