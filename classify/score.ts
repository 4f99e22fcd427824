import type { ModelType } from '../core/vocabulary.js';
import type { RuleSet } from './ruleset.js';
import type { Candidate, Classification, Evidence, EvidenceMethod } from './types.js';

/** Method weights: tensor layout is fact, metadata is what a trainer wrote, a filename is a guess. */
export const DEFAULT_WEIGHTS: Record<EvidenceMethod, number> = {
  tensors: 1,
  civitai: 0.85,
  metadata: 0.7,
  sidecar: 0.6,
  filename: 0.35,
  size: 0.15,
  manual: 1,
};

export const DEFAULT_THRESHOLD = 0.5;

/** Saturation rate: one full-weight piece of evidence alone reaches 1 − e^−2.3 ≈ 0.90. */
const SATURATION = 2.3;
/** How much base doubt can pull confidence down (at most halves it). */
const BASE_SHARE = 0.5;
const MAX_CANDIDATES = 6;

/**
 * Turn evidence into a classification (without the evidence list). Per type T:
 *   typeConf(T) = agree(T)/all × (1 − e^(−2.3·agree(T)))  over evidence that names a type;
 * per base B, over evidence naming a base whose type is T or unstated:
 *   baseConf(B) = support(B)/all × (1 − e^(−2.3·support(B)))
 * where support(B) counts evidence for B and for every family B refines (pony gets sdxl's
 * support, never the reverse). score(T,B) = typeConf × (1 − ½ + ½·baseConf), or typeConf when
 * nothing names a base. Size evidence is a prior: it adds to the support (and the total) of the
 * readings it fits and is left out of everyone else's total. Fallback bases count only when
 * nothing else names a base. The best (T,B) wins; below `threshold` the answer is unknown, its
 * confidence that best score. Manual evidence is final (confidence 1).
 */
export function scoreEvidence(evidence: Evidence[], rules: RuleSet, threshold: number): Omit<Classification, 'evidence'> {
  const named = evidence.some((e) => e.base !== undefined && !isFallback(e) && e.method !== 'size');
  const used = evidence.filter((e) => e.weight > 0 && !(named && isFallback(e)));
  const candidates = rankCandidates(used, rules);
  const manual = [...evidence].reverse().find((e) => e.method === 'manual' && e.type !== undefined);
  if (manual?.type !== undefined) {
    return { type: manual.type, base: manual.base ?? 'unknown', variant: manual.variant ?? null, confidence: 1, candidates };
  }
  const best = candidates[0];
  if (best === undefined || best.score < threshold) {
    return { type: 'unknown', base: 'unknown', variant: null, confidence: round(best?.score ?? 0), candidates };
  }
  return { type: best.type, base: best.base, variant: pickVariant(used, best, rules), confidence: best.score, candidates };
}

function rankCandidates(evidence: Evidence[], rules: RuleSet): Candidate[] {
  const typed = evidence.filter((e) => e.type !== undefined);
  const typeTotal = sum(typed.filter(isFirm));
  const out: Candidate[] = [];
  for (const type of new Set(typed.map((e) => e.type as ModelType))) {
    const agreeing = typed.filter((e) => e.type === type);
    const agree = sum(agreeing);
    const typeConf = (agree / (typeTotal + sum(agreeing.filter(isPrior)))) * saturate(agree);
    // A generic type (upscalers) belongs to no family: only evidence about that very type may name a base.
    const generic = rules.modelTypes.some((t) => t.id === type && t.generic === true);
    const based = evidence.filter((e) => e.base !== undefined && (e.type === type || (e.type === undefined && !generic)));
    const baseTotal = sum(based.filter(isFirm));
    if (baseTotal === 0) {
      out.push({ type, base: 'unknown', score: round(typeConf) });
      continue;
    }
    for (const base of new Set(based.map((e) => e.base as string))) {
      const supporting = based.filter((e) => isSameOrAncestor(e.base as string, base, rules));
      const support = sum(supporting);
      const baseConf = (support / (baseTotal + sum(supporting.filter(isPrior)))) * saturate(support);
      out.push({ type, base, score: round(typeConf * (1 - BASE_SHARE + BASE_SHARE * baseConf)) });
    }
  }
  return out.sort((a, b) => b.score - a.score || depth(b.base, rules) - depth(a.base, rules) || a.base.localeCompare(b.base)).slice(0, MAX_CANDIDATES);
}

/**
 * The variant: among evidence consistent with the winner, the value with most support (a
 * refinement such as flux kontext also counts its parent's support), ties to the more specific;
 * then qualifier variants (high_noise) appended with '-'.
 */
function pickVariant(evidence: Evidence[], winner: Candidate, rules: RuleSet): string | null {
  const fits = evidence.filter(
    (e) => e.variant !== undefined && (e.type === undefined || e.type === winner.type) && (e.base === undefined || isSameOrAncestor(e.base, winner.base, rules)),
  );
  const plain = fits.filter((e) => e.rule === undefined || !rules.qualifiers.has(e.rule));
  const support = new Map<string, number>();
  for (const e of plain) support.set(e.variant as string, (support.get(e.variant as string) ?? 0) + e.weight);
  const refines = (v: string): string | undefined => rules.variantRefines.get(`${winner.base}/${v}`) ?? familyRefine(v, winner.base, rules);
  let best: string | null = null;
  let bestScore = -1;
  let bestDepth = -1;
  for (const v of support.keys()) {
    let score = 0;
    let d = 0;
    for (let cur: string | undefined = v; cur !== undefined; cur = refines(cur), d++) score += support.get(cur) ?? 0;
    if (score > bestScore || (score === bestScore && d > bestDepth)) [best, bestScore, bestDepth] = [v, score, d];
  }
  const extra = [...new Set(fits.filter((e) => e.rule !== undefined && rules.qualifiers.has(e.rule)).map((e) => e.variant as string))];
  const parts = [...(best === null ? [] : [best]), ...extra.filter((q) => q !== best)];
  return parts.length > 0 ? parts.join('-') : null;
}

/** A variant refinement declared on a family the base refines (pony inherits sdxl's). */
function familyRefine(variant: string, base: string, rules: RuleSet): string | undefined {
  for (let b = rules.bases.get(base)?.refines; b !== undefined; b = rules.bases.get(b)?.refines) {
    const r = rules.variantRefines.get(`${b}/${variant}`);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** Whether `claimed` is `base` or a family `base` refines (evidence for sdxl supports pony). */
function isSameOrAncestor(claimed: string, base: string, rules: RuleSet): boolean {
  for (let b: string | undefined = base, hops = 0; b !== undefined && hops < 16; b = rules.bases.get(b)?.refines, hops++) {
    if (b === claimed) return true;
  }
  return false;
}

function depth(base: string, rules: RuleSet): number {
  let d = 0;
  for (let b = rules.bases.get(base)?.refines; b !== undefined && d < 16; b = rules.bases.get(b)?.refines) d++;
  return d;
}

/** Size evidence is a prior: it supports the readings it fits and never counts against the others. */
function isPrior(e: Evidence): boolean {
  return e.method === 'size';
}

function isFirm(e: Evidence): boolean {
  return e.method !== 'size';
}

function isFallback(e: Evidence): boolean {
  return e.fallback === true;
}

function saturate(support: number): number {
  return 1 - Math.exp(-SATURATION * support);
}

function sum(list: Evidence[]): number {
  let s = 0;
  for (const e of list) s += e.weight;
  return s;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
