import type { Hub } from '../store/hub.js';
import { applyPlan, type ApplyResult } from './apply.js';
import { applyScope } from './apply-guards.js';
import { realFs } from './fs.js';
import type { Gathered } from './gather.js';
import { sqliteFileLedger } from './file-ledger.js';
import { mirrorTargets, sqliteLedger } from './ledger.js';
import { writeOverrideChanges } from '../store/overrides.js';
import { hasChanges } from './plan.js';
import type { Change, Plan } from './plan-types.js';

export interface CarryOutOptions {
  /** Remove every link of a target whose declared links became none (`--allow-empty`). */
  allowEmpty: boolean;
  /** Called after each filesystem step (progress; crash tests). */
  onStep?: ((done: number, change: Change) => void) | undefined;
}

/**
 * Carry out a plan the user has approved, as every interface does (`apply`, the TUI): the
 * targets are mirrored into deploy_targets / deploy_mappings first (a link made by an apply
 * that then dies lies in folders the mirror names), the applier acts within the scope the
 * manifests and the inventory give (never the plan's own word), and the overrides are recorded
 * last. A plan without changes only mirrors the targets and returns null. The caller holds the
 * hub lock and has refused a stale or inapplicable plan.
 */
export async function carryOutPlan(hub: Hub, plan: Plan, gathered: Gathered, opts: CarryOutOptions): Promise<ApplyResult | null> {
  mirrorTargets(hub.db, gathered.manifests.targets);
  if (!hasChanges(plan)) return null;
  const scope = applyScope(gathered, { storeDir: hub.layout.modelsDir, hubDir: hub.layout.root });
  const result = await applyPlan(plan, { fs: realFs(), ledger: sqliteLedger(hub.db), fileLedger: sqliteFileLedger(hub.db), scope, allowEmpty: opts.allowEmpty, ...(opts.onStep ? { onStep: opts.onStep } : {}) });
  writeOverrideChanges(hub.db, plan.overrides);
  return result;
}
