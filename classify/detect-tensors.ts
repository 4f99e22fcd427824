import type { ModelHeader } from '../formats/types.js';
import { buildKeyViews, type ComponentPart, type KeyViews } from './canonicalize.js';
import { describeCondition, pickVariant, testCondition } from './conditions.js';
import { detectLora } from './detect-lora.js';
import type { KeyView } from './key-view.js';
import type { ArchitectureRule, RuleSet } from './ruleset.js';
import type { Evidence } from './types.js';


/**
 * Evidence from tensor layout. Architecture rules run highest priority first and the first
 * that holds decides; LoRA detection runs at `lora.priority` in that order. In an all-in-one
 * file (diffusion keys plus VAE or text-encoder keys) only `file` rules see the whole file and
 * `diffusion` rules see the diffusion part, their `unet` becoming `checkpoint`.
 */
export function detectTensors(header: ModelHeader, rules: RuleSet, weight: number): Evidence[] {
  if (header.tensors.length === 0) return [];
  const views = buildKeyViews(header.tensors, rules);
  return withNotes(detectLayout(views, rules, weight), describeFile(header, views));
}

function detectLayout(views: KeyViews, rules: RuleSet, weight: number): Evidence[] {
  let loraTried = false;
  for (const rule of rules.architectures) {
    if (!loraTried && rule.priority <= rules.lora.priority) {
      loraTried = true;
      const lora = detectLora(views.whole, rules, weight);
      if (lora !== undefined) return lora;
    }
    const hit = matchRule(rule, views);
    if (hit !== undefined) return ruleEvidence(rule, hit, { views, rules, weight });
  }
  const lora = loraTried ? undefined : detectLora(views.whole, rules, weight);
  if (lora !== undefined) return lora;
  if (views.checkpoint === undefined) return [];
  const parts = [...views.checkpoint.diffusionPrefixes, ...views.checkpoint.parts.map((p) => p.prefix)].join(', ');
  return [{ method: 'tensors', observed: `all-in-one file (${parts}), diffusion model not recognised`, type: 'checkpoint', weight: 0.8 * weight, rule: 'checkpoint:unrecognised' }];
}

/** The view (taken under one of the rule's prefixes) the rule holds on, if any. */
function matchRule(rule: ArchitectureRule, views: KeyViews): KeyView | undefined {
  let candidates: KeyView[];
  if (views.checkpoint === undefined) candidates = views.standalone;
  else if (rule.component === 'diffusion') candidates = [views.checkpoint.diffusion];
  else if (rule.component === 'file') candidates = [views.whole];
  else return undefined;
  for (const view of candidates) {
    for (const prefix of rule.prefixes) {
      const sub = view.under(prefix);
      if (sub.size > 0 && testCondition(rule.when, sub)) return sub;
    }
  }
  return undefined;
}

function ruleEvidence(rule: ArchitectureRule, view: KeyView, ctx: { views: KeyViews; rules: RuleSet; weight: number }): Evidence[] {
  const { views, weight } = ctx;
  const inCheckpoint = views.checkpoint !== undefined && rule.component === 'diffusion';
  const variant = pickVariant(rule.variants, view) ?? rule.variant;
  let observed = describeCondition(rule.when, view);
  if (inCheckpoint && views.checkpoint !== undefined) observed = `all-in-one: ${describeParts(views.checkpoint, ctx.rules)}; diffusion model ${observed}`;
  const main: Evidence = { method: 'tensors', observed, type: inCheckpoint && rule.type === 'unet' ? 'checkpoint' : rule.type, weight: weight * rule.weight, rule: rule.id };
  if (rule.base !== undefined) main.base = rule.base;
  if (variant !== undefined) main.variant = variant;
  const out = [main];
  if (rule.baseFallback !== undefined) {
    out.push({ method: 'tensors', observed: `${rule.baseFallback} assumed: the layout does not tell which family`, base: rule.baseFallback, weight: 0.5 * weight * rule.weight, rule: `${rule.id}#fallback`, fallback: true });
  }
  return out;
}

function describeParts(ckpt: NonNullable<KeyViews['checkpoint']>, set: RuleSet): string {
  return ckpt.parts.map((p) => `${p.prefix} (${p.view.size} keys${nameOf(p, set)})`).join(', ');
}

/** The id of the first rule of the part's component that holds on it. */
function nameOf(part: ComponentPart, set: RuleSet): string {
  const rule = set.architectures.find((r) => r.component === part.component && testCondition(r.when, part.view));
  return rule === undefined ? '' : `: ${rule.id}`;
}

function describeFile(header: ModelHeader, views: KeyViews): string[] {
  const notes: string[] = [];
  if (views.ignored > 0) notes.push(`${views.ignored} quantisation keys ignored`);
  if (header.container === 'gguf') {
    const quant = dominantQuant(header);
    if (quant !== undefined) notes.push(`quantised ${quant}`);
  }
  return notes;
}

function withNotes(evidence: Evidence[], notes: string[]): Evidence[] {
  const first = evidence[0];
  if (first !== undefined && notes.length > 0) first.observed += ` (${notes.join('; ')})`;
  return evidence;
}

/** The most common quantised dtype among 2-D tensors of a GGUF file. */
function dominantQuant(header: ModelHeader): string | undefined {
  const counts = new Map<string, number>();
  for (const t of header.tensors) {
    if (t.shape.length !== 2 || /^(F16|F32|BF16|F64)$/i.test(t.dtype)) continue;
    counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + 1);
  }
  let best: string | undefined;
  let n = 0;
  for (const [dtype, c] of counts) if (c > n) [best, n] = [dtype, c];
  return best;
}
