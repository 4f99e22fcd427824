import type { ModelType } from '../core/vocabulary.js';
import type { RuleSet } from './ruleset.js';
import type { Evidence } from './types.js';

/** Types whose files are the base model itself, so that a base model's variant is theirs. */
const BASE_VARIANT_TYPES: ReadonlySet<ModelType> = new Set<ModelType>(['checkpoint', 'unet']);

/** The parts of a CivitAI model-version answer (GET /model-versions/by-hash/:hash) that classify a file. */
export interface CivitaiVersion {
  /** `model.type`: Checkpoint, LORA, LoCon, TextualInversion, … */
  modelType?: string;
  /** `baseModel`: "SD 1.5", "Pony", "Flux.1 D", … */
  baseModel?: string;
  /** Shown in the evidence, e.g. the model's name and version id. */
  label?: string;
}

/**
 * Evidence from a CivitAI answer, through the `civitai:` tables of the rule files, ready to
 * pass as ClassifyInput.extraEvidence (weight 1 = full strength; classifyModel applies the
 * civitai method weight). Names the tables do not know give no evidence.
 */
export function evidenceFromCivitai(version: CivitaiVersion, rules: RuleSet): Evidence[] {
  const type = version.modelType === undefined ? undefined : rules.civitai.modelTypes.get(version.modelType.toLowerCase());
  const base = version.baseModel === undefined ? undefined : rules.civitai.baseModels.get(version.baseModel.toLowerCase());
  if (type === undefined && base === undefined) return [];
  const said = [version.modelType, version.baseModel].filter((s) => s !== undefined).join(', ');
  const e: Evidence = { method: 'civitai', observed: `CivitAI${version.label === undefined ? '' : ` ${version.label}`}: ${said}`, weight: 1, rule: 'civitai' };
  const t = type?.type ?? base?.type;
  if (t !== undefined) e.type = t;
  if (base?.base !== undefined) e.base = base.base;
  // A base model's variant (Flux.1 D → dev) describes that model: it names a LoRA's or a
  // ControlNet's base, not the adapter's own variant (its algorithm, its kind).
  const variant = type?.variant ?? (t === undefined || BASE_VARIANT_TYPES.has(t) ? base?.variant : undefined);
  if (variant !== undefined) e.variant = variant;
  return [e];
}
