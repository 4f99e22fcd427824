import { lstatSync, type BigIntStats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { COMPANION_MAX_BYTES, companionCandidates, fileStem } from '../core/companion-names.js';
import { errnoCode, isModelHubError } from '../core/errors.js';
import { inTransaction, stmt, type DB } from '../core/db.js';
import { formatBytes } from '../core/human-units.js';
import { formatFromPath } from '../core/vocabulary.js';
import { hashFile } from './hash.js';
import type { Hub } from './hub.js';
import { FolderNames } from './folder-names.js';
import { copyVerified, findStoreFile } from './import.js';
import { getModelBriefBySha } from './inventory.js';

/**
 * A model's companion files (previews, the metadata other tools write, a checkpoint's config;
 * core/companion-names.ts) are copied into its store folder, `models/<sha256>/<store stem><suffix>`,
 * and recorded in model_companions, which this module owns. Originals are only read: never
 * moved, changed or removed.
 */

/** A companion copy in the store, as deployments need it. */
export interface StoredCompanion {
  /** `.preview.png`, … or a fixed name (`adapter_config.json`). */
  role: string;
  /** The copy's file name in `models/<sha256>/`. */
  name: string;
}

/** Every recorded companion, by model hash, sorted by role. */
export function readStoredCompanions(db: DB): Map<string, StoredCompanion[]> {
  const rows = stmt(db, 'SELECT m.sha256 AS hash, c.role, c.name FROM model_companions c JOIN models m ON m.id = c.model_id ORDER BY m.sha256, c.role').all() as Array<{ hash: string } & StoredCompanion>;
  const out = new Map<string, StoredCompanion[]>();
  for (const r of rows) {
    const list = out.get(r.hash) ?? [];
    list.push({ role: r.role, name: r.name });
    out.set(r.hash, list);
  }
  return out;
}

/** A model file (or link-back) whose neighbours are looked at, with its content hash. */
export interface CompanionSource {
  path: string;
  sha256: string;
}

export interface CompanionReport {
  /** Copied into the store for the first time. */
  copied: Array<{ path: string; storeFile: string; size: number }>;
  /** The source changed since it was copied: the copy was replaced by the new bytes. */
  refreshed: Array<{ path: string; storeFile: string; size: number }>;
  /** Found, and not copied: too large, unreadable, or something unrecorded stands at the copy's place. */
  skipped: Array<{ path: string; reason: string }>;
}

interface Row {
  role: string;
  name: string;
  size: number;
  sha256: string;
  source_path: string;
  source_size: number;
  source_mtime_ns: string;
}

/**
 * Copy the companions found beside each source into its model's store folder. Only regular
 * files count (a symlink beside a model may be one of ModelHub's own deployed companion links).
 * A companion whose recorded source is unchanged (size, mtime) is not read again; a changed one
 * is hashed and, if its bytes changed, copied again. Every copy is verified (the staged copy
 * must hash to what the source hashed to) and renamed into place, so a store copy is always
 * whole. The first source that supplied a role keeps it; another source's file of that role is
 * used only when the copy is gone. One failing companion is reported and the rest go on.
 */
export async function syncCompanions(hub: Hub, sources: CompanionSource[]): Promise<CompanionReport> {
  const report: CompanionReport = { copied: [], refreshed: [], skipped: [] };
  const listings = new FolderNames();
  // A folder holding only model files (and hidden ones) has no companion for any of them.
  const holders = new Map<string, boolean>();
  const mayHoldCompanions = (dir: string): boolean => {
    let may = holders.get(dir);
    if (may === undefined) holders.set(dir, (may = [...listings.names(dir)].some((n) => !n.startsWith('.') && formatFromPath(n) === undefined)));
    return may;
  };
  const seen = new Set<string>();
  for (const source of sources) {
    const key = `${source.path}\0${source.sha256}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Each folder is listed once per scan; a file with no candidate beside it costs no lookup.
    const dir = dirname(source.path);
    if (!mayHoldCompanions(dir)) continue;
    const names = listings.names(dir);
    const present = companionCandidates(basename(source.path)).filter((cand) => names.has(cand.name));
    if (present.length === 0) continue;
    const model = getModelBriefBySha(hub.db, source.sha256);
    if (model === undefined) continue;
    const storeFile = await findStoreFile(hub.layout, source.sha256);
    if (storeFile === undefined) continue;
    const rows = new Map((stmt(hub.db, 'SELECT role, name, size, sha256, source_path, source_size, source_mtime_ns FROM model_companions WHERE model_id = ?').all(model.id) as Row[]).map((r) => [r.role, r]));
    for (const cand of present) {
      const path = join(dir, cand.name);
      try {
        await syncOne(hub, { modelId: model.id, path, role: cand.role, dest: join(dirname(storeFile), storeName(basename(storeFile), cand.role)), row: rows.get(cand.role) }, report);
      } catch (err) {
        if (isModelHubError(err)) report.skipped.push({ path, reason: err.message });
        else if (errnoCode(err) !== undefined) report.skipped.push({ path, reason: `${path}: ${(err as Error).message}` });
        else throw err;
      }
    }
  }
  return report;
}

/** The copy's name in the store folder: the store file's stem plus the suffix, or the fixed name. */
function storeName(storeFileName: string, role: string): string {
  return role.startsWith('.') ? `${fileStem(storeFileName)}${role}` : role;
}

interface One {
  modelId: number;
  path: string;
  role: string;
  dest: string;
  row: Row | undefined;
}

async function syncOne(hub: Hub, one: One, report: CompanionReport): Promise<void> {
  const { path, dest, row } = one;
  const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  if (st === undefined || !st.isFile()) return;
  const size = Number(st.size);
  const destSt = lstatSync(dest, { throwIfNoEntry: false });
  const copyThere = destSt?.isFile() === true && (row === undefined || destSt.size === row.size);
  if (row !== undefined && row.source_path !== path && copyThere) return;
  if (row !== undefined && row.source_path === path && copyThere && row.source_size === size && row.source_mtime_ns === st.mtimeNs.toString()) return;
  if (size > COMPANION_MAX_BYTES) {
    report.skipped.push({ path, reason: `${formatBytes(size)}, larger than the ${formatBytes(COMPANION_MAX_BYTES)} a companion file may have` });
    return;
  }
  const { sha256 } = await hashFile(path);
  const record = (): void => upsert(hub.db, one, { size, sha256, st });
  if (path === dest || (copyThere && row?.sha256 === sha256)) {
    record();
    return;
  }
  if (row === undefined && destSt !== undefined) {
    const there = destSt.isFile() ? (await hashFile(dest)).sha256 : undefined;
    if (there === sha256) record();
    else report.skipped.push({ path, reason: `${dest} is in the store but ModelHub has no record of it; left as it is (\`modelhub verify\` lists it)` });
    return;
  }
  await copyVerified(hub.layout, path, sha256, dest);
  record();
  (row === undefined || !copyThere || row.source_path !== path ? report.copied : report.refreshed).push({ path, storeFile: dest, size });
}

function upsert(db: DB, one: One, file: { size: number; sha256: string; st: BigIntStats }): void {
  inTransaction(db, () =>
    stmt(
      db,
      `INSERT INTO model_companions (model_id, role, name, size, sha256, source_path, source_size, source_mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model_id, role) DO UPDATE SET name = excluded.name, size = excluded.size, sha256 = excluded.sha256, source_path = excluded.source_path,
         source_size = excluded.source_size, source_mtime_ns = excluded.source_mtime_ns, copied_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    ).run(one.modelId, one.role, basename(one.dest), file.size, file.sha256, one.path, file.size, file.st.mtimeNs.toString()),
  );
}
