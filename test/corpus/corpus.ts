/**
 * The accuracy corpus: one entry per model file, written for real (safetensors / GGUF / torch
 * zip / legacy torch) and read back through the format readers. Each entry says how to write it
 * (key set, metadata, realistic size as a sparse hole), what it truly is, and, for files that
 * live on CivitAI, what the site's by-hash answer would say ({modelType, baseModel}).
 *
 * Truth labels are what a careful tool must say from what it can see:
 * - `truth` is the offline answer (file name, size, header). Sub-families that share the SDXL
 *   architecture (Pony, Illustrious, NoobAI) are only claimed offline when the file carries
 *   evidence (a name token, kohya/modelspec metadata, score_9 tags, the v_pred key); without it
 *   "sdxl" IS the right offline answer and `onlineBase` gives the family CivitAI resolves.
 * - Files that no offline evidence can decide keep their real truth and are expected misses,
 *   marked `undecidable` with the reason (an SDXL VAE under a neutral name is laid out exactly
 *   like an SD1.5 one).
 * - Bases of shared components (CLIP-L/G, T5-XXL, CLIP vision, upscalers) are `unknown`: they
 *   belong to no single family. LLM bases are GGUF's general.architecture.
 * - Variants are given where they are meaningful and knowable: LoRA algorithm, Flux dev/schnell/
 *   fill/kontext, Wan mode-size(-noise expert), SD3 size, refiner/inpaint, encoder kind, IP-Adapter
 *   plus/faceid, ControlNet kind, upscaler architecture, motion-module version.
 */
import type { ModelType } from '../../core/vocabulary.js';
import { tensor, type GgufValue, type PickleValue } from '../fixtures/writers.js';
import * as K from '../fixtures/keysets.js';
import * as B from './builders.js';
import type { T } from './builders.js';

export type Naming = 'realistic' | 'neutral' | 'misleading';

export interface Truth {
  type: ModelType;
  base: string;
  /** Only where meaningful; variant accuracy is measured over entries that give one. */
  variant?: string;
}

export type Body =
  | { format: 'safetensors'; tensors: () => T[]; metadata?: Record<string, string> }
  | { format: 'gguf'; tensors: () => T[]; kv: Record<string, GgufValue> }
  | { format: 'torch-zip' | 'torch-legacy'; object: () => PickleValue };

