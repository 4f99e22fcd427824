import type { CommandContext } from './context.js';
import { createClassifierSetup } from './classifier.js';
import { forTerminal } from '../core/terminal-text.js';
import { formatConfidence } from './format.js';
import { renderEvidence } from './render/evidence.js';

/**
 * `modelhub explain MODEL`: why the inventory says what it says about a model. Classifies it
 * again (writing nothing) to show every piece of evidence and the candidates, names a recorded
 * Override, and says what would change the answer.
 */
export default async function explain(ctx: CommandContext, ref: string): Promise<void> {
  const { classifyStoredModels } = await import('../store/reclassify.js');
  const { resolveModelRef } = await import('../store/inventory.js');
  const hub = await ctx.hub({ readonly: true });
  const m = resolveModelRef(hub.db, ref);
  const setup = await createClassifierSetup(ctx);
  const [r] = await classifyStoredModels(hub, [m], { classify: setup.options, civitai: setup.civitai, lookup: setup.lookup, dryRun: true });
  const { getOverrideRecord } = await import('../store/override-effects.js');
  const override = getOverrideRecord(hub.db, m.id);
  const c = r?.classification ?? null;
  const decision = { type: m.primary_type, base: m.base_model, variant: m.sub_type, confidence: m.confidence };
  const advice = adviseOn({ decision, classifier: c, override, civitai: r?.civitai.status ?? 'not-asked', online: setup.civitai !== null, hash: m.sha256, threshold: setup.options.threshold });
  const result = {
    hash: m.sha256,
    name: m.filename,
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
  if (ctx.json) {
    ctx.printJson(result);
    return;
  }
  const { chalk } = ctx;
  const v = forTerminal(result);
  const lines = [
    `${chalk.bold(v.name)}  ${chalk.dim(v.hash.slice(0, 12))}`,
    `  is ${chalk.bold(`${v.decision.type}${v.decision.variant ? ` (${v.decision.variant})` : ''}`)}, base ${chalk.bold(v.decision.base)}, confidence ${formatConfidence(v.decision.confidence)}` +
      (v.override === null ? '' : chalk.cyan(`  — set by an Override (${v.override.origin})`)),
  ];
  if (v.error !== null) lines.push(`  ${chalk.red('cannot classify again:')} ${v.error}`);
  if (v.classifier !== null) {
    const k = v.classifier;
    if (v.override !== null) lines.push(`  the classifier alone says ${k.type}/${k.base}${k.variant ? `/${k.variant}` : ''} (${formatConfidence(k.confidence)})`);
    lines.push('', chalk.bold('evidence'), renderEvidence(v.evidence, chalk));
    lines.push('', chalk.bold('candidates'), ...v.candidates.map((x) => `  ${`${x.type}/${x.base}`.padEnd(32)} ${formatConfidence(x.score)}`));
  }
  lines.push('', chalk.bold('CivitAI'), `  ${describeCivitai(v.civitai, setup.civitai !== null)}`);
  lines.push('', chalk.bold('what would change it'), ...v.whatWouldChangeIt.map((a) => `  - ${a}`));
  ctx.out(lines.join('\n'));
}

function describeCivitai(c: { status: string; url?: string; error?: string } | null, online: boolean): string {
  if (c === null) return 'not asked';
  switch (c.status) {
    case 'found':
      return `found: ${c.url ?? ''}`;
    case 'not-found':
      return 'not on CivitAI (by SHA-256 or AutoV3)';
    case 'error':
      return `lookup failed: ${c.error ?? ''}`;
    default:
      return online ? 'not asked' : 'not asked (offline; nothing cached)';
  }
}

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
