import { describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet } from '../../classify/index.js';
import type { ModelFormat } from '../../core/vocabulary.js';
import type { MetadataValue } from '../../formats/types.js';
import * as K from '../fixtures/keysets.js';

interface Case {
  file: string;
  make: () => K.FixtureTensor[];
  type: string;
  base: string;
  metadata?: () => Record<string, MetadataValue>;
}

const c = (file: string, make: () => K.FixtureTensor[], type: string, base: string, metadata?: () => Record<string, MetadataValue>): Case => ({ file, make, type, base, ...(metadata === undefined ? {} : { metadata }) });

/**
 * Every key-set generator under realistic names, neutral names and misleading ones (a name that
 * says another family or type). Some cases cannot be decided from the weights (an SDXL VAE with
 * a neutral name); they are here so the numbers stay honest.
 */
const cases: Case[] = [
  c('v1-5-pruned-emaonly.safetensors', () => K.sd15Checkpoint(), 'checkpoint', 'sd15'),
  c('dreamshaper_8.safetensors', () => K.sd15Checkpoint(), 'checkpoint', 'sd15'),
  c('realisticVisionXL_v5.safetensors', () => K.sd15Checkpoint(), 'checkpoint', 'sd15'),
  c('512-inpainting-ema.ckpt', () => K.sd15Checkpoint({ inChannels: 9 }), 'checkpoint', 'sd15'),
  c('v2-1_768-ema-pruned.ckpt', () => K.sd2Checkpoint(), 'checkpoint', 'sd2'),
  c('sd_xl_base_1.0.safetensors', () => K.sdxlCheckpoint(), 'checkpoint', 'sdxl'),
  c('juggernautXL_v9Rundiffusionphoto2.safetensors', () => K.sdxlCheckpoint(), 'checkpoint', 'sdxl'),
  c('ponyDiffusionV6XL_v6StartWithThisOne.safetensors', () => K.sdxlCheckpoint(), 'checkpoint', 'pony'),
  c('illustriousXL_v01.safetensors', () => K.sdxlCheckpoint(), 'checkpoint', 'illustrious'),
  c('noobaiXLNAIXL_vPred10Version.safetensors', () => K.sdxlCheckpoint({ vPred: true }), 'checkpoint', 'noobai'),
  c('model.safetensors', () => K.sdxlCheckpoint(), 'checkpoint', 'sdxl'),
  c('sd15_style_merge.safetensors', () => K.sdxlCheckpoint(), 'checkpoint', 'sdxl'),
  c('sd_xl_refiner_1.0.safetensors', () => K.sdxlRefiner(), 'checkpoint', 'sdxl'),
  c('flux1-dev-fp8.safetensors', () => K.fluxCheckpointAllInOne(), 'checkpoint', 'flux'),
  c('sd3_medium_incl_clips_t5xxlfp8.safetensors', () => K.sd3Checkpoint(), 'checkpoint', 'sd3'),
  c('last.ckpt', () => K.sd15LightningCkpt(), 'checkpoint', 'sd15'),
  c('flux1-dev.safetensors', () => K.fluxUnet(), 'unet', 'flux'),
  c('flux1-schnell.safetensors', () => K.fluxUnet({ variant: 'schnell' }), 'unet', 'flux'),
  c('flux1-fill-dev.safetensors', () => K.fluxUnet({ variant: 'fill' }), 'unet', 'flux'),
  c('sdxl_turbo_unet.safetensors', () => K.fluxUnet(), 'unet', 'flux'),
  c('flux1-dev-Q4_K_S.gguf', () => K.ggufQuantised(K.fluxUnet()), 'unet', 'flux', () => K.ggufUnetMetadata('flux')),
  c('flux2_dev_fp8mixed.safetensors', () => K.flux2Unet(), 'unet', 'flux2'),
  c('chroma-unlocked-v37.safetensors', () => K.chromaUnet(), 'unet', 'chroma'),
  c('sd3.5_large.safetensors', () => K.sd3Unet({ size: '3.5-large' }), 'unet', 'sd3'),
  c('sd3.5_medium.safetensors', () => K.sd3Unet({ size: '3.5-medium' }), 'unet', 'sd3'),
  c('auraflow_v0.3.safetensors', () => K.auraflowUnet(), 'unet', 'auraflow'),
  c('pony_v7_base.safetensors', () => K.auraflowUnet(), 'unet', 'auraflow'),
  c('PixArt-Sigma-XL-2-1024-MS.pth', () => K.pixartUnet(), 'unet', 'pixart'),
  c('hunyuan_dit_1.1.safetensors', () => K.hunyuanDitUnet(), 'unet', 'hunyuan_dit'),
  c('stable_cascade_stage_c.safetensors', () => K.stableCascadeStageC(), 'unet', 'stable_cascade'),
  c('lumina_2_model_bf16.safetensors', () => K.luminaUnet(), 'unet', 'lumina'),
  c('z_image_turbo_bf16.safetensors', () => K.luminaUnet({ zImage: true }), 'unet', 'lumina'),
  c('qwen_image_fp8_e4m3fn.safetensors', () => K.qwenImageUnet(), 'unet', 'qwen_image'),
  c('hidream_i1_dev_bf16.safetensors', () => K.hidreamUnet(), 'unet', 'hidream'),
  c('cosmos_predict2_2B_t2i.safetensors', () => K.cosmosUnet(), 'unet', 'cosmos'),
  c('svd_xt.safetensors', () => K.svdUnet(), 'unet', 'svd'),
  c('diffusion_pytorch_model.safetensors', () => K.diffusersUnetSdxl(), 'unet', 'sdxl'),
  c('diffusion_pytorch_model.fp16.safetensors', () => K.diffusersUnetSd15(), 'unet', 'sd15'),
  c('sdxl_unet.safetensors', () => K.prefixed('model.diffusion_model.', K.sdxlUnet()), 'unet', 'sdxl'),
  c('wan2.1_t2v_14B_bf16.safetensors', () => K.wanUnet({ size: '14b' }), 'unet', 'wan'),
  c('wan2.1_t2v_1.3B_fp16.safetensors', () => K.wanUnet({ size: '1.3b' }), 'unet', 'wan'),
  c('wan2.1_i2v_480p_14B_fp8_e4m3fn.safetensors', () => K.wanUnet({ mode: 'i2v' }), 'unet', 'wan'),
  c('wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors', () => K.wanUnet({ mode: 'i2v', wan22: true }), 'unet', 'wan'),
  c('wan2.2_ti2v_5B_fp16.safetensors', () => K.wanUnet({ size: '5b' }), 'unet', 'wan'),
  c('wan2.1-i2v-14b-480p-Q4_K_M.gguf', () => K.ggufQuantised(K.wanUnet({ mode: 'i2v' })), 'unet', 'wan', () => K.ggufUnetMetadata('wan')),
  c('hunyuan_video_t2v_720p_bf16.safetensors', () => K.hunyuanVideoUnet(), 'unet', 'hunyuan_video'),
  c('flux_video_model.safetensors', () => K.hunyuanVideoUnet({ i2v: true }), 'unet', 'hunyuan_video'),
  c('ltx-video-2b-v0.9.5.safetensors', () => K.ltxvUnet(), 'unet', 'ltxv'),
  c('ltxv-13b-0.9.7-dev.safetensors', () => K.ltxvUnet({ size: '13b' }), 'unet', 'ltxv'),
  c('mochi_preview_bf16.safetensors', () => K.mochiUnet(), 'unet', 'mochi'),
  c('cogvideox_5b.safetensors', () => K.cogvideoxUnet({ size: '5b' }), 'unet', 'cogvideox'),
  c('cogvideox_2b.safetensors', () => K.cogvideoxUnet(), 'unet', 'cogvideox'),
  c('vae-ft-mse-840000-ema-pruned.safetensors', () => K.sdVae(), 'vae', 'sd15'),
  c('sdxl_vae.safetensors', () => K.sdVae(), 'vae', 'sdxl'),
  c('diffusion_pytorch_model.safetensors', () => K.sdVae(), 'vae', 'sdxl'),
  c('ae.safetensors', () => K.fluxVae(), 'vae', 'flux'),
  c('flux_vae.safetensors', () => K.fluxVae(), 'vae', 'flux'),
  c('wan_2.1_vae.safetensors', () => K.wanVae('2.1'), 'vae', 'wan'),
  c('wan2.2_vae.safetensors', () => K.wanVae('2.2'), 'vae', 'wan'),
  c('sdxl_video_vae.safetensors', () => K.hunyuanVideoVae(), 'vae', 'hunyuan_video'),
  c('ltxv_vae.safetensors', () => K.ltxvVae(), 'vae', 'ltxv'),
  c('cogvideox_vae.safetensors', () => K.cogvideoxVae(), 'vae', 'cogvideox'),
  c('mochi_vae.safetensors', () => K.mochiVae(), 'vae', 'mochi'),
  c('clip_l.safetensors', () => K.clipL(), 'text_encoder', 'unknown'),
  c('flux_text_encoder_clip.safetensors', () => K.clipL(), 'text_encoder', 'unknown'),
  c('clip_g.safetensors', () => K.clipG(), 'text_encoder', 'unknown'),
  c('t5xxl_fp16.safetensors', () => K.t5xxl(), 'text_encoder', 'unknown'),
  c('t5xxl_fp8_e4m3fn.safetensors', () => K.t5xxl('F8_E4M3'), 'text_encoder', 'unknown'),
  c('umt5_xxl_fp8_e4m3fn_scaled.safetensors', () => K.umt5xxl(), 'text_encoder', 'wan'),
  c('t5-v1_1-xxl-encoder-Q8_0.gguf', () => K.ggufT5Encoder(), 'text_encoder', 'unknown', () => ({ 'general.architecture': 't5encoder' })),
  c('umt5-xxl-encoder-Q8_0.gguf', () => K.ggufT5Encoder({ umt5: true }), 'text_encoder', 'wan', () => ({ 'general.architecture': 't5encoder' })),
  c('llava_llama3_fp8_scaled.safetensors', () => K.llamaTextEncoder(), 'text_encoder', 'hunyuan_video'),
  c('qwen_2.5_vl_7b_fp8_scaled.safetensors', () => K.qwen25vl7b(), 'text_encoder', 'qwen_image'),
  c('clip_vision_h.safetensors', () => K.clipVisionH(), 'clip_vision', 'unknown'),
  c('model.safetensors', () => K.clipVisionG(), 'clip_vision', 'unknown'),
  c('sigclip_vision_patch14_384.safetensors', () => K.siglipVision(), 'clip_vision', 'unknown'),
  c('control_v11p_sd15_canny.pth', () => K.controlnetSd15(), 'controlnet', 'sd15'),
  c('diffusion_pytorch_model.safetensors', () => K.controlnetSdxlDiffusers(), 'controlnet', 'sdxl'),
  c('controlnet-union-sdxl-1.0.safetensors', () => K.controlnetSdxlDiffusers({ union: true }), 'controlnet', 'sdxl'),
  c('flux-canny-controlnet-v3.safetensors', () => K.fluxControlnetXlabs(), 'controlnet', 'flux'),
  c('FLUX.1-dev-Controlnet-Union.safetensors', () => K.fluxControlnetInstantX({ union: true }), 'controlnet', 'flux'),
  c('control-lora-canny-rank128.safetensors', () => K.controlLoraSdxl(), 'controlnet', 'sdxl'),
  c('t2iadapter_canny_sd15v2.pth', () => K.t2iAdapter('sd15'), 'controlnet', 'sd15'),
  c('t2i-adapter-lineart-sdxl-1.0.safetensors', () => K.t2iAdapter('sdxl'), 'controlnet', 'sdxl'),
  c('ip-adapter_sd15.safetensors', () => K.ipAdapter('sd15'), 'ipadapter', 'sd15'),
  c('ip-adapter_sdxl_vit-h.safetensors', () => K.ipAdapter('sdxl'), 'ipadapter', 'sdxl'),
  c('ip-adapter-plus_sd15.bin', () => K.ipAdapter('sd15', { plus: true }), 'ipadapter', 'sd15'),
  c('ip-adapter-faceid_sdxl.bin', () => K.ipAdapter('sdxl', { faceid: true }), 'ipadapter', 'sdxl'),
  c('4x-UltraSharp.pth', () => K.esrgan(), 'upscaler', 'unknown'),
  c('RealESRGAN_x4plus.pth', () => K.realesrganRrdb(), 'upscaler', 'unknown'),
  c('realesr-general-x4v3.pth', () => K.realesrganCompact(), 'upscaler', 'unknown'),
  c('SwinIR_4x.pth', () => K.swinir(), 'upscaler', 'unknown'),
  c('4xNomos8kDAT.pth', () => K.dat(), 'upscaler', 'unknown'),
  c('HAT-S_SRx4.pth', () => K.hat(), 'upscaler', 'unknown'),
  c('GFPGANv1.4.pth', () => K.gfpgan(), 'other', 'unknown'),
  c('easynegative.safetensors', () => K.embeddingSd15(), 'embedding', 'sd15'),
  c('badhandv4.pt', () => K.embeddingSd15(), 'embedding', 'sd15'),
  c('negativeXL_D.safetensors', () => K.embeddingSdxl(), 'embedding', 'sdxl'),
  c('sd2_neg.pt', () => K.embeddingSd2(), 'embedding', 'sd2'),
  c('kohya_char_emb.safetensors', () => K.embeddingKohya(), 'embedding', 'sd15'),
  c('anime_3.pt', () => K.hypernetwork('sd15'), 'hypernetwork', 'sd15'),
  c('hn_sd2.pt', () => K.hypernetwork('sd2'), 'hypernetwork', 'sd2'),
  c('mm_sd_v15_v2.ckpt', () => K.motionModule('sd15', { v2: true }), 'motion_module', 'sd15'),
  c('mm_sdxl_v10_beta.ckpt', () => K.motionModule('sdxl'), 'motion_module', 'sdxl'),
  c('Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', () => K.ggufLlm(), 'llm', 'llama', () => K.ggufLlmMetadata('llama')),
  c('qwen2.5-7b-instruct-q5_k_m.gguf', () => K.ggufLlm({ hidden: 3584, layers: 4 }), 'llm', 'qwen2', () => K.ggufLlmMetadata('qwen2', 'Qwen2.5 7B')),
  c('adapter-f16.gguf', () => K.ggufLoraAdapter(), 'lora', 'llama', () => K.ggufLoraAdapterMetadata()),
];

