import type { ModelHeader } from '../formats/types.js';
import { buildKeyViews } from './canonicalize.js';
import { detectFilename } from './detect-filename.js';
import { detectMetadata } from './detect-metadata.js';
import { detectSize } from './detect-size.js';
import { detectTensors } from './detect-tensors.js';
import { scoreEvidence } from './score.js';
import type { RuleSet } from './ruleset.js';
import type { Classification, ClassifyInput, ClassifyOptions, Evidence } from './types.js';

/**
 * Classify one model file from what is known of it: its name, size, header (tensors and
 * metadata) and any evidence gathered elsewhere (CivitAI, sidecar files, a manual override).
 * Pure and synchronous: no filesystem, no network, no clock; the same input gives the same
 * answer. Evidence is listed strongest method first; see scoreEvidence for the formula.
 */
export function classifyModel(input: ClassifyInput, opts: ClassifyOptions): Classification {
  const { rules, weights } = opts;
  const header = input.header;
  const size = input.size > 0 ? input.size : (header?.size ?? 0);
  const layout = header === undefined ? [] : detectTensors(header, rules, weights.tensors);
  const evidence: Evidence[] = [
    ...layout,
    ...(header === undefined ? [] : detectMetadata(header.metadata, rules, weights.metadata)),
    ...reconcileCheckpoint(input.extraEvidence ?? [], layout, () => header !== undefined && isDiffusionAlone(header, rules)).map((e) => scaleExtra(e, weights)),
    ...detectFilename(input.fileName, rules, weights.filename),
    ...detectSize(size, rules, weights.size),
  ];
  return { ...scoreEvidence(evidence, rules, opts.threshold), evidence };
}

/**
 * CivitAI files every main model under "Checkpoint", diffusion-model-only uploads (Flux, Chroma,
 * Wan fine-tunes) included, and sidecars repeat its vocabulary. Where the tensor layout says the
 * file is a diffusion model alone, such a "checkpoint" is no contradiction: only its base and
 * variant are kept. Where no rule knows the layout but the file has tensors and none of them
 * under a VAE or text-encoder prefix, the main model file it names can only be a diffusion
 * model: the evidence says `unet`.
 */
function reconcileCheckpoint(extra: Evidence[], layout: Evidence[], diffusionAlone: () => boolean): Evidence[] {
  const saysCheckpoint = (e: Evidence): boolean => (e.method === 'civitai' || e.method === 'sidecar') && e.type === 'checkpoint';
  if (!extra.some(saysCheckpoint)) return extra;
  const unet = layout.some((e) => e.type === 'unet');
  const unknownAlone = !unet && !layout.some((e) => e.type !== undefined) && diffusionAlone();
  if (!unet && !unknownAlone) return extra;
  return extra.map((e) => {
    if (!saysCheckpoint(e)) return e;
    const { type: _type, ...rest } = e;
    return unet ? rest : { ...rest, type: 'unet', observed: `${e.observed} (no VAE or text-encoder keys: a diffusion model alone)` };
  });
}

/** Tensors, and none under a VAE or text-encoder prefix. */
function isDiffusionAlone(header: ModelHeader, rules: RuleSet): boolean {
  return header.tensors.length > 0 && buildKeyViews(header.tensors, rules).companionKeys === 0;
}

/** Extra evidence arrives with its own strength (0..1); the method's weight scales it. */
function scaleExtra(e: Evidence, weights: ClassifyOptions['weights']): Evidence {
  const strength = Number.isFinite(e.weight) ? Math.min(Math.max(e.weight, 0), 1) : 1;
  return { ...e, weight: e.method === 'manual' ? weights.manual : weights[e.method] * strength };
}
