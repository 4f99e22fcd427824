import type { ModelType } from '../core/vocabulary.js';

/** The condition fields of a rule as written in YAML (already schema-checked). */
export interface RawCondition {
  all?: (string | string[])[];
  any?: string[];
  none?: string[];
  match?: string[];
  not_match?: string[];
  shapes?: RawShape[];
  counts?: RawCount[];
}

export interface RawNumberTest {
  eq?: number;
  in?: number[];
  min?: number;
  max?: number;
}

export interface RawShape extends RawNumberTest {
  key?: string | string[];
  match?: string;
  dim?: number;
  ndim?: number;
}

export interface RawCount extends RawNumberTest {
  pattern: string;
  of: 'max' | 'count';
}

export interface RawVariantOption extends RawCondition {
  facet?: string;
  value: string;
}

/** A rule file as written (after schema validation); see schemas/rules.schema.json. */
export interface RawRuleFile {
  version: 1;
  description?: string;
  model_types?: { id: ModelType; description: string; generic?: boolean }[];
  bases?: { id: string; refines?: string; description?: string }[];
  variant_refinements?: { base: string; variant: string; refines: string }[];
  canonical?: { unwrap?: string[]; ignore_key_suffixes?: string[] };
  components?: { id: string; component: 'diffusion' | 'vae' | 'text_encoder' | 'clip_vision'; pattern: string }[];
  architectures?: RawArchitectureRule[];
  lora?: RawLoraSettings;
  lora_bases?: RawLoraBaseRule[];
  filenames?: RawFilenameRule[];
  metadata?: RawMetadataRule[];
  sizes?: RawSizeRule[];
  civitai?: { model_types?: RawCivitaiMapping[]; base_models?: RawCivitaiMapping[]; file_types?: RawCivitaiMapping[] };
}

export interface RawArchitectureRule extends RawCondition {
  id: string;
  description?: string;
  type: ModelType;
  base?: string;
  base_fallback?: string;
  variant?: string;
  component?: 'diffusion' | 'vae' | 'text_encoder' | 'clip_vision' | 'file';
  priority: number;
  weight?: number;
  prefixes?: string[];
  variants?: RawVariantOption[];
}

export interface RawLoraBaseRule extends RawCondition {
  id: string;
  description?: string;
  base: string;
  priority: number;
  weight?: number;
  variants?: RawVariantOption[];
}

export interface RawLoraSettings {
  priority?: number;
  min_share?: number;
  ignore_prefixes?: string[];
  variant_order?: string[];
  prefixes?: { prefix: string; component: string }[];
  suffixes?: { suffix: string; algo: string | null; in_dim?: number; out_dim?: number; rank_dim?: number; in_factor?: number; out_factor?: number }[];
}

export interface RawFilenameRule {
  id: string;
  description?: string;
  token?: string;
  pattern?: string;
  type?: ModelType;
  base?: string;
  variant?: string;
  qualifier?: boolean;
  weight?: number;
}

export interface RawMetadataRule {
  id: string;
  description?: string;
  key: string;
  pattern?: string;
  type?: ModelType;
  base?: string;
  variant?: string;
  weight?: number;
  priority?: number;
  stop?: boolean;
  when?: { key: string; pattern?: string }[];
  unless?: { key: string; pattern?: string }[];
}

export interface RawSizeRule {
  id: string;
  description?: string;
  type: ModelType;
  base?: string;
  variant?: string;
  min_mb: number;
  max_mb: number;
  weight?: number;
}

export interface RawCivitaiMapping {
  name: string;
  type?: ModelType;
  base?: string;
  variant?: string;
}