const loraBases: K.LoraBase[] = ['sd15', 'sd2', 'sdxl', 'flux', 'sd3', 'wan', 'hunyuan_video', 'auraflow'];
for (const base of loraBases) {
  cases.push(c(`${base}_character_lora.safetensors`, () => K.kohyaLora({ base }), 'lora', base));
  cases.push(c('my_style-000010.safetensors', () => K.kohyaLora({ base, te: base === 'sdxl' || base === 'sd15' }), 'lora', base));
}
cases.push(
  c('xl_style.safetensors', () => K.kohyaLora({ base: 'flux' }), 'lora', 'flux'),
  c('flux_thing.safetensors', () => K.kohyaLora({ base: 'sd15' }), 'lora', 'sd15'),
  c('pony_style.safetensors', () => K.kohyaLora({ base: 'sdxl' }), 'lora', 'pony'),
  c('pony_style.safetensors', () => K.kohyaLora({ base: 'flux' }), 'lora', 'flux'),
  c('style_vae_fix.safetensors', () => K.kohyaLora({ base: 'sdxl', algo: 'loha' }), 'lora', 'sdxl'),
  c('detailer_locon.safetensors', () => K.kohyaLora({ base: 'sd15', algo: 'locon' }), 'lora', 'sd15'),
  c('lokr_concept.safetensors', () => K.kohyaLora({ base: 'sdxl', algo: 'lokr' }), 'lora', 'sdxl'),
  c('dora_face.safetensors', () => K.kohyaLora({ base: 'sd15', algo: 'dora' }), 'lora', 'sd15'),
  c('pytorch_lora_weights.safetensors', () => K.peftLora({ base: 'sdxl', te: true }), 'lora', 'sdxl'),
  c('pytorch_lora_weights.safetensors', () => K.peftLora({ base: 'flux' }), 'lora', 'flux'),
  c('qwen_image_lightning_8steps.safetensors', () => K.peftLora({ base: 'qwen_image' }), 'lora', 'qwen_image'),
  c('ltxv_lora.safetensors', () => K.peftLora({ base: 'ltxv' }), 'lora', 'ltxv'),
  c('Wan21_T2V_14B_lightx2v_cfg_step_distill_lora_rank32.safetensors', () => K.comfyNativeLora({ base: 'wan' }), 'lora', 'wan'),
  c('wan_1.3b_style.safetensors', () => K.comfyNativeLora({ base: 'wan', wanSize: '1.3b' }), 'lora', 'wan'),
  c('hunyuan_lora.safetensors', () => K.comfyNativeLora({ base: 'hunyuan_video' }), 'lora', 'hunyuan_video'),
  c('illustrious_char.safetensors', () => K.kohyaLora({ base: 'sdxl' }), 'lora', 'illustrious', () => K.kohyaLoraMetadata({ base: 'sdxl', modelName: 'illustriousXL_v01.safetensors' })),
  c('character.safetensors', () => K.kohyaLora({ base: 'sdxl' }), 'lora', 'pony', () => K.kohyaLoraMetadata({ base: 'sdxl', tags: { score_9: 5, score_8_up: 5 } })),
);

