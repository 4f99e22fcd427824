import { describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet, type Classification } from '../../classify/index.js';
import type { ModelFormat } from '../../core/vocabulary.js';
import type { MetadataValue } from '../../formats/types.js';
import * as K from '../fixtures/keysets.js';

const rules = loadRuleSet();
const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };

function classify(fileName: string, tensors: K.FixtureTensor[], metadata: Record<string, MetadataValue> = {}, format: ModelFormat = 'safetensors'): Classification {
  const header = K.headerFrom(tensors, metadata, { fileName, format });
  return classifyModel({ fileName, size: header.size, header }, opts);
}

type Row = [string, () => K.FixtureTensor[], string, string, string | null];

/** One row per family: file name, key set, expected type, base, variant. */
const rows: Row[] = [
  // all-in-one checkpoints
  ['v1-5-pruned-emaonly.safetensors', () => K.sd15Checkpoint(), 'checkpoint', 'sd15', null],
  ['sd-v1-5-inpainting.ckpt', () => K.sd15Checkpoint({ inChannels: 9 }), 'checkpoint', 'sd15', 'inpaint'],
  ['v2-1_768-ema-pruned.safetensors', () => K.sd2Checkpoint(), 'checkpoint', 'sd2', null],
  ['sd_xl_base_1.0.safetensors', () => K.sdxlCheckpoint(), 'checkpoint', 'sdxl', null],
  ['sd_xl_refiner_1.0.safetensors', () => K.sdxlRefiner(), 'checkpoint', 'sdxl', 'refiner'],
  ['juggernaut_inpaint.safetensors', () => K.sdxlCheckpoint({ inChannels: 9 }), 'checkpoint', 'sdxl', 'inpaint'],
  ['model_v10.safetensors', () => K.sdxlCheckpoint({ vPred: true }), 'checkpoint', 'sdxl', 'v_pred'],
  ['flux1-dev-fp8.safetensors', () => K.fluxCheckpointAllInOne(), 'checkpoint', 'flux', 'dev'],
  ['sd3_medium_incl_clips.safetensors', () => K.sd3Checkpoint(), 'checkpoint', 'sd3', '3-medium'],
  ['last.ckpt', () => K.sd15LightningCkpt(), 'checkpoint', 'sd15', null],
  // diffusion models
  ['flux1-dev.safetensors', () => K.fluxUnet(), 'unet', 'flux', 'dev'],
  ['flux1-schnell.safetensors', () => K.fluxUnet({ variant: 'schnell' }), 'unet', 'flux', 'schnell'],
  ['flux1-fill-dev.safetensors', () => K.fluxUnet({ variant: 'fill' }), 'unet', 'flux', 'fill'],
  ['flux2_dev_fp8mixed.safetensors', () => K.flux2Unet(), 'unet', 'flux2', null],
  ['chroma-unlocked-v37.safetensors', () => K.chromaUnet(), 'unet', 'chroma', null],
  ['sd3.5_large.safetensors', () => K.sd3Unet({ size: '3.5-large' }), 'unet', 'sd3', '3.5-large'],
  ['sd3.5_medium.safetensors', () => K.sd3Unet({ size: '3.5-medium' }), 'unet', 'sd3', '3.5-medium'],
  ['auraflow_v0.3.safetensors', () => K.auraflowUnet(), 'unet', 'auraflow', null],
  ['PixArt-Sigma-XL-2-1024-MS.pth', () => K.pixartUnet(), 'unet', 'pixart', 'sigma'],
  ['PixArt-XL-2-1024-MS.pth', () => K.pixartUnet({ alpha: true }), 'unet', 'pixart', 'alpha'],
  ['hunyuan_dit_1.1.safetensors', () => K.hunyuanDitUnet(), 'unet', 'hunyuan_dit', 'v1.1'],
  ['stable_cascade_stage_c.safetensors', () => K.stableCascadeStageC(), 'unet', 'stable_cascade', 'stage_c'],
  ['lumina_2_model_bf16.safetensors', () => K.luminaUnet(), 'unet', 'lumina', 'lumina2'],
  ['z_image_turbo_bf16.safetensors', () => K.luminaUnet({ zImage: true }), 'unet', 'lumina', 'z_image'],
  ['qwen_image_fp8_e4m3fn.safetensors', () => K.qwenImageUnet(), 'unet', 'qwen_image', null],
  ['hidream_i1_dev_bf16.safetensors', () => K.hidreamUnet(), 'unet', 'hidream', null],
  ['cosmos_predict2_2B_t2i.safetensors', () => K.cosmosUnet(), 'unet', 'cosmos', 'predict2'],
  ['svd_xt.safetensors', () => K.svdUnet(), 'unet', 'svd', null],
  ['diffusion_pytorch_model.safetensors', () => K.diffusersUnetSdxl(), 'unet', 'sdxl', null],
  ['unet/diffusion_pytorch_model.fp16.safetensors', () => K.diffusersUnetSd15(), 'unet', 'sd15', null],
  ['sdxl_unet_only.safetensors', () => K.prefixed('model.diffusion_model.', K.sdxlUnet()), 'unet', 'sdxl', null],
  // video
  ['wan2.1_t2v_14B_bf16.safetensors', () => K.wanUnet({ size: '14b', mode: 't2v' }), 'unet', 'wan', 't2v-14b'],
  ['wan2.1_t2v_1.3B_fp16.safetensors', () => K.wanUnet({ size: '1.3b', mode: 't2v' }), 'unet', 'wan', 't2v-1.3b'],
  ['wan2.1_i2v_720p_14B_fp8.safetensors', () => K.wanUnet({ size: '14b', mode: 'i2v' }), 'unet', 'wan', 'i2v-14b'],
  ['wan2.2_i2v_low_noise_14B_fp16.safetensors', () => K.wanUnet({ size: '14b', mode: 'i2v', wan22: true }), 'unet', 'wan', 'i2v-14b-low_noise'],
  ['wan2.2_ti2v_5B_fp16.safetensors', () => K.wanUnet({ size: '5b' }), 'unet', 'wan', 'ti2v-5b'],
  ['hunyuan_video_t2v_720p_bf16.safetensors', () => K.hunyuanVideoUnet(), 'unet', 'hunyuan_video', 't2v'],
  ['hunyuan_video_image_to_video_720p_bf16.safetensors', () => K.hunyuanVideoUnet({ i2v: true }), 'unet', 'hunyuan_video', 'i2v'],
  ['ltx-video-2b-v0.9.5.safetensors', () => K.ltxvUnet(), 'unet', 'ltxv', '2b'],
  ['ltxv-13b-0.9.7-dev.safetensors', () => K.ltxvUnet({ size: '13b' }), 'unet', 'ltxv', '13b'],
  ['mochi_preview_bf16.safetensors', () => K.mochiUnet(), 'unet', 'mochi', null],
  ['cogvideox_5b.safetensors', () => K.cogvideoxUnet({ size: '5b' }), 'unet', 'cogvideox', '5b'],
  // VAEs
  ['vae-ft-mse-840000-ema-pruned.safetensors', () => K.sdVae(), 'vae', 'sd15', null],
  ['sdxl_vae.safetensors', () => K.sdVae(), 'vae', 'sdxl', null],
  ['ae.safetensors', () => K.fluxVae(), 'vae', 'flux', null],
  ['sd3_vae.safetensors', () => K.fluxVae(), 'vae', 'sd3', null],
  ['wan_2.1_vae.safetensors', () => K.wanVae('2.1'), 'vae', 'wan', '2.1'],
  ['wan2.2_vae.safetensors', () => K.wanVae('2.2'), 'vae', 'wan', '2.2'],
  ['hunyuan_video_vae_bf16.safetensors', () => K.hunyuanVideoVae(), 'vae', 'hunyuan_video', null],
  ['ltx_vae.safetensors', () => K.ltxvVae(), 'vae', 'ltxv', null],
  ['cogvideox_vae.safetensors', () => K.cogvideoxVae(), 'vae', 'cogvideox', null],
  ['mochi_vae.safetensors', () => K.mochiVae(), 'vae', 'mochi', null],
  // text and image encoders
  ['clip_l.safetensors', () => K.clipL(), 'text_encoder', 'unknown', 'clip_l'],
  ['clip_g.safetensors', () => K.clipG(), 'text_encoder', 'unknown', 'clip_g'],
  ['open_clip_h.safetensors', () => K.clipH(), 'text_encoder', 'sd2', 'clip_h'],
  ['t5xxl_fp16.safetensors', () => K.t5xxl(), 'text_encoder', 'unknown', 't5xxl'],
  ['umt5_xxl_fp8_e4m3fn_scaled.safetensors', () => K.umt5xxl(), 'text_encoder', 'wan', 'umt5xxl'],
  ['llava_llama3_fp8_scaled.safetensors', () => K.llamaTextEncoder(), 'text_encoder', 'hunyuan_video', 'llama'],
  ['qwen_2.5_vl_7b_fp8_scaled.safetensors', () => K.qwen25vl7b(), 'text_encoder', 'qwen_image', 'qwen2.5_vl_7b'],
  ['clip_vision_h.safetensors', () => K.clipVisionH(), 'clip_vision', 'unknown', 'vit_h'],
  ['CLIP-ViT-bigG-14.safetensors', () => K.clipVisionG(), 'clip_vision', 'unknown', 'vit_g'],
  ['clip-vit-large-patch14-336.safetensors', () => K.clipVisionL(577), 'clip_vision', 'unknown', 'vit_l_336'],
  ['sigclip_vision_patch14_384.safetensors', () => K.siglipVision(), 'clip_vision', 'unknown', 'siglip'],
  // control and adapters
  ['control_v11p_sd15_canny.pth', () => K.controlnetSd15(), 'controlnet', 'sd15', null],
  ['controlnet-canny-sdxl-1.0.safetensors', () => K.controlnetSdxlDiffusers(), 'controlnet', 'sdxl', null],
  ['controlnet-union-sdxl-1.0.safetensors', () => K.controlnetSdxlDiffusers({ union: true }), 'controlnet', 'sdxl', 'union'],
  ['flux-canny-controlnet-v3.safetensors', () => K.fluxControlnetXlabs(), 'controlnet', 'flux', 'xlabs'],
  ['FLUX.1-dev-Controlnet-Union.safetensors', () => K.fluxControlnetInstantX({ union: true }), 'controlnet', 'flux', 'union'],
  ['control-lora-canny-rank128.safetensors', () => K.controlLoraSdxl(), 'controlnet', 'sdxl', 'control_lora'],
  ['t2iadapter_depth_sd15v2.pth', () => K.t2iAdapter('sd15'), 'controlnet', 'sd15', 't2i_adapter'],
  ['t2i-adapter-lineart-sdxl-1.0.safetensors', () => K.t2iAdapter('sdxl'), 'controlnet', 'sdxl', 't2i_adapter'],
  ['ip-adapter_sd15.safetensors', () => K.ipAdapter('sd15'), 'ipadapter', 'sd15', null],
  ['ip-adapter_sdxl.safetensors', () => K.ipAdapter('sdxl'), 'ipadapter', 'sdxl', null],
  ['ip-adapter-plus_sd15.safetensors', () => K.ipAdapter('sd15', { plus: true }), 'ipadapter', 'sd15', 'plus'],
  ['ip-adapter-faceid_sdxl.bin', () => K.ipAdapter('sdxl', { faceid: true }), 'ipadapter', 'sdxl', 'faceid'],
  // upscalers and face restoration
  ['4x-UltraSharp.pth', () => K.esrgan(), 'upscaler', 'unknown', 'esrgan'],
  ['RealESRGAN_x4plus.pth', () => K.realesrganRrdb(), 'upscaler', 'unknown', 'esrgan'],
  ['realesr-general-x4v3.pth', () => K.realesrganCompact(), 'upscaler', 'unknown', 'compact'],
  ['003_realSR_BSRGAN_DFOWMFC_s64w8_SwinIR-L_x4_GAN.pth', () => K.swinir(), 'upscaler', 'unknown', 'swinir'],
  ['4xNomos8kDAT.pth', () => K.dat(), 'upscaler', 'unknown', 'dat'],
  ['HAT-S_SRx4.pth', () => K.hat(), 'upscaler', 'unknown', 'hat'],
  ['GFPGANv1.4.pth', () => K.gfpgan(), 'other', 'unknown', 'gfpgan'],
  // embeddings, hypernetworks, motion modules
  ['easynegative.safetensors', () => K.embeddingSd15(), 'embedding', 'sd15', null],
  ['kohya_emb.safetensors', () => K.embeddingKohya(), 'embedding', 'sd15', null],
  ['sd2_negative.pt', () => K.embeddingSd2(), 'embedding', 'sd2', null],
  ['negativeXL_D.safetensors', () => K.embeddingSdxl(), 'embedding', 'sdxl', null],
  ['anime_3.pt', () => K.hypernetwork('sd15'), 'hypernetwork', 'sd15', null],
  ['style_sd2.pt', () => K.hypernetwork('sd2'), 'hypernetwork', 'sd2', null],
  ['mm_sd_v15_v2.ckpt', () => K.motionModule('sd15', { v2: true }), 'motion_module', 'sd15', 'v2'],
  ['mm_sdxl_v10_beta.ckpt', () => K.motionModule('sdxl'), 'motion_module', 'sdxl', 'v1'],
];

