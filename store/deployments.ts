import { join } from 'node:path';
import { stmt, type DB } from '../core/db.js';

/**
 * What the ledger says about deployments, read-only, for the store's own use cases (gc, delete,
 * export, the browse list, the search for unrecorded links into the store). The ledger
 * (reconcile/ledger.ts) owns deploy_links and deploy_dirs and mirrors deploy_targets and
 * deploy_mappings; store/ may not import reconcile/, so the store reads them here and only
 * here, and never writes them.
 */

/** A link ModelHub deployed, as recorded. */
export interface DeployedLink {
  path: string;
  hash: string;
  target: string;
}

/** Every recorded deployment link, by path. */
export function readDeployedLinks(db: DB): DeployedLink[] {
  return stmt(db, 'SELECT link_path AS path, model_sha256 AS hash, target FROM deploy_links ORDER BY link_path').all() as DeployedLink[];
}

/** The recorded links of one model, by target and path (its own links; the companion links beside them are not listed). */
export function deployedLinksOf(db: DB, hash: string): Array<{ target: string; path: string }> {
  return stmt(db, 'SELECT target, link_path AS path FROM deploy_links WHERE model_sha256 = ? AND companion_of IS NULL ORDER BY target, link_path').all(hash) as Array<{ target: string; path: string }>;
}

/** How many recorded links deploy each model (its own links, not companion links; models without any are absent). */
export function countDeployedLinks(db: DB): Map<string, number> {
  const rows = stmt(db, 'SELECT model_sha256 AS hash, COUNT(*) AS n FROM deploy_links WHERE companion_of IS NULL GROUP BY model_sha256').all() as Array<{ hash: string; n: number }>;
  return new Map(rows.map((r) => [r.hash, r.n]));
}

/** Every mapped folder of the targets as last applied (root joined with the mapping's folder). */
export function readMappedFolders(db: DB): string[] {
  const rows = stmt(db, 'SELECT t.root, m.folder FROM deploy_targets t JOIN deploy_mappings m ON m.target_id = t.id').all() as Array<{ root: string; folder: string }>;
  return rows.map((r) => (r.folder === '.' ? r.root : join(r.root, r.folder)));
}
