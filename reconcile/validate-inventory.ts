import type { InventoryDoc } from '../store/inventory-doc.js';
import { computeDesired, describeClash } from './desired.js';
import type { DeploymentSpec, Manifests } from './manifest-types.js';
import { applyOverrideEffects, computeOverrideEffects, type InventoryModel } from './overrides.js';
import type { DeployModel } from './select.js';

export interface DeploymentCheck {
  name: string;
  file: string;
  line: number;
  /** Enabled targets it deploys into. */
  targets: string[];
  /** Models it links (distinct); null when its own links collide (reported under collisions). */
  selected: number | null;
}

export interface InventoryCheck {
  /** Live (not soft-deleted) models of the inventory. */
  models: number;
  deployments: DeploymentCheck[];
  /** Deployments not checked: disabled, or every target they name is disabled. */
  skipped: Array<{ name: string; why: string }>;
  /** Enabled deployments that select no model. */
  empty: DeploymentCheck[];
  /** Link paths two models (or targets) would claim, as `plan` reports them. */
  collisions: string[];
}

/**
 * Check manifests against an exported inventory, with no hub and no store: every enabled
 * deployment (into at least one enabled target) must link at least one model, and no two
 * models may claim one link path. PURE. Selection and collisions come from computeDesired,
 * the same code `plan` uses, after the manifests' Overrides are applied the same way.
 */
export function checkInventory(manifests: Manifests, doc: InventoryDoc, storeDir: string): InventoryCheck {
  const inventory: InventoryModel[] = doc.models.map((m) => ({ hash: m.hash, filename: m.name, name: m.name, format: m.format, size: m.size, type: m.type, base: m.base, variant: m.variant, deleted: m.deleted }));
  const models = applyOverrideEffects(inventory, computeOverrideEffects(inventory, manifests.overrides));
  const check: InventoryCheck = { models: models.length, deployments: [], skipped: [], empty: [], collisions: [] };
  const enabledTargets = new Set(manifests.targets.filter((t) => t.enabled).map((t) => t.name));
  for (const dep of manifests.deployments) {
    if (!dep.enabled) {
      check.skipped.push({ name: dep.name, why: 'disabled' });
      continue;
    }
    const targets = dep.targets.filter((t) => enabledTargets.has(t));
    if (targets.length === 0) {
      check.skipped.push({ name: dep.name, why: `its target${dep.targets.length === 1 ? ' is' : 's are'} disabled` });
      continue;
    }
    const result: DeploymentCheck = { name: dep.name, file: dep.source.file, line: dep.source.line, targets, selected: countSelected(manifests, dep, models, storeDir) };
    check.deployments.push(result);
    if (result.selected === 0) check.empty.push(result);
  }
  check.collisions = findCollisions(manifests, models, storeDir);
  return check;
}

/** Distinct models one deployment links on its own; null when its own links collide. */
function countSelected(manifests: Manifests, dep: DeploymentSpec, models: DeployModel[], storeDir: string): number | null {
  const { links, clashes } = computeDesired({ manifests: { ...manifests, deployments: [dep] }, models, storeDir });
  return clashes.length > 0 ? null : new Set(links.map((d) => d.model.hash)).size;
}

function findCollisions(manifests: Manifests, models: DeployModel[], storeDir: string): string[] {
  return computeDesired({ manifests, models, storeDir }).clashes.map(describeClash);
}

export function inventoryCheckFailed(c: InventoryCheck): boolean {
  return c.empty.length > 0 || c.collisions.length > 0;
}