describe('classifyModel: one family per row', () => {
  it.each(rows)('%s', (fileName, make, type, base, variant) => {
    const r = classify(fileName, make());
    expect({ type: r.type, base: r.base, variant: r.variant }).toEqual({ type, base, variant });
    expect(r.confidence).toBeGreaterThanOrEqual(0.5);
  });
});

describe('torch pickles (flattened keys and metadata)', () => {
  it('reads an A1111 embedding with its torch metadata', () => {
    const r = classify('easynegative.pt', K.embeddingSd15(), K.embeddingTorchMetadata(), 'pt');
    expect([r.type, r.base]).toEqual(['embedding', 'sd15']);
    expect(r.evidence.some((e) => e.rule === 'torch-embedding')).toBe(true);
  });

  it('reads a hypernetwork with its settings', () => {
    const r = classify('anime.pt', K.hypernetwork(), K.hypernetworkMetadata(), 'pt');
    expect([r.type, r.base]).toEqual(['hypernetwork', 'sd15']);
    expect(r.evidence.map((e) => e.rule)).toContain('torch-hypernetwork');
  });

  it('names the parts of an all-in-one checkpoint in the evidence', () => {
    const r = classify('sd_xl_base_1.0.safetensors', K.sdxlCheckpoint());
    const tensors = r.evidence.find((e) => e.method === 'tensors');
    expect(tensors?.observed).toContain('first_stage_model. (248 keys: vae-kl)');
    expect(tensors?.observed).toContain('conditioner.embedders.1.model.');
    expect(tensors?.observed).toContain('label_emb.0.0.weight [1280, 2816]');
  });
});