describe('accuracy over every key-set generator', () => {
  it('classifies types and bases (type ≥ 97%, base ≥ 90%)', () => {
    const rules = loadRuleSet();
    const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };
    let typeOk = 0;
    let baseOk = 0;
    const misses: string[] = [];
    for (const k of cases) {
      const format = (k.file.split('.').pop() ?? 'safetensors') as ModelFormat;
      const header = K.headerFrom(k.make(), k.metadata?.() ?? {}, { fileName: k.file, format });
      const r = classifyModel({ fileName: k.file, size: header.size, header }, opts);
      if (r.type === k.type) typeOk++;
      if (r.base === k.base) baseOk++;
      if (r.type !== k.type || r.base !== k.base) misses.push(`${k.file}: got ${r.type}/${r.base}, expected ${k.type}/${k.base}`);
    }
    const typeAcc = typeOk / cases.length;
    const baseAcc = baseOk / cases.length;
    console.log(`classifier accuracy over ${cases.length} files: type ${(100 * typeAcc).toFixed(1)}%, base ${(100 * baseAcc).toFixed(1)}%`);
    if (misses.length > 0) console.log(`misses:\n  ${misses.join('\n  ')}`);
    expect(typeAcc).toBeGreaterThanOrEqual(0.97);
    expect(baseAcc).toBeGreaterThanOrEqual(0.9);
  });
});
