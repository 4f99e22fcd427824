/**
 * The classifier: what a model file is (type, base family, variant) and how sure we are, from
 * its name, size, header and outside evidence. Rules are data (classify/rules/*.yaml, validated
 * by schemas/rules.schema.json); this folder is their interpreter.
 */
export { classifyModel } from './classify.js';
export { evidenceFromCivitai, type CivitaiVersion } from './civitai.js';
export { compileRuleTexts, loadRuleSet } from './load-rules.js';
export { DEFAULT_THRESHOLD, DEFAULT_WEIGHTS } from './score.js';
export type { RuleSet } from './ruleset.js';
export type { Candidate, Classification, ClassifyInput, ClassifyOptions, Evidence, EvidenceMethod } from './types.js';