export interface CorpusEntry {
  /** Relative path; only its last segment (the file name) reaches the classifier. */
  path: string;
  body: Body;
  /** The real-world size in bytes (the file is extended with a sparse hole when its content is smaller). */
  size?: number;
  /** realistic: a name as such files really have; neutral: says nothing of type or family; misleading: says a wrong one. */
  naming: Naming;
  truth: Truth;
  /** What CivitAI's by-hash answer says, for files that are on CivitAI. */
  civitai?: { modelType: string; baseModel: string };
  /** The base (and variant) once CivitAI answered, when different from the offline truth. */
  onlineBase?: string;
  onlineVariant?: string;
  /** Why offline evidence cannot decide this file: its misses are expected and reported as such. */
  undecidable?: string;
  /** A decidable file the classifier is known to get wrong (kept, counted, and explained in the report). */
  knownGap?: string;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const GB = 1e9;
const MB = 1e6;
const st = (tensors: () => T[], metadata?: Record<string, string>): Body => ({ format: 'safetensors', tensors, ...(metadata === undefined ? {} : { metadata }) });
const gguf = (tensors: () => T[], kv: Record<string, unknown>): Body => ({ format: 'gguf', tensors, kv: kv as Record<string, GgufValue> });
const zip = (object: () => PickleValue): Body => ({ format: 'torch-zip', object });
const legacy = (object: () => PickleValue): Body => ({ format: 'torch-legacy', object });
const sdict = (tensors: () => T[]) => (): PickleValue => B.stateDict(tensors());

interface Opts {
  size?: number;
  naming?: Naming;
  /** "ModelType|baseModel", as CivitAI spells them. */
  cv?: string;
  onlineBase?: string;
  onlineVariant?: string;
  undecidable?: string;
  knownGap?: string;
}

export const CORPUS: CorpusEntry[] = [];

/** truth: "type/base[/variant]". */
function add(path: string, body: Body, truth: string, o: Opts = {}): void {
  const [type, base, variant] = truth.split('/');
  const e: CorpusEntry = { path, body, naming: o.naming ?? 'realistic', truth: { type: type as ModelType, base: base ?? 'unknown', ...(variant === undefined ? {} : { variant }) } };
  if (o.size !== undefined) e.size = Math.round(o.size);
  if (o.cv !== undefined) {
    const [modelType, baseModel] = o.cv.split('|');
    e.civitai = { modelType: modelType ?? '', baseModel: baseModel ?? '' };
  }
  if (o.onlineBase !== undefined) e.onlineBase = o.onlineBase;
  if (o.onlineVariant !== undefined) e.onlineVariant = o.onlineVariant;
  if (o.undecidable !== undefined) e.undecidable = o.undecidable;
  if (o.knownGap !== undefined) e.knownGap = o.knownGap;
  CORPUS.push(e);
}

const N = { naming: 'neutral' } as const;
const M = { naming: 'misleading' } as const;

// Metadata real files carry --------------------------------------------------------------------

const sdxlModelspec = (title: string, arch = 'stable-diffusion-xl-v1-base'): Record<string, string> => ({
  'modelspec.sai_model_spec': '1.0.0',
  'modelspec.architecture': arch,
  'modelspec.implementation': 'https://github.com/Stability-AI/generative-models',
  'modelspec.title': title,
  'modelspec.resolution': '1024x1024',
  'modelspec.date': '2023-07-26',
});
const a1111Merge = (models: string[]): Record<string, string> => ({
  format: 'pt',
  sd_merge_recipe: JSON.stringify({ type: 'webui', primary_model_hash: 'a'.repeat(64), secondary_model_hash: 'b'.repeat(64), merge_mode: 'Weighted sum', multiplier: 0.4 }),
  sd_merge_models: JSON.stringify(Object.fromEntries(models.map((m, i) => [String(i).repeat(64), { name: m, legacy_hash: 'deadbeef' }]))),
});
const kohya = K.kohyaLoraMetadata;
const PONY_TAGS = { score_9: 120, score_8_up: 118, score_7_up: 110, '1girl': 96, solo: 80 };
const PONY_CKPT = 'ponyDiffusionV6XL_v6StartWithThisOne.safetensors';
const ltxvConfig = (layers: number): Record<string, string> => ({
  config: JSON.stringify({ transformer: { _class_name: 'Transformer3DModel', num_layers: layers, caption_channels: 4096, cross_attention_dim: layers === 28 ? 2048 : 4096 }, vae: { _class_name: 'CausalVideoAutoencoder', latent_channels: 128 } }),
});
const aiToolkit = (name: string): Record<string, string> => ({
  format: 'pt',
  name,
  version: '1.0',
  software: JSON.stringify({ name: 'ai-toolkit', repo: 'https://github.com/ostris/ai-toolkit', version: '0.1.0' }),
});
const llmKv = (arch: string, name: string, fileType = 15): Record<string, unknown> => ({ ...K.ggufLlmMetadata(arch, name), 'general.file_type': fileType });
const comfyCheckpointSave = (ckpt: string): Record<string, string> => ({
  'modelspec.sai_model_spec': '1.0.0',
  'modelspec.architecture': 'stable-diffusion-xl-v1-base',
  'modelspec.implementation': 'sgm',
  'modelspec.title': 'checkpoints/ComfyUI 1',
  prompt: JSON.stringify({ '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: ckpt } }, '10': { class_type: 'LoraLoader', inputs: { lora_name: 'detail_tweaker_xl.safetensors', strength_model: 0.6 } }, '9': { class_type: 'CheckpointSave', inputs: { filename_prefix: 'checkpoints/ComfyUI' } } }),
  workflow: JSON.stringify({ last_node_id: 10, nodes: [{ id: 4, type: 'CheckpointLoaderSimple', widgets_values: [ckpt] }] }),
});

// =============================================================================================
// Checkpoints: SD 1.x / 2.x / SDXL and its families

add('checkpoints/v1-5-pruned-emaonly.safetensors', st(() => K.sd15Checkpoint()), 'checkpoint/sd15', { size: 4.27 * GB });
add('checkpoints/v1-5-pruned-emaonly.ckpt', zip(() => ({ global_step: 840000, state_dict: B.stateDict(K.sd15Checkpoint()) })), 'checkpoint/sd15', { size: 4.27 * GB });
add('checkpoints/v1-5-pruned.ckpt', zip(() => ({ global_step: 840000, state_dict: B.stateDict(B.withEma(B.withPositionIds(K.sd15Checkpoint(), 'cond_stage_model.transformer.'))) })), 'checkpoint/sd15', { size: 7.7 * GB });
add('checkpoints/dreamshaper_8.safetensors', st(() => K.sd15Checkpoint()), 'checkpoint/sd15', { size: 2132625894, cv: 'Checkpoint|SD 1.5' });
add('checkpoints/realisticVisionV60B1_v51HyperVAE.safetensors', st(() => K.sd15Checkpoint()), 'checkpoint/sd15', { size: 2132626066, cv: 'Checkpoint|SD 1.5 Hyper' });
add('checkpoints/epicrealism_naturalSinRC1VAE.safetensors', st(() => K.sd15Checkpoint()), 'checkpoint/sd15', { size: 2132625894, cv: 'Checkpoint|SD 1.5' });
add('checkpoints/dreamshaper_8Inpainting.safetensors', st(() => K.sd15Checkpoint({ inChannels: 9 })), 'checkpoint/sd15/inpaint', { size: 2132650000, cv: 'Checkpoint|SD 1.5' });
add('checkpoints/sd-v1-5-inpainting.ckpt', zip(() => ({ global_step: 440000, state_dict: B.stateDict(K.sd15Checkpoint({ inChannels: 9 })) })), 'checkpoint/sd15/inpaint', { size: 4.27 * GB });
add('checkpoints/instruct-pix2pix-00-22000.safetensors', st(() => K.sd15Checkpoint({ inChannels: 8 })), 'checkpoint/sd15/ip2p', { size: 7.7 * GB });
add('checkpoints/Counterfeit-V3.0_fp16.safetensors', st(() => K.sd15Checkpoint()), 'checkpoint/sd15', { size: 2.13 * GB, cv: 'Checkpoint|SD 1.5' });
add('checkpoints/my_lora_merge.safetensors', st(() => K.sd15Checkpoint(), a1111Merge(['dreamshaper_8.safetensors', 'epicrealism_naturalSinRC1VAE.safetensors'])), 'checkpoint/sd15', { ...M, size: 2.13 * GB, cv: 'Checkpoint|SD 1.5' });
add('training/last.ckpt', zip(() => ({ epoch: 9, global_step: 12000, 'pytorch-lightning_version': '1.9.0', state_dict: B.stateDict(K.sd15Checkpoint()) })), 'checkpoint/sd15', { ...N, size: 4.27 * GB });
add('checkpoints/v2-1_768-ema-pruned.safetensors', st(() => K.sd2Checkpoint()), 'checkpoint/sd2', { size: 5.21 * GB });
add('checkpoints/v2-1_512-ema-pruned.safetensors', st(() => K.sd2Checkpoint()), 'checkpoint/sd2', { size: 5.21 * GB });
add('checkpoints/768-v-ema.safetensors', st(() => K.sd2Checkpoint()), 'checkpoint/sd2', { size: 5.21 * GB });

add('checkpoints/sd_xl_base_1.0.safetensors', st(() => K.sdxlCheckpoint(), sdxlModelspec('Stable Diffusion XL 1.0 Base')), 'checkpoint/sdxl', { size: 6.94 * GB });
add('checkpoints/sd_xl_refiner_1.0.safetensors', st(() => K.sdxlRefiner(), sdxlModelspec('Stable Diffusion XL 1.0 Refiner', 'stable-diffusion-xl-v1-refiner')), 'checkpoint/sdxl/refiner', { size: 6.08 * GB });
add('checkpoints/sd_xl_base_1.0_inpainting_0.1.safetensors', st(() => K.sdxlCheckpoint({ inChannels: 9 })), 'checkpoint/sdxl/inpaint', { size: 6.94 * GB });
add('checkpoints/juggernautXL_v9Rdphoto2Lightning.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { size: 7.11 * GB, cv: 'Checkpoint|SDXL Lightning' });
add('checkpoints/realvisxlV50_v50Bakedvae.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { size: 6.94 * GB, cv: 'Checkpoint|SDXL 1.0' });
add('checkpoints/dreamshaperXL_v21TurboDPMSDE.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { size: 6.94 * GB, cv: 'Checkpoint|SDXL Turbo' });
add('checkpoints/animagineXLV31_v31.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { size: 6.94 * GB, cv: 'Checkpoint|SDXL 1.0' });
add('checkpoints/ponyDiffusionV6XL_v6StartWithThisOne.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/pony', { size: 6938040682, cv: 'Checkpoint|Pony' });
add('checkpoints/autismmixSDXL_autismmixPony.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/pony', { size: 6.94 * GB, cv: 'Checkpoint|Pony' });
add('checkpoints/cyberrealisticPony_v130.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/pony', { size: 6.94 * GB, cv: 'Checkpoint|Pony' });
add('checkpoints/illustriousXL_v01.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/illustrious', { size: 6.94 * GB, cv: 'Checkpoint|Illustrious' });
add('checkpoints/waiNSFWIllustrious_v140.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/illustrious', { size: 6.94 * GB, cv: 'Checkpoint|Illustrious' });
// "ilV80" hints Illustrious to a human, but no tool should claim a family from two letters.
add('checkpoints/novaAnimeXL_ilV80.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { size: 6.94 * GB, cv: 'Checkpoint|Illustrious', onlineBase: 'illustrious' });
add('checkpoints/noobaiXLNAIXL_vPred10Version.safetensors', st(() => K.sdxlCheckpoint({ vPred: true })), 'checkpoint/noobai/v_pred', { size: 6.94 * GB, cv: 'Checkpoint|NoobAI' });
add('checkpoints/noobaiXLNAIXL_epsilonPred11Version.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/noobai', { size: 6.94 * GB, cv: 'Checkpoint|NoobAI' });
// Same weights layout, no name, no metadata: offline the right answer is the parent family.
add('downloads/12345.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { ...N, size: 6.94 * GB, cv: 'Checkpoint|Pony', onlineBase: 'pony' });
add('downloads/download (3).safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { ...N, size: 6.94 * GB, cv: 'Checkpoint|Illustrious', onlineBase: 'illustrious' });
add('downloads/model.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { ...N, size: 6.94 * GB, cv: 'Checkpoint|NoobAI', onlineBase: 'noobai' });
// A neutral name, but the merge tool wrote a ModelSpec title.
add('checkpoints/merged_v22.safetensors', st(() => K.sdxlCheckpoint(), sdxlModelspec('PonyRealism v2.2')), 'checkpoint/pony', { ...N, size: 6.94 * GB, cv: 'Checkpoint|Pony' });
// ComfyUI's CheckpointSave: modelspec without a family, and the workflow that made it (not evidence).
add('checkpoints/ComfyUI_00001_.safetensors', st(() => B.withPositionIds(K.sdxlCheckpoint(), 'conditioner.embedders.0.transformer.'), comfyCheckpointSave(PONY_CKPT)), 'checkpoint/sdxl', { ...N, size: 6.94 * GB, cv: 'Checkpoint|Pony', onlineBase: 'pony' });
add('checkpoints/Illustrious-XL-v2.0.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/illustrious', { size: 6.94 * GB, cv: 'Checkpoint|Illustrious' });
add('checkpoints/sd15_style_merge.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { ...M, size: 6.94 * GB, cv: 'Checkpoint|SDXL 1.0' });
add('checkpoints/pony_realism_v21.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/pony', { size: 6.94 * GB, cv: 'Checkpoint|Pony' });
add('checkpoints/fluxManiaXL_v2.safetensors', st(() => K.sdxlCheckpoint()), 'checkpoint/sdxl', { ...M, size: 6.94 * GB, cv: 'Checkpoint|SDXL 1.0' });
add('unet/sdxl_unet_fp16.safetensors', st(() => K.prefixed('model.diffusion_model.', K.sdxlUnet())), 'unet/sdxl', { size: 5.14 * GB });
add('hf/stable-diffusion-xl-base-1.0/unet/diffusion_pytorch_model.fp16.safetensors', st(() => K.diffusersUnetSdxl(), { format: 'pt' }), 'unet/sdxl', { ...N, size: 5.14 * GB });
add('hf/stable-diffusion-v1-5/unet/diffusion_pytorch_model.fp16.safetensors', st(() => K.diffusersUnetSd15(), { format: 'pt' }), 'unet/sd15', { ...N, size: 1.72 * GB });
add('unet/juggernautXL_v9-Q8_0.gguf', gguf(() => K.ggufQuantised(K.sdxlUnet(), 'Q8_0'), K.ggufUnetMetadata('sdxl')), 'unet/sdxl', { size: 2.77 * GB });

// =============================================================================================
// Flux and other image DiTs

add('diffusion_models/flux1-dev.safetensors', st(() => K.fluxUnet()), 'unet/flux/dev', { size: 23.8 * GB });
add('diffusion_models/flux1-schnell.safetensors', st(() => K.fluxUnet({ variant: 'schnell' })), 'unet/flux/schnell', { size: 23.78 * GB });
add('diffusion_models/flux1-fill-dev.safetensors', st(() => K.fluxUnet({ variant: 'fill' })), 'unet/flux/fill', { size: 23.81 * GB });
add('diffusion_models/flux1-kontext-dev.safetensors', st(() => K.fluxUnet()), 'unet/flux/kontext', { size: 23.8 * GB });
add('diffusion_models/flux1-krea-dev_fp8_scaled.safetensors', st(() => B.fp8Scaled(K.fluxUnet())), 'unet/flux/krea', { size: 11.9 * GB });
add('diffusion_models/flux1-dev-fp8.safetensors', st(() => K.fluxUnet({ dtype: 'F8_E4M3' })), 'unet/flux/dev', { size: 11.9 * GB });
add('checkpoints/flux1-dev-fp8.safetensors', st(() => K.fluxCheckpointAllInOne()), 'checkpoint/flux/dev', { size: 17.2 * GB });
add('checkpoints/flux1-schnell-fp8.safetensors', st(() => B.fluxSchnellAllInOne()), 'checkpoint/flux/schnell', { size: 17.2 * GB });
add('hf/FLUX.1-dev/transformer/diffusion_pytorch_model.safetensors', st(() => B.fluxDiffusersUnet(), { format: 'pt' }), 'unet/flux/dev', { ...N, size: 23.8 * GB });
// A sharded diffusers transformer: each shard holds a run of the state dict; each is classified
// with the sibling shards beside it (formats/shards.ts).
for (const i of [1, 2, 3]) {
  add(`hf/FLUX.1-schnell/transformer/diffusion_pytorch_model-0000${i}-of-00003.safetensors`, st(() => B.shard(B.fluxDiffusersUnet({ schnell: true }), i, 3), { format: 'pt' }), 'unet/flux', N);
}
add('diffusion_models/flux1-schnell.sft', st(() => K.fluxUnet({ variant: 'schnell' })), 'unet/flux/schnell', { size: 23.78 * GB });
// Flux fine-tunes on CivitAI are typed "Checkpoint" even when the file is the diffusion model alone.
add('diffusion_models/jibMixFlux_v8AccentuEight.safetensors', st(() => K.fluxUnet({ dtype: 'F8_E4M3' })), 'unet/flux/dev', { size: 11.9 * GB, cv: 'Checkpoint|Flux.1 D' });
add('diffusion_models/STOIQONewrealityFLUXSD_F1DAlpha.safetensors', st(() => K.fluxUnet({ dtype: 'F8_E4M3' })), 'unet/flux/dev', { size: 11.9 * GB, cv: 'Checkpoint|Flux.1 D' });
add('unet/flux1-dev-Q4_K_S.gguf', gguf(() => K.ggufQuantised(K.fluxUnet(), 'Q4_K'), K.ggufUnetMetadata('flux')), 'unet/flux/dev', { size: 6.81 * GB });
add('unet/flux1-schnell-Q8_0.gguf', gguf(() => K.ggufQuantised(K.fluxUnet({ variant: 'schnell' }), 'Q8_0'), K.ggufUnetMetadata('flux')), 'unet/flux/schnell', { size: 12.7 * GB });
add('unet/flux1-kontext-dev-Q5_K_M.gguf', gguf(() => K.ggufQuantised(K.fluxUnet(), 'Q5_K'), K.ggufUnetMetadata('flux')), 'unet/flux/kontext', { size: 8.42 * GB });
add('diffusion_models/sdxl_turbo_unet.safetensors', st(() => K.fluxUnet({ variant: 'schnell' })), 'unet/flux/schnell', { ...M, size: 23.78 * GB });
add('diffusion_models/flux2_dev_fp8mixed.safetensors', st(() => K.flux2Unet()), 'unet/flux2', { size: 35.5 * GB });
add('diffusion_models/chroma-unlocked-v41.safetensors', st(() => K.chromaUnet()), 'unet/chroma', { size: 17.8 * GB, cv: 'Checkpoint|Chroma' });
add('checkpoints/aura_flow_0.3.safetensors', st(() => B.auraflowAllInOne()), 'checkpoint/auraflow', { size: 16.5 * GB, cv: 'Checkpoint|AuraFlow' });
add('diffusion_models/pony-v7-base.safetensors', st(() => K.auraflowUnet()), 'unet/auraflow', { size: 13.7 * GB, cv: 'Checkpoint|Pony V7' });
add('checkpoints/PixArt-Sigma-XL-2-1024-MS.pth', zip(() => ({ state_dict: B.stateDict(K.pixartUnet()) })), 'unet/pixart/sigma', { size: 2.44 * GB });
add('checkpoints/PixArt-XL-2-1024-MS.pth', zip(() => ({ state_dict: B.stateDict(K.pixartUnet({ alpha: true })) })), 'unet/pixart/alpha', { size: 2.45 * GB });
add('hunyuan_dit/t2i/model/pytorch_model_ema.pt', zip(sdict(() => K.hunyuanDitUnet())), 'unet/hunyuan_dit/v1.1', { ...N, size: 5.6 * GB });
add('diffusion_models/lumina_2_model_bf16.safetensors', st(() => K.luminaUnet()), 'unet/lumina/lumina2', { size: 5.2 * GB });
add('diffusion_models/z_image_turbo_bf16.safetensors', st(() => K.luminaUnet({ zImage: true })), 'unet/lumina/z_image', { size: 12.3 * GB });
add('diffusion_models/qwen_image_fp8_e4m3fn.safetensors', st(() => B.fp8(K.qwenImageUnet())), 'unet/qwen_image', { size: 20.4 * GB });
add('diffusion_models/qwen_image_edit_2509_fp8_e4m3fn.safetensors', st(() => B.fp8(K.qwenImageUnet())), 'unet/qwen_image', { size: 20.4 * GB });
add('unet/qwen-image-Q4_K_M.gguf', gguf(() => K.ggufQuantised(K.qwenImageUnet()), K.ggufUnetMetadata('qwen_image')), 'unet/qwen_image', { size: 13.1 * GB });
add('diffusion_models/hidream_i1_full_fp8.safetensors', st(() => B.fp8(K.hidreamUnet())), 'unet/hidream', { size: 17.2 * GB });
add('diffusion_models/stable_cascade_stage_c.safetensors', st(() => K.stableCascadeStageC()), 'unet/stable_cascade/stage_c', { size: 14.4 * GB });
add('diffusion_models/stable_cascade_stage_b.safetensors', st(() => B.stableCascadeStageB()), 'unet/stable_cascade/stage_b', { size: 6.25 * GB });
add('checkpoints/sd3_medium_incl_clips_t5xxlfp8.safetensors', st(() => K.sd3Checkpoint()), 'checkpoint/sd3/3-medium', { size: 10.9 * GB });
add('checkpoints/sd3_medium.safetensors', st(() => B.sd3WithVae('3-medium')), 'checkpoint/sd3/3-medium', { size: 4.34 * GB });
add('checkpoints/sd3.5_large.safetensors', st(() => B.sd3WithVae('3.5-large')), 'checkpoint/sd3/3.5-large', { size: 16.5 * GB, cv: 'Checkpoint|SD 3.5 Large' });
add('checkpoints/sd3.5_large_turbo.safetensors', st(() => B.sd3WithVae('3.5-large')), 'checkpoint/sd3/3.5-large', { size: 16.5 * GB, cv: 'Checkpoint|SD 3.5 Large Turbo' });
add('checkpoints/sd3.5_medium.safetensors', st(() => B.sd3WithVae('3.5-medium')), 'checkpoint/sd3/3.5-medium', { size: 5.11 * GB, cv: 'Checkpoint|SD 3.5 Medium' });
add('diffusion_models/flux_large_v2.safetensors', st(() => K.prefixed('model.diffusion_model.', K.sd3Unet({ size: '3.5-large' }))), 'unet/sd3/3.5-large', { ...M, size: 16.3 * GB });
add('diffusion_models/cosmos_predict2_2B_t2i.safetensors', st(() => K.cosmosUnet()), 'unet/cosmos/predict2', { size: 3.9 * GB });

// =============================================================================================
// Video models

add('diffusion_models/wan2.1_t2v_14B_bf16.safetensors', st(() => K.wanUnet()), 'unet/wan/t2v-14b', { size: 28.6 * GB });
add('diffusion_models/wan2.1_t2v_1.3B_fp16.safetensors', st(() => K.wanUnet({ size: '1.3b' })), 'unet/wan/t2v-1.3b', { size: 2.84 * GB });
add('diffusion_models/wan2.1_i2v_720p_14B_fp8_e4m3fn.safetensors', st(() => B.fp8(K.wanUnet({ mode: 'i2v' }))), 'unet/wan/i2v-14b', { size: 16.4 * GB });
add('diffusion_models/wan2.1_i2v_480p_14B_bf16.safetensors', st(() => K.wanUnet({ mode: 'i2v' })), 'unet/wan/i2v-14b', { size: 32.8 * GB });
add('diffusion_models/wan2.1_flf2v_720p_14B_fp16.safetensors', st(() => B.wanFlf2v()), 'unet/wan/flf2v-14b', { size: 32.8 * GB });
add('diffusion_models/wan2.2_ti2v_5B_fp16.safetensors', st(() => K.wanUnet({ size: '5b' })), 'unet/wan/ti2v-5b', { size: 10 * GB });
add('diffusion_models/Wan2_2-T2V-A14B-LOW_fp8_e4m3fn_scaled_KJ.safetensors', st(() => B.fp8Scaled(K.wanUnet({ wan22: true }))), 'unet/wan/t2v-14b-low_noise', { size: 15 * GB });
add('diffusion_models/Wan2_2-I2V-A14B-HIGH_fp8_e4m3fn_scaled_KJ.safetensors', st(() => B.fp8Scaled(K.wanUnet({ mode: 'i2v', wan22: true }))), 'unet/wan/i2v-14b-high_noise', { size: 15 * GB });
add('diffusion_models/wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors', st(() => B.fp8Scaled(K.wanUnet({ wan22: true }))), 'unet/wan/t2v-14b-high_noise', { size: 14.3 * GB });
add('diffusion_models/wan2.2_i2v_low_noise_14B_fp16.safetensors', st(() => K.wanUnet({ mode: 'i2v', wan22: true })), 'unet/wan/i2v-14b-low_noise', { size: 28.6 * GB });
add('unet/wan2.1-i2v-14b-480p-Q4_K_M.gguf', gguf(() => K.ggufQuantised(K.wanUnet({ mode: 'i2v' })), K.ggufUnetMetadata('wan')), 'unet/wan/i2v-14b', { size: 11.3 * GB });
add('unet/Wan2.2-T2V-A14B-HighNoise-Q4_K_M.gguf', gguf(() => K.ggufQuantised(K.wanUnet({ wan22: true })), K.ggufUnetMetadata('wan')), 'unet/wan/t2v-14b-high_noise', { size: 9.65 * GB });
add('unet/Wan2.2-TI2V-5B-Q8_0.gguf', gguf(() => K.ggufQuantised(K.wanUnet({ size: '5b' }), 'Q8_0'), K.ggufUnetMetadata('wan')), 'unet/wan/ti2v-5b', { size: 5.4 * GB });
add('diffusion_models/hunyuan_video_t2v_720p_bf16.safetensors', st(() => K.hunyuanVideoUnet()), 'unet/hunyuan_video/t2v', { size: 25.6 * GB });
add('diffusion_models/hunyuan_video_image_to_video_720p_bf16.safetensors', st(() => K.hunyuanVideoUnet({ i2v: true })), 'unet/hunyuan_video/i2v', { size: 25.6 * GB });
add('diffusion_models/hunyuan_video_720_cfgdistill_fp8_e4m3fn.safetensors', st(() => B.fp8(K.hunyuanVideoUnet())), 'unet/hunyuan_video/t2v', { size: 13.2 * GB });
add('unet/hunyuan-video-t2v-720p-Q4_K_M.gguf', gguf(() => K.ggufQuantised(K.hunyuanVideoUnet()), K.ggufUnetMetadata('hyvid')), 'unet/hunyuan_video/t2v', { size: 7.9 * GB });
add('checkpoints/ltx-video-2b-v0.9.5.safetensors', st(() => B.ltxvWithVae('2b'), ltxvConfig(28)), 'checkpoint/ltxv/2b', { size: 6.34 * GB, cv: 'Checkpoint|LTXV' });
add('checkpoints/ltxv-13b-0.9.7-dev.safetensors', st(() => B.ltxvWithVae('13b'), ltxvConfig(48)), 'checkpoint/ltxv/13b', { size: 28.6 * GB });
add('diffusion_models/mochi_preview_bf16.safetensors', st(() => K.mochiUnet()), 'unet/mochi', { size: 20.1 * GB });
add('diffusion_models/cogvideox_5b_bf16.safetensors', st(() => K.cogvideoxUnet({ size: '5b' })), 'unet/cogvideox/5b', { size: 11.1 * GB });
add('diffusion_models/cogvideox_2b_fp16.safetensors', st(() => K.cogvideoxUnet()), 'unet/cogvideox/2b', { size: 3.4 * GB });
add('checkpoints/svd_xt.safetensors', st(() => B.svdCheckpoint()), 'checkpoint/svd', { size: 9.56 * GB });
add('checkpoints/svd.safetensors', st(() => B.svdCheckpoint()), 'checkpoint/svd', { size: 9.56 * GB });

// =============================================================================================
// VAEs

add('vae/vae-ft-mse-840000-ema-pruned.safetensors', st(() => K.sdVae()), 'vae/sd15', { size: 334643268, cv: 'VAE|SD 1.5' });
add('vae/vae-ft-mse-840000-ema-pruned.ckpt', zip(() => ({ global_step: 840001, state_dict: B.stateDict(K.sdVae()) })), 'vae/sd15', { size: 334695179 });
add('vae/orangemix.vae.pt', zip(() => ({ state_dict: B.stateDict(K.sdVae()) })), 'vae/sd15', { size: 822.8 * MB, cv: 'VAE|SD 1.5' });
add('vae/sdxl_vae.safetensors', st(() => K.sdVae()), 'vae/sdxl', { size: 334641164, cv: 'VAE|SDXL 1.0' });
add('vae/sdxl.vae.safetensors', st(() => K.sdVae()), 'vae/sdxl', { size: 334641164 });
add('hf/sdxl-vae-fp16-fix/vae/diffusion_pytorch_model.safetensors', st(() => B.diffusersVae(), { format: 'pt' }), 'vae/sdxl', {
  ...N,
  size: 167.3 * MB,
  undecidable: 'SD1.5 and SDXL VAEs share every key and shape; a neutral name leaves only the sd15 fallback',
});
add('downloads/download (7).safetensors', st(() => K.sdVae()), 'vae/sdxl', {
  ...N,
  size: 334641164,
  cv: 'VAE|SDXL 1.0',
  undecidable: 'SD1.5 and SDXL VAEs share every key and shape; a neutral name leaves only the sd15 fallback',
});
add('vae/lora_vae.safetensors', st(() => K.sdVae()), 'vae/sd15', { ...M, size: 334.6 * MB });
add('vae/ae.safetensors', st(() => K.fluxVae()), 'vae/flux', { size: 335304388 });
add('vae/ae.sft', st(() => K.fluxVae()), 'vae/flux', { size: 335304388 });
add('vae/wan_2.1_vae.safetensors', st(() => K.wanVae('2.1')), 'vae/wan/2.1', { size: 254 * MB });
add('vae/wan2.2_vae.safetensors', st(() => K.wanVae('2.2')), 'vae/wan/2.2', { size: 1.41 * GB });
add('vae/hunyuan_video_vae_bf16.safetensors', st(() => K.hunyuanVideoVae()), 'vae/hunyuan_video', { size: 493 * MB });
add('hf/LTX-Video/vae/diffusion_pytorch_model.safetensors', st(() => K.ltxvVae(), { format: 'pt' }), 'vae/ltxv', { ...N, size: 1.87 * GB });
add('hf/CogVideoX-5b/vae/diffusion_pytorch_model.safetensors', st(() => K.cogvideoxVae(), { format: 'pt' }), 'vae/cogvideox', { ...N, size: 862 * MB });
add('vae/mochi_preview_vae_bf16.safetensors', st(() => K.mochiVae()), 'vae/mochi', { size: 725 * MB });

// =============================================================================================
// Text encoders

add('text_encoders/clip_l.safetensors', st(() => K.clipL()), 'text_encoder/unknown/clip_l', { size: 246144152 });
add('text_encoders/clip_g.safetensors', st(() => K.clipG()), 'text_encoder/unknown/clip_g', { size: 1389382176 });
add('text_encoders/t5xxl_fp16.safetensors', st(() => K.t5xxl()), 'text_encoder/unknown/t5xxl', { size: 9787841024 });
add('text_encoders/t5xxl_fp8_e4m3fn.safetensors', st(() => K.t5xxl('F8_E4M3')), 'text_encoder/unknown/t5xxl', { size: 4893934904 });
add('text_encoders/t5xxl_fp8_e4m3fn_scaled.safetensors', st(() => B.fp8Scaled(K.t5xxl())), 'text_encoder/unknown/t5xxl', { size: 5157348688 });
add('text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors', st(() => B.fp8Scaled(K.umt5xxl())), 'text_encoder/wan/umt5xxl', { size: 6735906897 });
add('text_encoders/umt5-xxl-enc-bf16.safetensors', st(() => K.umt5xxl()), 'text_encoder/wan/umt5xxl', { size: 11.4 * GB });
add('text_encoders/llava_llama3_fp8_scaled.safetensors', st(() => B.fp8Scaled(K.llamaTextEncoder())), 'text_encoder/hunyuan_video/llama', { size: 9.09 * GB });
add('text_encoders/llava_llama3_fp16.safetensors', st(() => K.llamaTextEncoder()), 'text_encoder/hunyuan_video/llama', { size: 16.1 * GB });
add('text_encoders/qwen_2.5_vl_7b_fp8_scaled.safetensors', st(() => B.fp8Scaled(K.qwen25vl7b())), 'text_encoder/qwen_image/qwen2.5_vl_7b', { size: 9.38 * GB });
add('hf/stable-diffusion-v1-5/text_encoder/model.safetensors', st(() => K.clipL().map((t) => ({ ...t, dtype: 'F32' })), { format: 'pt' }), 'text_encoder/unknown/clip_l', { ...N, size: 492 * MB });
add('hf/stable-diffusion-xl-base-1.0/text_encoder_2/model.safetensors', st(() => K.clipG(), { format: 'pt' }), 'text_encoder/unknown/clip_g', { ...N, size: 1.39 * GB });
add('hf/PixArt-Sigma/text_encoder/pytorch_model.bin', zip(sdict(() => K.t5xxl())), 'text_encoder/unknown/t5xxl', { ...N, size: 9.52 * GB });
add('text_encoders/t5-v1_1-xxl-encoder-Q8_0.gguf', gguf(() => K.ggufT5Encoder(), { 'general.architecture': 't5encoder', 'general.name': 't5-v1_1-xxl-encoder', 'general.file_type': 7 }), 'text_encoder/unknown/t5xxl', { size: 5.06 * GB });
add('text_encoders/umt5-xxl-encoder-Q5_K_M.gguf', gguf(() => K.ggufT5Encoder({ umt5: true, quant: 'Q5_K' }), { 'general.architecture': 't5encoder', 'general.name': 'umt5-xxl-encoder', 'general.file_type': 17 }), 'text_encoder/wan/umt5xxl', { size: 4.15 * GB });
add('text_encoders/ViT-L-14-TEXT-detail-improved-hiT-GmP-TE-only-HF.safetensors', st(() => K.clipL()), 'text_encoder/unknown/clip_l', { size: 246 * MB });
add('misc/clip_g.safetensors', st(() => K.clipL()), 'text_encoder/unknown/clip_l', { ...M, size: 246144152 });

// =============================================================================================
// CLIP vision

add('clip_vision/clip_vision_h.safetensors', st(() => K.clipVisionH()), 'clip_vision/unknown/vit_h', { size: 1264219396 });
add('clip_vision/CLIP-ViT-bigG-14-laion2B-39B-b160k.safetensors', st(() => K.clipVisionG()), 'clip_vision/unknown/vit_g', { size: 3.69 * GB });
add('clip_vision/clip_vision_g.safetensors', st(() => K.clipVisionG()), 'clip_vision/unknown/vit_g', { size: 3.69 * GB });
add('clip_vision/sigclip_vision_patch14_384.safetensors', st(() => K.siglipVision()), 'clip_vision/unknown/siglip', { size: 857 * MB });
add('hf/IP-Adapter/models/image_encoder/model.safetensors', st(() => K.clipVisionH().map((t) => ({ ...t, dtype: 'F32' })), { format: 'pt' }), 'clip_vision/unknown/vit_h', { ...N, size: 2.53 * GB });

// =============================================================================================
// ControlNets, T2I-Adapters, Control-LoRAs

add('controlnet/control_v11p_sd15_canny.pth', zip(sdict(() => K.controlnetSd15())), 'controlnet/sd15', { size: 1.45 * GB });
add('controlnet/control_v11f1p_sd15_depth_fp16.safetensors', st(() => B.unprefixed('control_model.', K.controlnetSd15())), 'controlnet/sd15', { size: 723 * MB });
add('hf/controlnet-union-sdxl-1.0/diffusion_pytorch_model_promax.safetensors', st(() => K.controlnetSdxlDiffusers({ union: true })), 'controlnet/sdxl/union', { ...N, size: 2.51 * GB });
add('hf/controlnet-canny-sdxl-1.0/diffusion_pytorch_model.fp16.safetensors', st(() => K.controlnetSdxlDiffusers()), 'controlnet/sdxl', { ...N, size: 2.5 * GB });
add('controlnet/controlnet-union-sdxl-1.0.safetensors', st(() => K.controlnetSdxlDiffusers({ union: true })), 'controlnet/sdxl/union', { size: 2.5 * GB });
add('controlnet/controlnet_sd15_canny.safetensors', st(() => K.controlnetSdxlDiffusers()), 'controlnet/sdxl', { ...M, size: 2.5 * GB });
add('controlnet/controlnet_xl_depth.safetensors', st(() => B.unprefixed('control_model.', K.controlnetSd15())), 'controlnet/sd15', { ...M, size: 723 * MB });
add('controlnet/flux-canny-controlnet-v3.safetensors', st(() => K.fluxControlnetXlabs()), 'controlnet/flux/xlabs', { size: 1.49 * GB });
add('controlnet/FLUX.1-dev-ControlNet-Union-Pro-2.0.safetensors', st(() => K.fluxControlnetInstantX({ union: true })), 'controlnet/flux/union', { size: 4.28 * GB, cv: 'Controlnet|Flux.1 D' });
add('controlnet/instantx_flux_canny.safetensors', st(() => K.fluxControlnetInstantX()), 'controlnet/flux/instantx', { size: 3.58 * GB });
add('controlnet/control-lora-canny-rank128.safetensors', st(() => K.controlLoraSdxl(128)), 'controlnet/sdxl/control_lora', { size: 396 * MB });
add('controlnet/control-lora-depth-rank256.safetensors', st(() => K.controlLoraSdxl(256)), 'controlnet/sdxl/control_lora', { size: 774 * MB });
add('controlnet/t2iadapter_canny_sd15v2.pth', zip(sdict(() => K.t2iAdapter('sd15'))), 'controlnet/sd15/t2i_adapter', { size: 308 * MB });
add('hf/t2i-adapter-lineart-sdxl-1.0/diffusion_pytorch_model.safetensors', st(() => K.t2iAdapter('sdxl')), 'controlnet/sdxl/t2i_adapter', { ...N, size: 316 * MB });

// =============================================================================================
// IP-Adapters

add('ipadapter/ip-adapter_sd15.safetensors', st(() => K.ipAdapter('sd15')), 'ipadapter/sd15', { size: 44.6 * MB });
add('ipadapter/ip-adapter-plus_sd15.safetensors', st(() => K.ipAdapter('sd15', { plus: true })), 'ipadapter/sd15/plus', { size: 98.2 * MB });
add('ipadapter/ip-adapter_sdxl_vit-h.safetensors', st(() => K.ipAdapter('sdxl')), 'ipadapter/sdxl', { size: 698 * MB });
add('ipadapter/ip-adapter-plus_sdxl_vit-h.safetensors', st(() => K.ipAdapter('sdxl', { plus: true })), 'ipadapter/sdxl/plus', { size: 848 * MB });
add('ipadapter/ip-adapter-faceid_sdxl.bin', zip(() => B.nestedByFirstSegment(K.ipAdapter('sdxl', { faceid: true }))), 'ipadapter/sdxl/faceid', { size: 1.07 * GB });
add('ipadapter/ip-adapter-faceid_sd15.bin', zip(() => B.nestedByFirstSegment(K.ipAdapter('sd15', { faceid: true }))), 'ipadapter/sd15/faceid', { size: 96.1 * MB });
add('ipadapter/ip-adapter-plus_sd15.bin', zip(() => B.nestedByFirstSegment(K.ipAdapter('sd15', { plus: true }))), 'ipadapter/sd15/plus', { size: 98.2 * MB });
add('ipadapter/ip-adapter-plus_sd15_copy.safetensors', st(() => K.ipAdapter('sdxl', { plus: true })), 'ipadapter/sdxl/plus', { ...M, size: 848 * MB });
add('ipadapter/ip-adapter_sdxl.safetensors', st(() => K.ipAdapter('sd15')), 'ipadapter/sd15', { ...M, size: 44.6 * MB });

// =============================================================================================
// Upscalers and face restoration

add('upscale_models/4x-UltraSharp.pth', zip(sdict(() => K.esrgan())), 'upscaler/unknown/esrgan', { size: 66961958, cv: 'Upscaler|Upscaler' });
add('upscale_models/RealESRGAN_x4plus.pth', zip(() => ({ params_ema: B.stateDict(B.unprefixed('params_ema.', K.realesrganRrdb())) })), 'upscaler/unknown/esrgan', { size: 67040989 });
add('upscale_models/realesr-general-x4v3.pth', zip(() => ({ params: B.stateDict(B.unprefixed('params.', K.realesrganCompact())) })), 'upscaler/unknown/compact', { size: 4.88 * MB });
add('upscale_models/001_classicalSR_DF2K_s64w8_SwinIR-M_x4.pth', zip(() => ({ params: B.stateDict(B.unprefixed('params.', K.swinir())) })), 'upscaler/unknown/swinir', { size: 67.6 * MB });
add('upscale_models/4xNomos8kDAT.pth', zip(() => ({ params: B.stateDict(K.dat()) })), 'upscaler/unknown/dat', { size: 154 * MB });
add('upscale_models/HAT-L_SRx4_ImageNet-pretrain.pth', zip(() => ({ params_ema: B.stateDict(K.hat()) })), 'upscaler/unknown/hat', { size: 163 * MB });
add('upscale_models/RRDB_ESRGAN_x4.pth', legacy(sdict(() => B.esrganRrdbTrunk())), 'upscaler/unknown/esrgan', { size: 66.9 * MB });
add('upscale_models/4x_foolhardy_Remacri.pth', legacy(sdict(() => K.esrgan())), 'upscaler/unknown/esrgan', { size: 66.9 * MB, cv: 'Upscaler|Other' });
add('experiments/train_RealESRGANx4/models/net_g_latest.pth', zip(() => ({ params_ema: B.stateDict(B.unprefixed('params_ema.', K.realesrganRrdb())) })), 'upscaler/unknown/esrgan', { ...N, size: 67 * MB });
add('downloads/download (1).pth', zip(sdict(() => K.esrgan())), 'upscaler/unknown/esrgan', { ...N, size: 67 * MB });
add('upscale_models/1x-ITF-SkinDiffDetail-Lite-v1.pth', zip(() => ({ params: B.stateDict(B.unprefixed('params.', K.realesrganCompact())) })), 'upscaler/unknown/compact', { size: 4.8 * MB, cv: 'Upscaler|Upscaler' });
// An upscaler belongs to no family (model_types: generic), so the name's "Flux" names no base.
add('upscale_models/4x_FluxUpscaler_v1.pth', zip(sdict(() => K.esrgan())), 'upscaler/unknown/esrgan', { ...M, size: 67 * MB });
add('facerestore_models/GFPGANv1.4.pth', zip(() => ({ params_ema: B.stateDict(K.gfpgan()) })), 'other/unknown/gfpgan', { size: 348.6 * MB });

// =============================================================================================
// Embeddings, hypernetworks, motion modules

add('embeddings/easynegative.safetensors', st(() => K.embeddingKohya(8)), 'embedding/sd15', { cv: 'TextualInversion|SD 1.5' });
add('embeddings/badhandv4.pt', zip(() => B.a1111Embedding(6, 768, 'badhandv4')), 'embedding/sd15', { cv: 'TextualInversion|SD 1.5' });
add('embeddings/ng_deepnegative_v1_75t.pt', zip(() => B.a1111Embedding(75, 768, 'ng_deepnegative_v1_75t')), 'embedding/sd15', { cv: 'TextualInversion|SD 1.5' });
add('embeddings/negativeXL_D.safetensors', st(() => K.embeddingSdxl(8)), 'embedding/sdxl', { cv: 'TextualInversion|SDXL 1.0' });
add('embeddings/zPDXL3.safetensors', st(() => K.embeddingSdxl(4)), 'embedding/pony', { cv: 'TextualInversion|Pony' });
add('embeddings/lazyneg_ilxl.safetensors', st(() => K.embeddingSdxl(4)), 'embedding/illustrious', { cv: 'TextualInversion|Illustrious' });
add('embeddings/lazypos.safetensors', st(() => K.embeddingSdxl(6)), 'embedding/sdxl', { ...N, cv: 'TextualInversion|Pony', onlineBase: 'pony' });
add('embeddings/nfixer.pt', zip(() => B.a1111Embedding(8, 1024, 'nfixer', 'v2-1_768-ema-pruned')), 'embedding/sd2', { cv: 'TextualInversion|SD 2.1' });
add('hf/textual_inversion_cat/learned_embeds.bin', zip(() => ({ '<cat-toy>': tensor([768], 'F32') })), 'embedding/sd15', { ...N });
add('embeddings/negativeXL_v2.safetensors', st(() => K.embeddingKohya(8)), 'embedding/sd15', { ...M, cv: 'TextualInversion|SD 1.5' });
add('embeddings/sd15_negative.safetensors', st(() => K.embeddingSdxl(8)), 'embedding/sdxl', { ...M, cv: 'TextualInversion|SDXL 1.0' });
add('embeddings/pony_negative_v1.pt', zip(() => B.a1111Embedding(8, 768, 'pony_negative_v1')), 'embedding/sd15', { ...M });
add('hypernetworks/anime_3.pt', zip(() => B.a1111Hypernetwork('sd15', 'anime_3')), 'hypernetwork/sd15', { cv: 'Hypernetwork|SD 1.5' });
add('hypernetworks/incaseStyle_v2768.pt', zip(() => B.a1111Hypernetwork('sd2', 'incaseStyle')), 'hypernetwork/sd2', { cv: 'Hypernetwork|SD 2.1' });
add('downloads/download (2).pt', zip(() => B.a1111Hypernetwork('sd15', 'style_5000')), 'hypernetwork/sd15', { ...N });
add('hypernetworks/lora_style_hn.pt', zip(() => B.a1111Hypernetwork('sd15', 'lora_style')), 'hypernetwork/sd15', { ...M });
add('animatediff_models/mm_sd_v15_v2.ckpt', zip(sdict(() => K.motionModule('sd15', { v2: true }))), 'motion_module/sd15/v2', { size: 1.82 * GB });
add('animatediff_models/mm_sdxl_v10_beta.ckpt', zip(sdict(() => K.motionModule('sdxl'))), 'motion_module/sdxl/v1', { size: 950 * MB });
add('animatediff_models/v3_sd15_mm.ckpt', zip(sdict(() => K.motionModule('sd15', { v2: true }))), 'motion_module/sd15', { size: 837 * MB });
add('animatediff_models/animatediffMotion_v15V2.safetensors', st(() => K.motionModule('sd15', { v2: true })), 'motion_module/sd15/v2', { size: 909 * MB, cv: 'MotionModule|SD 1.5' });
add('animatediff_models/sdxl_motion_v2.ckpt', zip(sdict(() => K.motionModule('sd15', { v2: true }))), 'motion_module/sd15/v2', { ...M, size: 1.82 * GB });

// =============================================================================================
// LoRA family: algorithms × bases × layouts

// SD 1.5
add('loras/add_detail.safetensors', st(() => K.kohyaLora({ base: 'sd15', te: true, rank: 16 }), kohya({ base: 'sd15', modelName: 'v1-5-pruned-emaonly.safetensors' })), 'lora/sd15/lora', { cv: 'LORA|SD 1.5' });
add('loras/epiNoiseoffset_v2.safetensors', st(() => K.kohyaLora({ base: 'sd15', te: true, rank: 32 })), 'lora/sd15/lora', { cv: 'LORA|SD 1.5' });
add('loras/more_details.safetensors', st(() => K.kohyaLora({ base: 'sd15', algo: 'locon', rank: 8 }), kohya({ base: 'sd15', algo: 'locon', rank: 8 })), 'lora/sd15/locon', { cv: 'LoCon|SD 1.5' });
add('loras/LowRA.safetensors', st(() => K.kohyaLora({ base: 'sd15', algo: 'loha', rank: 8 })), 'lora/sd15/loha', { cv: 'LoCon|SD 1.5' });
add('loras/detail_slider_lokr.safetensors', st(() => K.kohyaLora({ base: 'sd15', algo: 'lokr', rank: 8 }), kohya({ base: 'sd15', algo: 'lokr' })), 'lora/sd15/lokr', { cv: 'LoCon|SD 1.5' });
add('loras/dora_face_sd15.safetensors', st(() => K.kohyaLora({ base: 'sd15', algo: 'dora', rank: 16 }), kohya({ base: 'sd15', algo: 'dora' })), 'lora/sd15/dora', { cv: 'DoRA|SD 1.5' });
add('hf/sd15-lora-dreambooth/pytorch_lora_weights.safetensors', st(() => K.peftLora({ base: 'sd15', te: true, rank: 4 })), 'lora/sd15/lora', { ...N });
add('hf/sd15-lora-old/pytorch_lora_weights.bin', zip(sdict(() => B.attnProcsLoraSd15(4))), 'lora/sd15/lora', { ...N });
add('loras/flux_realism.safetensors', st(() => B.unetOnly(K.kohyaLora({ base: 'sd15', rank: 32 }))), 'lora/sd15/lora', { ...M, cv: 'LORA|SD 1.5' });
add('output/last-000010.safetensors', st(() => K.kohyaLora({ base: 'sd15', te: true }), kohya({ base: 'sd15', modelName: 'dreamshaper_8.safetensors' })), 'lora/sd15/lora', { ...N });
add('loras/char_pivotal.safetensors', st(() => B.withBundledEmbedding(K.kohyaLora({ base: 'sd15', te: true }), 'ohwx')), 'lora/sd15/lora', { cv: 'LORA|SD 1.5' });
add('loras/lcm-lora-sdv1-5.safetensors', st(() => B.unetOnly(K.kohyaLora({ base: 'sd15', rank: 64 }))), 'lora/sd15/lora', {});
add('loras/te_only_style.safetensors', st(() => K.kohyaLora({ base: 'sd15', te: true }).filter((t) => t.name.startsWith('lora_te_')), kohya({ base: 'sd15' })), 'lora/sd15/lora', { cv: 'LORA|SD 1.5' });
add('loras/loha_style.safetensors', st(() => K.kohyaLora({ base: 'sd15', algo: 'locon', rank: 16 })), 'lora/sd15/locon', { ...M, cv: 'LoCon|SD 1.5' });

// SD 2.x
add('loras/sd21_watercolor.safetensors', st(() => K.kohyaLora({ base: 'sd2', te: true }), kohya({ base: 'sd2', modelName: 'v2-1_768-ema-pruned.safetensors' })), 'lora/sd2/lora', { cv: 'LORA|SD 2.1' });
add('output/my_style-000010.safetensors', st(() => K.kohyaLora({ base: 'sd2' })), 'lora/sd2/lora', { ...N });

// SDXL
add('loras/Hyper-SDXL-8steps-lora.safetensors', st(() => K.kohyaLora({ base: 'sdxl', rank: 64 })), 'lora/sdxl/lora', {});
add('loras/sdxl_lightning_4step_lora.safetensors', st(() => K.kohyaLora({ base: 'sdxl', rank: 64 })), 'lora/sdxl/lora', {});
add('loras/xl_more_art-full_v1.safetensors', st(() => K.kohyaLora({ base: 'sdxl', te: true }), kohya({ base: 'sdxl', modelName: 'sd_xl_base_1.0.safetensors' })), 'lora/sdxl/lora', { cv: 'LORA|SDXL 1.0' });
add('output/ohwx_man-000006.safetensors', st(() => K.kohyaLora({ base: 'sdxl', te: true }), kohya({ base: 'sdxl', modelName: '/content/pretrained_model/animagine-xl-3.1.safetensors' })), 'lora/sdxl/lora', { ...N });
add('loras/sd15_detail.safetensors', st(() => K.kohyaLora({ base: 'sdxl', rank: 32 })), 'lora/sdxl/lora', { ...M, cv: 'LORA|SDXL 1.0' });
add('loras/SDXL_locon_papercut.safetensors', st(() => K.kohyaLora({ base: 'sdxl', algo: 'locon', rank: 16 }), kohya({ base: 'sdxl', algo: 'locon', modelName: 'sd_xl_base_1.0.safetensors' })), 'lora/sdxl/locon', { cv: 'LoCon|SDXL 1.0' });
add('loras/style_vae_fix.safetensors', st(() => K.kohyaLora({ base: 'sdxl', algo: 'loha', rank: 8 })), 'lora/sdxl/loha', { ...M, cv: 'LoCon|SDXL 1.0' });
add('loras/lokr_concept_xl.safetensors', st(() => K.kohyaLora({ base: 'sdxl', algo: 'lokr', rank: 8 })), 'lora/sdxl/lokr', { cv: 'LoCon|SDXL 1.0' });
add('loras/add-detail-xl_dora.safetensors', st(() => K.kohyaLora({ base: 'sdxl', algo: 'dora', rank: 16 }), kohya({ base: 'sdxl', algo: 'dora', modelName: 'sd_xl_base_1.0.safetensors' })), 'lora/sdxl/dora', { cv: 'DoRA|SDXL 1.0' });
add('loras/oft_style_xl.safetensors', st(() => B.kohyaOft(K.kohyaLora({ base: 'sdxl' })), { ...kohya({ base: 'sdxl', modelName: 'sd_xl_base_1.0.safetensors' }), ss_network_module: 'networks.oft' }), 'lora/sdxl/oft', { cv: 'LORA|SDXL 1.0' });
add('hf/sdxl-dreambooth-lora/pytorch_lora_weights.safetensors', st(() => K.peftLora({ base: 'sdxl', te: true, rank: 8 })), 'lora/sdxl/lora', { ...N });
add('loras/detail_unet_only.safetensors', st(() => K.kohyaLora({ base: 'sdxl', rank: 16 })), 'lora/sdxl/lora', { ...M, cv: 'LORA|SDXL 1.0' });

// Pony / Illustrious / NoobAI (SDXL-shaped: metadata, names or CivitAI decide)
add('loras/ponyStyle_v2.safetensors', st(() => K.kohyaLora({ base: 'sdxl', te: true }), kohya({ base: 'sdxl', modelName: PONY_CKPT, tags: PONY_TAGS })), 'lora/pony/lora', { cv: 'LORA|Pony' });
add('loras/character_v1.safetensors', st(() => K.kohyaLora({ base: 'sdxl' }), kohya({ base: 'sdxl', modelName: PONY_CKPT, tags: PONY_TAGS })), 'lora/pony/lora', { ...N, cv: 'LORA|Pony' });
add('loras/concept-000008.safetensors', st(() => K.kohyaLora({ base: 'sdxl', rank: 8 })), 'lora/sdxl/lora', { ...N, cv: 'LORA|Pony', onlineBase: 'pony' });
add('loras/outfit_xl_v3.safetensors', st(() => K.kohyaLora({ base: 'sdxl' }), kohya({ base: 'sdxl', modelName: 'model.safetensors', tags: PONY_TAGS })), 'lora/pony/lora', { cv: 'LORA|Pony' });
add('loras/pony_loha_style.safetensors', st(() => K.kohyaLora({ base: 'sdxl', algo: 'loha', rank: 8 })), 'lora/pony/loha', { cv: 'LoCon|Pony' });
add('loras/illustrious_style.safetensors', st(() => K.kohyaLora({ base: 'sdxl' }), kohya({ base: 'sdxl', modelName: PONY_CKPT, tags: PONY_TAGS })), 'lora/pony/lora', { ...M, cv: 'LORA|Pony' });
// The uploader picked "SDXL 1.0" on CivitAI; the trainer's metadata knows better.
add('loras/anime_eyes_xl.safetensors', st(() => K.kohyaLora({ base: 'sdxl' }), kohya({ base: 'sdxl', modelName: PONY_CKPT, tags: PONY_TAGS })), 'lora/pony/lora', { cv: 'LORA|SDXL 1.0' });
add('loras/illustrious_char.safetensors', st(() => K.kohyaLora({ base: 'sdxl' })), 'lora/illustrious/lora', { cv: 'LORA|Illustrious' });
add('loras/ILXL_artstyle_v2.safetensors', st(() => K.kohyaLora({ base: 'sdxl', te: true })), 'lora/illustrious/lora', { cv: 'LORA|Illustrious' });
add('loras/artist_style-000012.safetensors', st(() => K.kohyaLora({ base: 'sdxl' }), kohya({ base: 'sdxl', modelName: 'waiNSFWIllustrious_v110.safetensors' })), 'lora/illustrious/lora', { ...N, cv: 'LORA|Illustrious' });
add('loras/style.safetensors', st(() => K.kohyaLora({ base: 'sdxl' })), 'lora/sdxl/lora', { ...N, cv: 'LORA|Illustrious', onlineBase: 'illustrious' });
add('loras/pony_style.safetensors', st(() => K.kohyaLora({ base: 'sdxl' }), kohya({ base: 'sdxl', modelName: 'illustriousXL_v01.safetensors' })), 'lora/illustrious/lora', { ...M, cv: 'LORA|Illustrious' });
add('loras/noob_vpred_style.safetensors', st(() => K.kohyaLora({ base: 'sdxl' })), 'lora/noobai/lora', { cv: 'LORA|NoobAI' });
add('loras/char_a-000010.safetensors', st(() => K.kohyaLora({ base: 'sdxl' }), kohya({ base: 'sdxl', modelName: 'noobaiXLNAIXL_epsilonPred11Version.safetensors' })), 'lora/noobai/lora', { ...N, cv: 'LORA|NoobAI' });
add('downloads/67890.safetensors', st(() => K.kohyaLora({ base: 'sdxl', rank: 8 })), 'lora/sdxl/lora', { ...N, cv: 'LORA|NoobAI', onlineBase: 'noobai' });

// Flux
add('loras/xl_style.safetensors', st(() => K.kohyaLora({ base: 'flux' })), 'lora/flux/lora', { ...M, cv: 'LORA|Flux.1 D' });
add('loras/aesthetic_flux_v1.safetensors', st(() => K.kohyaLora({ base: 'flux', te: true }), kohya({ base: 'flux', modelName: 'flux1-dev.safetensors' })), 'lora/flux/lora', { cv: 'LORA|Flux.1 D' });
add('hf/flux-RealismLora/lora.safetensors', st(() => B.xlabsFluxLora(16)), 'lora/flux/lora', { ...N, cv: 'LORA|Flux.1 D' });
add('output/my_first_lora_v1.safetensors', st(() => K.peftLora({ base: 'flux' }), aiToolkit('my_first_lora_v1')), 'lora/flux/lora', { ...N });
add('loras/flux_dev_frostinglane_araminta_k.safetensors', st(() => K.comfyNativeLora({ base: 'flux', rank: 16 })), 'lora/flux/lora', { cv: 'LORA|Flux.1 D' });
add('loras/onetrainer_flux_char.safetensors', st(() => B.oneTrainerLora(K.peftLora({ base: 'flux' }))), 'lora/flux/lora', {});
add('hf/flux-lora-peft/adapter_model.safetensors', st(() => B.peftRaw(K.peftLora({ base: 'flux' }))), 'lora/flux/lora', { ...N });
add('loras/flux_double_blocks_only.safetensors', st(() => B.only(K.peftLora({ base: 'flux' }), /^transformer\.transformer_blocks\./)), 'lora/flux/lora', {});
add('loras/flux_lokr_style.safetensors', st(() => B.simpleTunerLokr(K.peftLora({ base: 'flux' }))), 'lora/flux/lokr', { cv: 'LoCon|Flux.1 D' });
add('loras/flux_dora_v1.safetensors', st(() => B.peftDora(K.peftLora({ base: 'flux' }))), 'lora/flux/dora', { cv: 'DoRA|Flux.1 D' });
add('loras/schnell_turbo_lora.safetensors', st(() => K.kohyaLora({ base: 'flux', rank: 8 }), kohya({ base: 'flux', modelName: 'flux1-schnell.safetensors' })), 'lora/flux/lora', { cv: 'LORA|Flux.1 S' });
add('loras/sd3_style_lora.safetensors', st(() => K.kohyaLora({ base: 'flux', rank: 16 })), 'lora/flux/lora', { ...M, cv: 'LORA|Flux.1 D' });
// The uploader picked the wrong base on CivitAI; the layout is Flux.
add('loras/cinematic_v1.safetensors', st(() => K.kohyaLora({ base: 'flux', rank: 16 })), 'lora/flux/lora', { cv: 'LORA|SDXL 1.0' });

// SD3
add('loras/sd3_medium_style.safetensors', st(() => K.kohyaLora({ base: 'sd3' }), kohya({ base: 'sd3' })), 'lora/sd3/lora', { cv: 'LORA|SD 3' });
add('hf/sd35-large-lora/pytorch_lora_weights.safetensors', st(() => B.sd3DiffusersLora({ large: true })), 'lora/sd3/lora', { ...N });
add('loras/flux_style.safetensors', st(() => K.kohyaLora({ base: 'sd3' })), 'lora/sd3/lora', { ...M, cv: 'LORA|SD 3' });

// Wan
add('loras/Wan21_T2V_14B_lightx2v_cfg_step_distill_lora_rank32.safetensors', st(() => K.comfyNativeLora({ base: 'wan', rank: 32 })), 'lora/wan/lora', {});
add('loras/wan_char_e10.safetensors', st(() => K.kohyaLora({ base: 'wan', wanSize: '14b' }), kohya({ base: 'wan' })), 'lora/wan/lora', { cv: 'LORA|Wan Video 14B t2v' });
add('loras/wan_1.3b_style.safetensors', st(() => K.kohyaLora({ base: 'wan', wanSize: '1.3b' })), 'lora/wan/lora', { cv: 'LORA|Wan Video 1.3B t2v' });
add('loras/wan21_i2v_motion.safetensors', st(() => K.comfyNativeLora({ base: 'wan', i2v: true })), 'lora/wan/lora', { cv: 'LORA|Wan Video 14B i2v 480p' });
add('loras/Wan2.1-Fun-14B-InP-MPS.safetensors', st(() => B.wanFunLora(K.kohyaLora({ base: 'wan' }))), 'lora/wan/lora', {});
add('loras/hunyuan_style.safetensors', st(() => K.comfyNativeLora({ base: 'wan', rank: 16 })), 'lora/wan/lora', { ...M, cv: 'LORA|Wan Video 14B t2v' });
add('loras/wan2.2_5b_style.safetensors', st(() => K.kohyaLora({ base: 'wan', wanSize: '5b' })), 'lora/wan/lora', { cv: 'LORA|Wan Video 2.2 TI2V-5B' });
add('loras/Wan2.2-Lightning_T2V-A14B-4steps-lora_HIGH_fp16.safetensors', st(() => K.comfyNativeLora({ base: 'wan', rank: 64 })), 'lora/wan/lora', { cv: 'LORA|Wan Video 2.2 T2V-A14B' });

// HunyuanVideo
add('loras/hunyuan_video_char.safetensors', st(() => K.kohyaLora({ base: 'hunyuan_video' }), kohya({ base: 'hunyuan_video' })), 'lora/hunyuan_video/lora', { cv: 'LORA|Hunyuan Video' });
add('diffusion-pipe/epoch50/adapter_model.safetensors', st(() => K.comfyNativeLora({ base: 'hunyuan_video' })), 'lora/hunyuan_video/lora', { ...N });
add('loras/flux_lora_hv.safetensors', st(() => K.kohyaLora({ base: 'hunyuan_video' })), 'lora/hunyuan_video/lora', { ...M, cv: 'LORA|Hunyuan Video' });

// Qwen-Image, LTXV, AuraFlow
add('loras/qwen_image_lightning_8steps.safetensors', st(() => K.peftLora({ base: 'qwen_image' })), 'lora/qwen_image/lora', {});
add('output/ohwx_woman-000016.safetensors', st(() => K.kohyaLora({ base: 'qwen_image' }), kohya({ base: 'qwen_image' })), 'lora/qwen_image/lora', { ...N, cv: 'LORA|Qwen' });
add('loras/ltxv_2b_detail_lora.safetensors', st(() => K.peftLora({ base: 'ltxv' })), 'lora/ltxv/lora', { cv: 'LORA|LTXV' });
add('loras/wan_motion_lora.safetensors', st(() => K.peftLora({ base: 'ltxv', rank: 32 })), 'lora/ltxv/lora', { ...M, cv: 'LORA|LTXV' });
add('loras/ponyv7_style_lora.safetensors', st(() => K.kohyaLora({ base: 'auraflow' })), 'lora/auraflow/lora', { cv: 'LORA|Pony V7' });

// llama.cpp LoRA adapter
add('llm/Llama-3-8B-lora-adapter-f16.gguf', gguf(() => K.ggufLoraAdapter(16), K.ggufLoraAdapterMetadata('llama')), 'lora/llama/lora', {});

// =============================================================================================
// GGUF language models

add('llm/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', gguf(() => B.ggufLlm(32, 4096), llmKv('llama', 'Meta Llama 3.1 8B Instruct')), 'llm/llama', { size: 4.92 * GB });
add('llm/qwen2.5-7b-instruct-q5_k_m.gguf', gguf(() => B.ggufLlm(28, 3584, 'Q5_K'), llmKv('qwen2', 'Qwen2.5 7B Instruct', 17)), 'llm/qwen2', { size: 5.44 * GB });
add('llm/gemma-3-12b-it-Q4_K_M.gguf', gguf(() => B.ggufLlm(48, 3840), llmKv('gemma3', 'Gemma 3 12b It')), 'llm/gemma3', { size: 7.3 * GB });
add('llm/Qwen3-8B-Q4_K_M.gguf', gguf(() => B.ggufLlm(36, 4096), llmKv('qwen3', 'Qwen3 8B')), 'llm/qwen3', { size: 5.03 * GB });
add('llm/Mistral-7B-Instruct-v0.3.Q4_K_M.gguf', gguf(() => B.ggufLlm(32, 4096), llmKv('llama', 'Mistral 7B Instruct v0.3')), 'llm/llama', { size: 4.37 * GB });
add('llm/Phi-3.5-mini-instruct-Q4_K_M.gguf', gguf(() => B.ggufLlm(32, 3072), llmKv('phi3', 'Phi 3.5 Mini Instruct')), 'llm/phi3', { size: 2.39 * GB });
add('llm/model-q4_k_m.gguf', gguf(() => B.ggufLlm(32, 4096), llmKv('llama', 'model')), 'llm/llama', { ...N, size: 4.92 * GB });
add('llm/flux-prompt-enhancer-Q8_0.gguf', gguf(() => B.ggufLlm(24, 896, 'Q8_0'), llmKv('qwen2', 'Flux Prompt Enhancer', 7)), 'llm/qwen2', { ...M, size: 531 * MB });
