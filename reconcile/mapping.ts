import type { MappingCondition, TargetSpec } from './manifest-types.js';

/** What a mapping looks at in a model. */
export interface MappedModel {
  type: string;
  base: string;
  format: string;
}

/**
 * The folder (relative to the target's root) a model goes to in `target`: its type's mapping,
 * if the model meets that mapping's conditions. Undefined when the type is not mapped or the
 * model is not what the mapping takes; `describeMappingMiss` says which.
 */
export function mappedFolder(target: Pick<TargetSpec, 'mappings' | 'conditions'>, model: MappedModel): string | undefined {
  const folder = target.mappings[model.type];
  if (folder === undefined) return undefined;
  return meetsCondition(target.conditions?.[model.type], model) ? folder : undefined;
}

export function meetsCondition(cond: MappingCondition | undefined, model: Pick<MappedModel, 'base' | 'format'>): boolean {
  if (cond === undefined) return true;
  if (cond.base !== undefined && !cond.base.includes(model.base)) return false;
  if (cond.format !== undefined && !cond.format.includes(model.format)) return false;
  return true;
}

/**
 * Why a model of a mapped type lands nowhere in `target`, in words
 * (`mappings.unet takes base flux, sd3, chroma; this is wan`), or undefined when it does land
 * (or its type is not mapped at all).
 */
export function describeMappingMiss(target: Pick<TargetSpec, 'mappings' | 'conditions'>, model: MappedModel): string | undefined {
  const cond = target.conditions?.[model.type];
  if (target.mappings[model.type] === undefined || cond === undefined) return undefined;
  const misses: string[] = [];
  if (cond.base !== undefined && !cond.base.includes(model.base)) misses.push(`base ${cond.base.join(', ')}; this is ${model.base}`);
  if (cond.format !== undefined && !cond.format.includes(model.format)) misses.push(`format ${cond.format.join(', ')}; this is ${model.format}`);
  return misses.length === 0 ? undefined : `mappings.${model.type} takes ${misses.join(', and ')}`;
}
