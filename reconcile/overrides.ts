import type { InventoryModel, OverrideChange, OverrideRecord } from '../store/overrides.js';
import type { OverrideSpec } from './manifest-types.js';
import { matchesGlob, type DeployModel } from './select.js';

export type { InventoryModel, OverrideChange, OverrideRecord } from '../store/overrides.js';

/** What the Overrides matching one model change about it. */
export interface OverrideEffect {
  type?: string;
  base?: string;
  variant?: string;
  name?: string;
  tags: string[];
  /** The overrides that matched, in manifest order (names, or file:line). */
  labels: string[];
}

/**
 * Every live model's override effect. Overrides apply in manifest order: for type, base, variant
 * and name the last matching override wins; tags accumulate. Soft-deleted models are skipped.
 */
export function computeOverrideEffects(models: InventoryModel[], overrides: OverrideSpec[]): Map<string, OverrideEffect> {
  const effects = new Map<string, OverrideEffect>();
  if (overrides.length === 0) return effects;
  for (const m of models) {
    if (m.deleted) continue;
    for (const o of overrides) {
      if (o.match.hash !== undefined && !m.hash.startsWith(o.match.hash)) continue;
      if (o.match.name !== undefined && !matchesGlob(o.match.name, m.name) && !matchesGlob(o.match.name, m.filename)) continue;
      const e = effects.get(m.hash) ?? { tags: [], labels: [] };
      if (o.set.type !== undefined) e.type = o.set.type;
      if (o.set.base !== undefined) e.base = o.set.base;
      if (o.set.variant !== undefined) e.variant = o.set.variant;
      if (o.set.name !== undefined) e.name = o.set.name;
      for (const t of o.set.tags ?? []) if (!e.tags.includes(t)) e.tags.push(t);
      e.labels.push(o.label);
      effects.set(m.hash, e);
    }
  }
  return effects;
}

/** Live models with their override effects applied: what deployments select on. */
export function applyOverrideEffects(models: InventoryModel[], effects: Map<string, OverrideEffect>): DeployModel[] {
  const out: DeployModel[] = [];
  for (const m of models) {
    if (m.deleted) continue;
    const e = effects.get(m.hash);
    out.push({
      hash: m.hash,
      filename: m.filename,
      name: e?.name ?? m.name,
      format: m.format,
      size: m.size,
      type: e?.type ?? m.type,
      base: e?.base ?? m.base,
      variant: e?.variant ?? m.variant,
      tags: e?.tags ?? [],
      ...(m.unsafe === true ? { unsafe: true } : {}),
      ...(m.origin === undefined ? {} : { origin: m.origin }),
    });
  }
  return out;
}

/** The inventory updates that make model_overrides match the effects (records of deleted models are left alone). */
export function planOverrideChanges(models: InventoryModel[], effects: Map<string, OverrideEffect>, records: OverrideRecord[]): OverrideChange[] {
  const recorded = new Map(records.map((r) => [r.hash, r]));
  const changes: OverrideChange[] = [];
  for (const m of models) {
    if (m.deleted) continue;
    const e = effects.get(m.hash);
    const r = recorded.get(m.hash);
    const model = { hash: m.hash, name: m.name };
    if (e === undefined) {
      if (r !== undefined) changes.push({ action: 'remove', model, labels: [] });
      continue;
    }
    const set = effectToSet(e);
    if (r === undefined) changes.push({ action: 'record', model, set, labels: e.labels });
    else if (!sameEffect(e, r)) changes.push({ action: 'update', model, set, labels: e.labels });
  }
  return changes;
}

function effectToSet(e: OverrideEffect): NonNullable<OverrideChange['set']> {
  const set: NonNullable<OverrideChange['set']> = {};
  if (e.type !== undefined) set.type = e.type;
  if (e.base !== undefined) set.base = e.base;
  if (e.variant !== undefined) set.variant = e.variant;
  if (e.name !== undefined) set.name = e.name;
  if (e.tags.length > 0) set.tags = [...e.tags];
  return set;
}

function sameEffect(e: OverrideEffect, r: OverrideRecord): boolean {
  return (
    (e.type ?? null) === r.type &&
    (e.base ?? null) === r.base &&
    (e.variant ?? null) === r.variant &&
    (e.name ?? null) === r.deployName &&
    JSON.stringify([...e.tags].sort()) === JSON.stringify([...r.tags].sort())
  );
}
