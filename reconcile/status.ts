import { computePlan, type Gathered, type GatherOptions } from './gather.js';
import { readOnlyFs } from './fs.js';
import { observeBrokenLinks } from './observe.js';
import type { TargetSpec } from './manifest-types.js';
import { checkListing, type ListingNote } from './listing.js';
import { describeMappingMiss, mappedFolder } from './mapping.js';
import type { Plan } from './plan-types.js';
import { matchesSelector, selects } from './select.js';

export interface TargetStatus {
  name: string;
  displayName: string;
  root: string;
  /** null: recorded links exist but the manifests no longer name the target. */
  enabled: boolean | null;
  /** Links the manifests declare. */
  declared: number;
  /** Declared links that are on disk, correct and recorded. */
  inSync: number;
  /** Declared links not on disk (new, or deleted by hand). */
  missing: number;
  /** Owned links pointing at another model than declared, and owned links re-pointed by hand. */
  drifted: number;
  /** Owned links no longer declared (apply removes them). */
  extra: number;
  /** Correct links or duplicate files apply would adopt. */
  adoptable: number;
  conflicts: number;
  /** Symlinks in the target's mapped folders whose destination is gone (ModelHub's or anyone's). */
  broken: string[];
  /** Live models of a type this target maps that no enabled deployment selects for it. */
  unselected: Array<{ hash: string; name: string; type: string }>;
  /**
   * The target's extraModelPaths file (enabled targets that set it): where it is and whether the
   * plan writes, rewrites or removes it, since ComfyUI reads it only when it starts.
   */
  extraModelPaths?: { path: string; pending: boolean };
  /** Models a deployment selects for this target that land nowhere in it: their type's mapping takes other bases or formats. */
  unmapped: Array<{ hash: string; name: string; type: string; reason: string }>;
  /** What the target's `listing` rules say about its declared links: hidden extensions, shared names, add-ons needed. */
  notes: ListingNote[];
}

/** What status is computed from: the plan, its gathered inputs, and per target the broken symlinks in its mapped folders. */
export interface StatusInput {
  plan: Plan;
  gathered: Gathered;
  broken: ReadonlyMap<string, string[]>;
}

/**
 * The gather step of `status`: the same plan `plan` and `apply` compute, then the broken
 * symlinks in the mapped folders of the targets it covers (observe). Reads only.
 */
export async function gatherStatus(opts: GatherOptions): Promise<StatusInput> {
  const { plan, gathered } = await computePlan(opts);
  const specs = plan.targets.flatMap((t) => gathered.manifests.targets.filter((s) => s.name === t.name));
  return { plan, gathered, broken: observeBrokenLinks(opts.fs ?? readOnlyFs(), specs) };
}

/**
 * Per-target status, derived from the same plan `plan` and `apply` use, plus what only status
 * reports: broken links found in the mapped folders (gathered), mapped models nobody selects,
 * selected models whose mapping's conditions keep them out of the target, and what the target's
 * `listing` rules say about the declared links. PURE: reads no folder and no database.
 */
export function computeStatus({ plan, gathered, broken }: StatusInput): TargetStatus[] {
  return plan.targets.map((t) => {
    const changes = plan.changes.filter((c) => c.target === t.name);
    const conflicts = plan.conflicts.filter((c) => c.target === t.name);
    const spec = gathered.manifests.targets.find((s) => s.name === t.name);
    const selected = new Set(gathered.desired.filter((d) => d.target === t.name).map((d) => d.model.hash));
    for (const clash of gathered.clashes) for (const c of clash.claims) if (c.target === t.name) selected.add(c.model.hash);
    const live = spec === undefined || !spec.enabled ? undefined : spec;
    const unmapped = live === undefined ? [] : findUnmapped(live, gathered);
    const excluded = new Set(unmapped.map((m) => m.hash));
    const unselected =
      live === undefined
        ? []
        : gathered.models.filter((m) => m.type in live.mappings && !selected.has(m.hash) && !excluded.has(m.hash) && mappedFolder(live, m) !== undefined).map((m) => ({ hash: m.hash, name: m.name, type: m.type }));
    return {
      name: t.name,
      displayName: t.displayName,
      root: t.root,
      enabled: t.enabled,
      declared: t.declared,
      inSync: t.inSync,
      missing: changes.filter((c) => c.action === 'create').length,
      drifted: changes.filter((c) => c.action === 'replace').length + conflicts.filter((c) => c.reason === 'drifted').length,
      extra: changes.filter((c) => c.action === 'delete' && c.recorded).length,
      adoptable: changes.filter((c) => c.action === 'adopt').length,
      conflicts: conflicts.length,
      broken: broken.get(t.name) ?? [],
      unselected,
      ...(spec?.enabled === true && spec.extraModelPaths !== undefined
        ? { extraModelPaths: { path: spec.extraModelPaths, pending: plan.files.some((f) => f.target === t.name && f.path === spec.extraModelPaths && f.action !== 'record-file') } }
        : {}),
      unmapped,
      notes: live === undefined ? [] : checkListing(live, gathered.desired.filter((d) => d.target === t.name).map((d) => d.relPath)),
    };
  });
}

/** Models an enabled deployment of `target` selects whose type's mapping does not take them, with why. */
function findUnmapped(target: TargetSpec, gathered: Gathered): TargetStatus['unmapped'] {
  const out = new Map<string, TargetStatus['unmapped'][number]>();
  for (const dep of gathered.manifests.deployments) {
    if (!dep.enabled || !dep.targets.includes(target.name)) continue;
    for (const m of gathered.models) {
      if (out.has(m.hash) || !selects(dep.select, m) || (dep.exclude !== null && matchesSelector(dep.exclude, m))) continue;
      const reason = describeMappingMiss(target, m);
      if (reason !== undefined) out.set(m.hash, { hash: m.hash, name: m.name, type: m.type, reason });
    }
  }
  return [...out.values()];
}
