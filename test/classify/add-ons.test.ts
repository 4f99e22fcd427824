/**
 * The add-on signatures (classify/rules/add-ons.yaml) decide the type from the header alone: a
 * neutral file name gives the same type, and a misleading one does not win over the keys.
 */
import { describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet } from '../../classify/index.js';
import * as A from '../fixtures/keysets-addons.js';
import * as K from '../fixtures/keysets.js';

const rules = loadRuleSet();

function classify(fileName: string, tensors: K.FixtureTensor[]): { type: string; base: string; variant: string | null } {
  const header = K.headerFrom(tensors, {}, { fileName });
  const r = classifyModel({ fileName, size: header.size, header }, { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules });
  return { type: r.type, base: r.base, variant: r.variant };
}

const photomakerV2 = (): K.FixtureTensor[] => {
  const { idEncoder, loraWeights } = A.photomaker('v2');
  return [...K.prefixed('id_encoder.', idEncoder), ...K.prefixed('lora_weights.', loraWeights)];
};

const rows: Array<[string, () => K.FixtureTensor[], string, string, string | null]> = [
  ['model.safetensors', A.fluxRedux, 'style_model', 'flux', 'redux'],
  ['lora_style.safetensors', A.t2iStyleAdapter, 'style_model', 'sd15', 't2i_style'],
  ['model.safetensors', A.gligenSd15, 'gligen', 'sd15', null],
  ['ip-adapter_lora.bin', photomakerV2, 'photomaker', 'sdxl', 'v2'],
  ['decoder.safetensors', () => A.taesdDecoder(), 'vae_approx', 'sd15', 'decoder'],
  ['encoder.safetensors', () => A.taesdEncoder(), 'vae_approx', 'sd15', 'encoder'],
  ['model.safetensors', () => K.prefixed('taesd_decoder.', A.taesdDecoder(16)), 'vae_approx', 'flux', 'decoder'],
  ['controlnet_canny.safetensors', () => A.qwenBlockwiseControlnet(), 'model_patch', 'qwen_image', 'diffsynth_controlnet'],
  ['model.safetensors', A.usoProjection, 'model_patch', 'flux', 'uso'],
  ['model.safetensors', () => A.zImageFunControlnet(), 'model_patch', 'lumina', 'fun_controlnet'],
  ['wan_lora.safetensors', () => A.multitalk(), 'model_patch', 'wan', 'multitalk'],
  ['model.safetensors', () => A.wav2vec2(), 'audio_encoder', 'unknown', 'wav2vec2'],
  ['model.safetensors', () => A.whisperEncoder(), 'audio_encoder', 'unknown', 'whisper'],
  ['4x_upscaler.safetensors', () => A.ltxvLatentUpsampler(), 'latent_upscaler', 'ltxv', null],
  ['model.safetensors', () => A.hunyuanSr720p(), 'latent_upscaler', 'hunyuan_video', '720p'],
];

describe('add-on signatures', () => {
  it.each(rows)('%s → %s', (fileName, make, type, base, variant) => {
    expect(classify(fileName, make())).toEqual({ type, base, variant });
  });
});
