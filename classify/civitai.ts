import type { ModelType } from '../core/vocabulary.js';
import type { CivitaiMapping, RuleSet } from './ruleset.js';
import type { Evidence } from './types.js';

/** Types whose files are the base model itself, so that a base model's variant is theirs. */
const BASE_VARIANT_TYPES: ReadonlySet<ModelType> = new Set<ModelType>(['checkpoint', 'unet']);

/** The parts of a CivitAI model-version answer (GET /model-versions/by-hash/:hash) that classify a file. */
export interface CivitaiVersion {
  /** `model.type`: Checkpoint, LORA, LoCon, TextualInversion, … */
  modelType?: string;
  /** `files[].type` of the file the hash matched: Model, Pruned Model, VAE, Config, … */
  fileType?: string;
  /** `baseModel`: "SD 1.5", "Pony", "Flux.1 D", … */
  baseModel?: string;
  /** Shown in the evidence, e.g. the model's name and version id. */
  label?: string;
}

/**
 * Evidence from a CivitAI answer, through the `civitai:` tables of the rule files, ready to
 * pass as ClassifyInput.extraEvidence (weight 1 = full strength; classifyModel applies the
 * civitai method weight). The matched file's type decides the type where its table entry names
 * one (a VAE listed under a checkpoint version is a VAE, a config is `other`); otherwise the
 * version's model.type does (Model, Pruned Model). Names the tables do not know give no evidence.
 */
export function evidenceFromCivitai(version: CivitaiVersion, rules: RuleSet): Evidence[] {
  const { modelTypes, baseModels, fileTypes } = rules.civitai;
  const byFile = lookUp(fileTypes, version.fileType);
  const own = byFile?.type !== undefined ? byFile : lookUp(modelTypes, version.modelType);
  const base = lookUp(baseModels, version.baseModel);
  if (own === undefined && base === undefined) return [];
  const e: Evidence = { method: 'civitai', observed: describe(version), weight: 1, rule: 'civitai' };
  const t = own?.type ?? base?.type;
  if (t !== undefined) e.type = t;
  if (base?.base !== undefined) e.base = base.base;
  // A base model's variant (Flux.1 D → dev) describes that model: it names a LoRA's or a
  // ControlNet's base, not the adapter's own variant (its algorithm, its kind).
  const variant = own?.variant ?? (t === undefined || BASE_VARIANT_TYPES.has(t) ? base?.variant : undefined);
  if (variant !== undefined) e.variant = variant;
  return [e];
}

function lookUp(table: Map<string, CivitaiMapping>, name: string | undefined): CivitaiMapping | undefined {
  return name === undefined ? undefined : table.get(name.toLowerCase());
}

/** "CivitAI <label>: Checkpoint, Pony; file VAE" (a plain Model file goes unsaid). */
function describe(v: CivitaiVersion): string {
  const said = [v.modelType, v.baseModel].filter((s) => s !== undefined).join(', ');
  const file = v.fileType === undefined || v.fileType.toLowerCase() === 'model' ? '' : `; file ${v.fileType}`;
  return `CivitAI${v.label === undefined ? '' : ` ${v.label}`}: ${said}${file}`;
}
