import type { ModelType } from '../core/vocabulary.js';
import type { ModelHeader } from '../formats/types.js';
import type { RuleSet } from './ruleset.js';

export type { RuleSet } from './ruleset.js';

/** Where a piece of evidence came from. `manual` is final: it always wins, with confidence 1. */
export type EvidenceMethod = 'filename' | 'size' | 'metadata' | 'tensors' | 'civitai' | 'sidecar' | 'manual';

/**
 * One observation and what it suggests. Any of type/base/variant may be missing: a filename
 * token "xl" says only a base, a LoRA suffix family only a type and variant.
 */
export interface Evidence {
  method: EvidenceMethod;
  /** What was seen, human-readable, e.g. "keys double_blocks.0.img_attn.norm.key_norm.scale, img_in.weight [3072, 64]". */
  observed: string;
  type?: ModelType;
  base?: string;
  variant?: string;
  /**
   * In a Classification: the effective weight used in scoring (method weight × rule strength).
   * In ClassifyInput.extraEvidence: the evidence's own strength in 0..1, which the classifier
   * multiplies by `ClassifyOptions.weights[method]` (manual evidence ignores it).
   */
  weight: number;
  /** Id of the rule that produced it, when a rule did. */
  rule?: string;
  /**
   * A base assumed because the layout does not tell the family (an architecture rule's
   * `base_fallback`): it counts only when no other evidence names a base (see scoreEvidence).
   */
  fallback?: true;
}

/** One (type, base) reading of the evidence, with its score in 0..1 (the confidence it would get). */
export interface Candidate {
  type: ModelType;
  base: string;
  score: number;
}

/**
 * The classifier's answer. Below the threshold `type` and `base` are `unknown` and `variant`
 * is null; `candidates` still lists the readings that were considered, best first.
 */
export interface Classification {
  type: ModelType;
  base: string;
  variant: string | null;
  /** 0..1; 1 exactly when manual evidence decided. */
  confidence: number;
  evidence: Evidence[];
  candidates: Candidate[];
}

export interface ClassifyInput {
  /** The file's name (a path is fine: only its last segment is used). */
  fileName: string;
  /** File size in bytes; 0 or less means unknown. */
  size: number;
  /** What a format reader found; absent when the file could not be read. */
  header?: ModelHeader;
  /** Evidence gathered elsewhere (civitai, sidecar, manual); see Evidence.weight for how weights are read. */
  extraEvidence?: Evidence[];
}

export interface ClassifyOptions {
  /** Confidence below which the result is `unknown` (default 0.5, config `confidence_threshold`). */
  threshold: number;
  /** Weight of each method; an evidence's effective weight is this times its rule's strength. */
  weights: Record<EvidenceMethod, number>;
  rules: RuleSet;
}
