import type { RawArchitectureRule, RawCivitaiMapping, RawFilenameRule, RawLoraBaseRule, RawMetadataRule, RawRuleFile, RawSizeRule } from './raw-rules.js';
import type { ModelType } from '../core/vocabulary.js';

/**
 * The compiled form of the rule files (classify/rules/*.yaml plus user files): every regex
 * compiled once, every list sorted into evaluation order. Built by loadRuleSet / compileRuleSet;
 * read-only afterwards, so one RuleSet serves any number of classifyModel calls.
 */
export interface RuleSet {
  /** The files it was built from, in load order. */
  files: string[];
  modelTypes: { id: ModelType; description: string; generic?: boolean }[];
  /** Every declared base; `refines` names the family it specialises (pony → sdxl). */
  bases: Map<string, BaseInfo>;
  /** `${base}/${variant}` → the variant it specialises (flux/kontext → dev). */
  variantRefines: Map<string, string>;
  canonical: { unwrap: string[]; ignoreSuffixes: string[] };
  components: ComponentPattern[];
  /** Architecture rules, highest priority first. */
  architectures: ArchitectureRule[];
  lora: LoraSettings;
  /** LoRA base rules, highest priority first. */
  loraBases: ArchitectureRule[];
  filenames: FilenameRule[];
  /** Metadata rules by metadata key, highest priority first within a key. */
  metadata: Map<string, MetadataRule[]>;
  sizes: SizeRule[];
  /** CivitAI names by lower-case name: `model.type`, `baseModel`, and `files[].type` of the matched file. */
  civitai: { modelTypes: Map<string, CivitaiMapping>; baseModels: Map<string, CivitaiMapping>; fileTypes: Map<string, CivitaiMapping> };
  /** Ids of rules whose variant is a qualifier appended to the chosen variant (high_noise). */
  qualifiers: Set<string>;
  /** The effective entries as written, each with its file: what classification.db mirrors. */
  entries: RuleEntries;
}

type Entry<T> = { value: T; file: string };

export interface RuleEntries {
  modelTypes: Entry<RawRuleFile['model_types'] extends (infer T)[] | undefined ? T : never>[];
  bases: Entry<{ id: string; refines?: string; description?: string }>[];
  architectures: Entry<RawArchitectureRule>[];
  loraBases: Entry<RawLoraBaseRule>[];
  filenames: Entry<RawFilenameRule>[];
  metadata: Entry<RawMetadataRule>[];
  sizes: Entry<RawSizeRule>[];
  civitai: Array<Entry<RawCivitaiMapping> & { field: CivitaiField }>;
}

export interface BaseInfo {
  id: string;
  refines?: string;
  description?: string;
}

/** Where a rule came from, for messages. */
export interface RuleOrigin {
  file: string;
  line: number;
  col: number;
}

/** A key regex, with the literal text every match starts with (used to skip most keys). */
export interface KeyPattern {
  source: string;
  re: RegExp;
  /** Literal prefix every match starts with; '' when the pattern is not anchored. */
  prefix: string;
}

/** Tests on one number; every given test must hold. */
export interface NumberTest {
  eq?: number;
  in?: number[];
  min?: number;
  max?: number;
}

/** A shape test on the first present key of `keys`, or the first key matching `pattern`. */
export interface ShapeCheck {
  keys?: string[];
  pattern?: KeyPattern;
  /** Axis to test (negative counts from the end). */
  dim?: number;
  ndim?: number;
  test: NumberTest;
}

/** A test on the integers a pattern's first capture group takes over all keys. */
export interface CountCheck {
  pattern: KeyPattern;
  of: 'max' | 'count';
  test: NumberTest;
}

/** Conditions on a set of keys; all given parts must hold. */
export interface Condition {
  /** Each entry holds alternatives: one of them must be present. */
  all: string[][];
  /** At least one present (ignored when empty). */
  any: string[];
  none: string[];
  match: KeyPattern[];
  notMatch: KeyPattern[];
  shapes: ShapeCheck[];
  counts: CountCheck[];
}

export type Component = 'diffusion' | 'vae' | 'text_encoder' | 'clip_vision' | 'file';

export interface VariantOption {
  facet: string;
  value: string;
  when: Condition;
}

/** A tensor-layout rule (architectures, and LoRA bases over a LoRA's module names). */
export interface ArchitectureRule {
  id: string;
  type: ModelType;
  base?: string;
  /** Base claimed only when no other evidence names one (e.g. SD KL VAE → sd15). */
  baseFallback?: string;
  variant?: string;
  component: Component;
  priority: number;
  weight: number;
  /** Key prefixes the rule is also tried under ('' = the keys as they are). */
  prefixes: string[];
  when: Condition;
  /** Variant facets: per facet the first option that holds gives one part; parts are joined with '-'. */
  variants: VariantOption[];
  origin: RuleOrigin;
}

export interface LoraSuffix {
  suffix: string;
  algo: string | null;
  /** Axis of this tensor that holds the module's input / output features, and its rank. */
  inDim?: number;
  outDim?: number;
  rankDim?: number;
  /** Axes whose sizes multiply into the input / output features (LoKr's Kronecker factors). */
  inFactor?: number;
  outFactor?: number;
}

export interface LoraSettings {
  /** Architecture rules above this priority run before LoRA detection. */
  priority: number;
  /** Share of keys that must belong to adapter modules. */
  minShare: number;
  ignorePrefixes: string[];
  /** Longest first. */
  prefixes: { prefix: string; component: string }[];
  /** Suffixes starting with '.', keyed by their text (".lora_down.weight"), matched on whole segments. */
  suffixes: Map<string, LoraSuffix>;
  /** The most dot-separated segments any of those spans. */
  maxSuffixSegments: number;
  /** Other suffixes ("_lora.down.weight"), matched by the end of the key. */
  looseSuffixes: LoraSuffix[];
  /** Which algorithm names the variant when several appear (first present wins). */
  variantOrder: string[];
}

export interface FilenameRule {
  id: string;
  re: RegExp;
  type?: ModelType;
  base?: string;
  variant?: string;
  weight: number;
  origin: RuleOrigin;
}

export interface MetadataRule {
  id: string;
  key: string;
  /** Absent: the key's presence is enough. */
  re?: RegExp;
  type?: ModelType;
  /** May hold $1..$9, replaced by the pattern's capture groups (lower-cased). */
  base?: string;
  variant?: string;
  weight: number;
  priority: number;
  /** Later rules on the same key are skipped once this one fires. */
  stop: boolean;
  when: { key: string; re?: RegExp }[];
  unless: { key: string; re?: RegExp }[];
  origin: RuleOrigin;
}

export interface SizeRule {
  id: string;
  type: ModelType;
  base?: string;
  variant?: string;
  minBytes: number;
  maxBytes: number;
  weight: number;
}

export interface ComponentPattern {
  id: string;
  component: Exclude<Component, 'file'>;
  pattern: KeyPattern;
}

/** The tables of a rule file's `civitai:` section. */
export type CivitaiField = 'model_types' | 'base_models' | 'file_types';

export interface CivitaiMapping {
  type?: ModelType;
  base?: string;
  variant?: string;
}
