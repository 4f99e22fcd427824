import { ModelHubError } from '../core/errors.js';
import type { Hub } from '../store/hub.js';
import { computeDesired } from './desired.js';
import { openManifests, type DeploymentContext } from './deployment-context.js';
import { fingerprintInputs } from './fingerprint.js';
import { readOnlyFs, type FsReader } from './fs.js';
import { readRecordedDirs, readRecordedLinks, readRecordedTargets } from './ledger.js';
import { declareExtraPathFiles } from './extra-paths.js';
import { readRecordedFiles } from './file-ledger.js';
import { observeFiles } from './owned-files-apply.js';
import type { Manifests } from './manifest-types.js';
import { observeActual } from './observe.js';
import { readStoredCompanions } from '../store/companions.js';
import { readInventoryModels, readOverrideRecords } from '../store/overrides.js';
import { readEjectedFiles } from '../store/ejected.js';
import { applyOverrideEffects, computeOverrideEffects, planOverrideChanges } from './overrides.js';
import { planReconcile, type PlanInput } from './plan.js';
import type { Plan } from './plan-types.js';
import type { DeployModel } from './select.js';
import { didYouMean } from '../core/suggest.js';

export interface GatherOptions {
  hub: Hub;
  /** Where the manifests are and what they are checked with (loadDeploymentContext). */
  context: DeploymentContext;
  /** Only this target (`--target NAME`); null: all. */
  target: string | null;
  /** Hash foreign files at desired paths so duplicates can be adopted. */
  adopt: boolean;
  /** What the target folders and the store are read through; a read-only real filesystem unless given. */
  fs?: FsReader;
}

/** The planner's input plus what commands show beside the plan (status). */
export interface Gathered extends PlanInput {
  manifests: Manifests;
  /** Live models with overrides applied. */
  models: DeployModel[];
}

/**
 * Gather the three states the planner compares: desired (manifests + inventory + overrides),
 * recorded (deploy_links, deploy_dirs) and actual (the target folders, through `opts.fs`: by
 * default a read-only filesystem, so gathering cannot write). Reads only.
 */
export async function gatherInputs(opts: GatherOptions): Promise<Gathered> {
  const { hub, target } = opts;
  const storeDir = hub.layout.modelsDir;
  const manifests = openManifests(opts.context);
  const inventory = readInventoryModels(hub.db);
  const overrideRecords = readOverrideRecords(hub.db);
  const recorded = readRecordedLinks(hub.db, target);
  const recordedDirs = readRecordedDirs(hub.db, target);
  const ejected = readEjectedFiles(hub.db);
  if (target !== null) assertKnownTarget(target, manifests, recorded.length > 0);
  const effects = computeOverrideEffects(inventory, manifests.overrides);
  const models = applyOverrideEffects(inventory, effects);
  const companions = readStoredCompanions(hub.db);
  const { links: desired, clashes, unsafeNames, companionLinks, companionSkips } = computeDesired({ manifests, models, storeDir, onlyTarget: target ?? undefined, companions });
  const inScope = manifests.targets.filter((t) => target === null || t.name === target);
  const sizes = opts.adopt ? new Map(models.map((m) => [m.hash, m.size])) : undefined;
  const recordedTargets = readRecordedTargets(hub.db);
  const roots = new Map<string, string[]>();
  for (const t of [...manifests.targets, ...recordedTargets]) roots.set(t.name, [...new Set([...(roots.get(t.name) ?? []), t.root])]);
  const fs = opts.fs ?? readOnlyFs();
  const actual = await observeActual({ fs, desired: companionLinks.length === 0 ? desired : [...desired, ...companionLinks], recorded, recordedDirs, targets: inScope.filter((t) => desired.some((d) => d.target === t.name)), roots, storeDir, adopt: sizes && { sizes }, ejected });
  const desiredFiles = declareExtraPathFiles(manifests.targets, target);
  const recordedFiles = readRecordedFiles(hub.db, target);
  const files = { desired: desiredFiles, recorded: recordedFiles, actual: await observeFiles(fs, [...desiredFiles, ...recordedFiles].map((f) => f.path)) };
  const options = { target, adopt: opts.adopt };
  let fingerprint: string | undefined;
  return {
    manifests,
    models,
    desired,
    clashes,
    unsafeNames,
    companionLinks,
    companionSkips,
    recorded,
    recordedDirs,
    actual,
    targets: manifests.targets,
    recordedTargets,
    deployments: manifests.deployments.map((d) => ({ name: d.name, enabled: d.enabled })),
    deletedModels: new Set(inventory.filter((m) => m.deleted).map((m) => m.hash)),
    modelNames: new Map(models.map((m) => [m.hash, m.name])),
    overrideChanges: planOverrideChanges(inventory, effects, overrideRecords),
    files,
    ejected,
    // Hashing every row costs ~0.07 s at 10,000 links: only a saved plan and the TUI's apply read it.
    get fingerprint(): string {
      fingerprint ??= fingerprintInputs({ manifests, models: inventory, overrideRecords, recorded, recordedDirs, recordedFiles, storeDir, options, companions });
      return fingerprint;
    },
    options,
  };
}

/** Gather and plan in one step (what `plan`, `apply` and `status` do). */
export async function computePlan(opts: GatherOptions): Promise<{ plan: Plan; gathered: Gathered }> {
  const gathered = await gatherInputs(opts);
  return { plan: planReconcile(gathered), gathered };
}

/** A `--target` name must be a target of the manifests, or one with recorded links (`hasRecorded`). */
function assertKnownTarget(name: string, manifests: Manifests, hasRecorded: boolean): void {
  if (hasRecorded || manifests.targets.some((t) => t.name === name)) return;
  const names = manifests.targets.map((t) => t.name);
  throw new ModelHubError('UNKNOWN_TARGET', `no target named "${name}" in ${manifests.dir}${didYouMean(name, names)}`, {
    hint: names.length > 0 ? `targets: ${names.join(', ')}` : 'add a Target document to the manifests (`modelhub init` copies examples)',
  });
}
