import type { ClassifierSetup } from './classifier-setup.js';
import type { Hub } from './hub.js';
import { findModel } from './model-ref.js';
import { getRecordedOverride } from './overrides.js';
import { classifyStoredModels } from './reclassify.js';

/**
 * Why the inventory says what it says about a model (`modelhub explain`, the TUI's details):
 * it is classified again, writing nothing, for every piece of evidence and the candidates; a
 * recorded Override is named; and the advice says what would change the answer.
 */
export async function explainModel(hub: Hub, ref: string, setup: ClassifierSetup, cwd?: string) {
  const m = findModel(hub, ref, cwd);
  const [r] = await classifyStoredModels(hub, [m], { classify: setup.options, civitai: setup.civitai, lookup: setup.lookup, dryRun: true });
  const recorded = getRecordedOverride(hub.db, m.id);
  const override = recorded === undefined ? undefined : { type: recorded.type, base: recorded.base, variant: recorded.variant, name: recorded.name, tags: recorded.tags, origin: recorded.origin };
  const c = r?.classification ?? null;
  const decision = { type: m.primary_type, base: m.base_model, variant: m.sub_type, confidence: m.confidence };
  const advice = adviseOn({ decision, classifier: c, override, civitai: r?.civitai.status ?? 'not-asked', online: setup.civitai !== null, hash: m.sha256, threshold: setup.options.threshold });
  return {
    hash: m.sha256,
    name: m.name,
    decision,
    override: override ?? null,
    classifier: c === null ? null : { type: c.type, base: c.base, variant: c.variant, confidence: c.confidence },
    evidence: c?.evidence ?? [],
    candidates: c?.candidates ?? [],
    civitai: r?.civitai ?? null,
    sidecars: r?.sidecars ?? [],
    error: r?.error ?? null,
    whatWouldChangeIt: advice,
  };
}

export type Explanation = Awaited<ReturnType<typeof explainModel>>;

interface AdviceInput {
  decision: { type: string; base: string; variant: string | null; confidence: number };
  classifier: { type: string; base: string; confidence: number; evidence: Array<{ method: string; base?: string }> } | null;
  override: { origin: string } | undefined;
  civitai: string;
  online: boolean;
  hash: string;
  threshold: number;
}

/** Concrete next steps that would change (or confirm) the classification. */
export function adviseOn(a: AdviceInput): string[] {
  const out: string[] = [];
  if (a.override !== undefined) {
    out.push(`an Override in the manifests (${a.override.origin}) sets it; remove or change it there and run \`modelhub apply\``);
    return out;
  }
  out.push(`add an Override to your manifests to correct it: {kind: Override, match: {hash: ${a.hash.slice(0, 12)}}, set: {type: …, base: …}}, then \`modelhub apply\``);
  if (a.civitai !== 'found') {
    out.push(a.online ? `\`modelhub reclassify --refresh ${a.hash.slice(0, 12)}\` asks CivitAI again` : `\`modelhub reclassify --online ${a.hash.slice(0, 12)}\` asks CivitAI (its answer counts as strong evidence)`);
  }
  if (a.decision.type === 'unknown') out.push(`the best reading scored below the confidence threshold (${a.threshold}); lower \`confidence_threshold\` in your config, or add evidence (a rule, a sidecar, an Override)`);
  if (a.decision.base === 'sdxl' && a.classifier !== null && !a.classifier.evidence.some((e) => e.base === 'pony' || e.base === 'illustrious' || e.base === 'noobai')) {
    out.push('pony, illustrious and noobai are SDXL-shaped: they are only claimed with evidence (CivitAI, metadata, the file name, a sidecar)');
  }
  if (a.classifier !== null && a.classifier.evidence.every((e) => e.method !== 'tensors')) out.push('no tensor signature matched: a rule file (config `rules`) can add one as data');
  return out;
}
