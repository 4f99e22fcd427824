/**
 * Builders for the housekeeping scenarios, on the shared test world (test/helpers/world.ts): tiny
 * real LoRA files in the downloads folder, for `modelhub scan` to import, and a target deploying
 * them.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeSafetensors } from '../fixtures/writers.js';
import { writeText, type World } from '../helpers/world.js';

const LORA_KEYS = ['lora_unet_down_blocks_0_attentions_0_proj_in', 'lora_unet_up_blocks_1_attentions_0_proj_out'];

/**
 * A tiny LoRA safetensors file (a few KB of deterministic bytes from `seed`). The same seed with
 * other `metadata` gives the same tensor data (same AutoV3) in a different file (another SHA-256).
 */
export async function writeLora(w: World, rel: string, opts: { seed: number; metadata?: Record<string, string> }): Promise<string> {
  const path = join(w.dl, rel);
  mkdirSync(dirname(path), { recursive: true });
  const tensors = LORA_KEYS.flatMap((k) => [
    { name: `${k}.lora_down.weight`, shape: [4, 64] },
    { name: `${k}.lora_up.weight`, shape: [64, 4] },
  ]);
  await writeSafetensors(path, tensors, { metadata: { ss_base_model_version: 'sdxl_base_v1-0', ...opts.metadata }, fill: 'random', seed: opts.seed });
  return path;
}

/** A Target `comfy` under apps/ mapping loras, and a Deployment of every LoRA. */
export function deployAllLoras(w: World): string {
  const root = join(w.apps, 'comfy');
  mkdirSync(root, { recursive: true });
  writeText(join(w.manifests, 'comfy.yaml'), `kind: Target\nname: comfy\nroot: ${root}\nmappings:\n  lora: loras\n---\nkind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\n`);
  return root;
}
