import { inTransaction, stmt } from '../core/db.js';
import { readDeployedLinks, type DeployedLink } from './deployments.js';
import type { Hub } from './hub.js';
import type { ModelRow } from './inventory.js';
import { gatherGc, planGc, type GcInput, type GcPlan } from './gc.js';

/** A model named on the command line. */
export interface NamedModel {
  hash: string;
  name: string;
  size: number;
  deleted: boolean;
}

export interface DeletePlan {
  /** Models to mark deleted now. */
  mark: NamedModel[];
  /** Models that already are. */
  already: NamedModel[];
  /** Owned links the next `modelhub apply` removes because their model is deleted. */
  undeploy: Array<{ hash: string; target: string; path: string }>;
  /** With --hard: the store removal, planned as if the models were already marked. */
  hard: GcPlan | null;
}

/**
 * Plan a delete. PURE. Soft: mark the models deleted (reversible; the next apply removes their
 * links). Hard: also remove them from the store, through the gc planner restricted to them, so
 * the same refusals apply (still deployed, still linked back). `gcInput` is given for --hard.
 */
export function planDelete(models: NamedModel[], deployLinks: Array<{ path: string; hash: string; target: string }>, gcInput?: GcInput): DeletePlan {
  const unique = [...new Map(models.map((m) => [m.hash, m])).values()];
  const hashes = new Set(unique.map((m) => m.hash));
  return {
    mark: unique.filter((m) => !m.deleted),
    already: unique.filter((m) => m.deleted),
    undeploy: deployLinks.filter((l) => hashes.has(l.hash)).map((l) => ({ hash: l.hash, target: l.target, path: l.path })),
    hard: gcInput === undefined ? null : planGc(markDeleted(gcInput, hashes)),
  };
}

/** The gc input with these models marked deleted and the plan restricted to them. */
export function markDeleted(input: GcInput, hashes: Set<string>): GcInput {
  return { ...input, only: hashes, models: input.models.map((m) => (hashes.has(m.hash) ? { ...m, deleted: true } : m)) };
}

/** Gather what planDelete needs. */
export function gatherDelete(hub: Hub, rows: ModelRow[], hard: boolean): { models: NamedModel[]; deployLinks: DeployedLink[]; gcInput?: GcInput } {
  const models = rows.map((r) => ({ hash: r.sha256, name: r.name, size: r.file_size, deleted: r.deleted === 1 }));
  const deployLinks = readDeployedLinks(hub.db);
  if (!hard) return { models, deployLinks };
  return { models, deployLinks, gcInput: gatherGc(hub, { only: new Set(models.map((m) => m.hash)) }) };
}

/** Mark models deleted (one transaction); models already deleted keep their deleted_at. */
export function markModelsDeleted(hub: Hub, hashes: string[]): void {
  inTransaction(hub.db, () => {
    for (const h of hashes) {
      stmt(hub.db, "UPDATE models SET deleted = 1, deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE sha256 = ? AND deleted = 0").run(h);
    }
  });
}

export interface RestorePlan {
  restore: NamedModel[];
  notDeleted: NamedModel[];
  /** Soft-deleted models whose store file is gone: nothing to restore. */
  missing: Array<NamedModel & { path: string }>;
}

/** Plan a restore. PURE: `storeFileExists` answers for each deleted model. */
export function planRestore(models: NamedModel[], storeFile: (m: NamedModel) => { path: string; exists: boolean }): RestorePlan {
  const plan: RestorePlan = { restore: [], notDeleted: [], missing: [] };
  for (const m of new Map(models.map((x) => [x.hash, x])).values()) {
    if (!m.deleted) plan.notDeleted.push(m);
    else {
      const f = storeFile(m);
      if (f.exists) plan.restore.push(m);
      else plan.missing.push({ ...m, path: f.path });
    }
  }
  return plan;
}

/** Clear the deleted flag (one transaction). */
export function restoreModels(hub: Hub, hashes: string[]): void {
  inTransaction(hub.db, () => {
    for (const h of hashes) stmt(hub.db, "UPDATE models SET deleted = 0, deleted_at = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE sha256 = ?").run(h);
  });
}
