import { detectFilename } from './detect-filename.js';
import { detectMetadata } from './detect-metadata.js';
import { detectSize } from './detect-size.js';
import { detectTensors } from './detect-tensors.js';
import { scoreEvidence } from './score.js';
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
    ...reconcileCheckpoint(input.extraEvidence ?? [], layout).map((e) => scaleExtra(e, weights)),
    ...detectFilename(input.fileName, rules, weights.filename),
    ...detectSize(size, rules, weights.size),
  ];
  return { ...scoreEvidence(evidence, rules, opts.threshold), evidence };
}

/**
 * CivitAI files every main model under "Checkpoint", diffusion-model-only uploads (Flux, Chroma,
 * Wan fine-tunes) included, and sidecars repeat its vocabulary. When the tensor layout says the
 * file is a diffusion model alone, such a "checkpoint" is no contradiction: only its base and
 * variant are kept.
 */
function reconcileCheckpoint(extra: Evidence[], layout: Evidence[]): Evidence[] {
  if (!layout.some((e) => e.type === 'unet')) return extra;
  return extra.map((e) => {
    if ((e.method !== 'civitai' && e.method !== 'sidecar') || e.type !== 'checkpoint') return e;
    const { type: _type, ...rest } = e;
    return rest;
  });
}

/** Extra evidence arrives with its own strength (0..1); the method's weight scales it. */
function scaleExtra(e: Evidence, weights: ClassifyOptions['weights']): Evidence {
  const strength = Number.isFinite(e.weight) ? Math.min(Math.max(e.weight, 0), 1) : 1;
  return { ...e, weight: e.method === 'manual' ? weights.manual : weights[e.method] * strength };
}
