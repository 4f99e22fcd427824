import { stmt, type DB } from '../core/db.js';
import { countDeployedLinks } from './deployments.js';
import { readRecordedOverrides } from './overrides.js';
import type { ModelListing } from './query.js';

/**
 * One live model as a browsing interface (the TUI) shows it: what `list` shows, plus its tags
 * and how many links ModelHub has deployed for it. Shaped like a deployment's model (hash,
 * filename, name, format, size, type, base, variant, tags, unsafe), so selectors apply to it.
 */
export interface BrowseRow extends Omit<ModelListing, 'deleted'> {
  filename: string;
  /** Tags an Override gave it. */
  tags: string[];
  /** Links recorded in deploy_links that point at it. */
  deployed: number;
}

/**
 * Every model that is not soft-deleted, by file name, in four queries whatever the size of the
 * inventory (no query per model): a 10,000-model hub is read in a few tens of milliseconds.
 */
export function listBrowseRows(db: DB): BrowseRow[] {
  const models = stmt(
    db,
    `SELECT m.id, m.sha256, m.filename, m.name, m.primary_type, m.base_model, m.sub_type, m.format, m.file_size, m.confidence, m.created_at, m.unsafe,
       EXISTS (SELECT 1 FROM model_metadata c WHERE c.model_id = m.id AND c.source = 'civitai' AND c.key = 'civitai.status' AND c.value = 'found') AS on_civitai
     FROM models m
     WHERE m.deleted = 0 ORDER BY m.name COLLATE NOCASE, m.sha256`,
  ).all() as Array<{
    id: number;
    sha256: string;
    filename: string;
    name: string;
    primary_type: string;
    base_model: string;
    sub_type: string | null;
    format: string;
    file_size: number;
    confidence: number;
    created_at: string;
    unsafe: number;
    on_civitai: number;
  }>;
  const overrides = readRecordedOverrides(db);
  const paths = new Map<number, string[]>();
  for (const s of stmt(db, "SELECT model_id, path FROM model_sources WHERE state != 'importing' ORDER BY path").all() as Array<{ model_id: number; path: string }>) {
    const list = paths.get(s.model_id);
    if (list === undefined) paths.set(s.model_id, [s.path]);
    else list.push(s.path);
  }
  const links = countDeployedLinks(db);
  return models.map((m) => ({
    hash: m.sha256,
    filename: m.filename,
    name: m.name,
    type: m.primary_type,
    base: m.base_model,
    variant: m.sub_type,
    format: m.format,
    size: m.file_size,
    confidence: m.confidence,
    added: m.created_at,
    paths: paths.get(m.id) ?? [],
    tags: overrides.get(m.id)?.tags ?? [],
    deployed: links.get(m.sha256) ?? 0,
    civitai: m.on_civitai === 1,
    unsafe: m.unsafe === 1,
  }));
}

/**
 * A number that changes whenever another connection commits to the inventory (SQLite's
 * `PRAGMA data_version`): polling it tells a long-running interface that a cron scan or an
 * `apply` in another process changed the hub, without reading any table.
 */
export function inventoryVersion(db: DB): number {
  return db.pragma('data_version', { simple: true }) as number;
}
