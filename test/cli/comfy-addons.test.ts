/**
 * The add-ons ComfyUI keeps in folders of their own (style_models, gligen, photomaker,
 * vae_approx, model_patches, audio_encoders, latent_upscale_models): real files scanned from a
 * downloads folder are classified from their headers, and the default ComfyUI target deploys
 * each into the folder ComfyUI's loader lists.
 */
import { mkdirSync, readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import * as A from '../fixtures/keysets-addons.js';
import type { FixtureTensor } from '../fixtures/keysets.js';
import { tensor, writeSafetensors, writeTorchZip, type PickleValue } from '../fixtures/writers.js';
import { makeWorld, mhOk, query, writeManifest, type World } from '../helpers/world.js';

const stateDict = (tensors: FixtureTensor[]): Record<string, PickleValue> => Object.fromEntries(tensors.map((t) => [t.name, tensor(t.shape, t.dtype ?? 'F16')]));

/** File (in the downloads folder) → what the classifier must say, and the ComfyUI folder it lands in. */
const files: Array<{ file: string; write: (path: string) => Promise<void>; type: string; base: string; variant: string | null; folder: string }> = [
  { file: 'flux1-redux-dev.safetensors', write: (p) => writeSafetensors(p, A.fluxRedux()), type: 'style_model', base: 'flux', variant: 'redux', folder: 'style_models' },
  { file: 'coadapter-style-sd15v1.pth', write: (p) => writeTorchZip(p, stateDict(A.t2iStyleAdapter())), type: 'style_model', base: 'sd15', variant: 't2i_style', folder: 'style_models' },
  { file: 'gligen_sd14_textbox_pruned.safetensors', write: (p) => writeSafetensors(p, A.gligenSd15()), type: 'gligen', base: 'sd15', variant: null, folder: 'gligen' },
  {
    file: 'photomaker-v1.bin',
    write: (p) => {
      const { idEncoder, loraWeights } = A.photomaker('v1');
      return writeTorchZip(p, { id_encoder: stateDict(idEncoder), lora_weights: stateDict(loraWeights) });
    },
    type: 'photomaker', base: 'sdxl', variant: 'v1', folder: 'photomaker',
  },
  {
    file: 'photomaker-v2.bin',
    write: (p) => {
      const { idEncoder, loraWeights } = A.photomaker('v2');
      return writeTorchZip(p, { id_encoder: stateDict(idEncoder), lora_weights: stateDict(loraWeights) });
    },
    type: 'photomaker', base: 'sdxl', variant: 'v2', folder: 'photomaker',
  },
  { file: 'taesd_decoder.safetensors', write: (p) => writeSafetensors(p, A.taesdDecoder()), type: 'vae_approx', base: 'sd15', variant: 'decoder', folder: 'vae_approx' },
  { file: 'taesdxl_encoder.safetensors', write: (p) => writeSafetensors(p, A.taesdEncoder()), type: 'vae_approx', base: 'sdxl', variant: 'encoder', folder: 'vae_approx' },
  { file: 'taesd3_decoder.pth', write: (p) => writeTorchZip(p, stateDict(A.taesdDecoder(16))), type: 'vae_approx', base: 'sd3', variant: 'decoder', folder: 'vae_approx' },
  { file: 'taef1_decoder.safetensors', write: (p) => writeSafetensors(p, A.taesdDecoder(16)), type: 'vae_approx', base: 'flux', variant: 'decoder', folder: 'vae_approx' },
  { file: 'qwen_image_canny_diffsynth_controlnet.safetensors', write: (p) => writeSafetensors(p, A.qwenBlockwiseControlnet()), type: 'model_patch', base: 'qwen_image', variant: 'diffsynth_controlnet', folder: 'model_patches' },
  { file: 'uso-flux1-projector-v1.safetensors', write: (p) => writeSafetensors(p, A.usoProjection()), type: 'model_patch', base: 'flux', variant: 'uso', folder: 'model_patches' },
  { file: 'Z-Image-Turbo-Fun-Controlnet-Union.safetensors', write: (p) => writeSafetensors(p, A.zImageFunControlnet()), type: 'model_patch', base: 'lumina', variant: 'fun_controlnet', folder: 'model_patches' },
  { file: 'multitalk.safetensors', write: (p) => writeSafetensors(p, A.multitalk()), type: 'model_patch', base: 'wan', variant: 'multitalk', folder: 'model_patches' },
  { file: 'wav2vec2_large_english_fp16.safetensors', write: (p) => writeSafetensors(p, A.wav2vec2()), type: 'audio_encoder', base: 'unknown', variant: 'wav2vec2', folder: 'audio_encoders' },
  { file: 'whisper_large_v3_encoder_fp16.safetensors', write: (p) => writeSafetensors(p, A.whisperEncoder()), type: 'audio_encoder', base: 'unknown', variant: 'whisper', folder: 'audio_encoders' },
  { file: 'ltxv-spatial-upscaler-0.9.7.safetensors', write: (p) => writeSafetensors(p, A.ltxvLatentUpsampler()), type: 'latent_upscaler', base: 'ltxv', variant: null, folder: 'latent_upscale_models' },
  { file: 'hunyuanvideo15_latent_upsampler_720p.safetensors', write: (p) => writeSafetensors(p, A.hunyuanSr720p()), type: 'latent_upscaler', base: 'hunyuan_video', variant: '720p', folder: 'latent_upscale_models' },
];

/** The shipped ComfyUI target, enabled and rooted in the world, plus one deployment of every add-on type. */
function deployAddons(w: World): string {
  const root = join(w.apps, 'ComfyUI', 'models');
  mkdirSync(root, { recursive: true });
  const shipped = readFileSync(join(packageRoot(), 'manifests', 'comfyui.yaml'), 'utf8');
  writeManifest(w, 'comfyui.yaml', shipped.replace(/^root: .*$/m, `root: ${root}`).replace(/^enabled: false$/m, 'enabled: true'));
  const types = [...new Set(files.map((f) => f.type))];
  writeManifest(w, 'addons.yaml', `kind: Deployment\nname: addons\ntarget: comfyui\nselect: { type: [${types.join(', ')}] }\n`);
  return root;
}

describe('ComfyUI add-on folders', () => {
  it('classifies each add-on from its header and deploys it where ComfyUI lists it', async () => {
    const w = makeWorld();
    for (const f of files) await f.write(join(w.dl, f.file));
    await mhOk(w, ['scan', w.dl]);
    const rows = query<{ filename: string; primary_type: string; base_model: string; sub_type: string | null }>(w, 'SELECT filename, primary_type, base_model, sub_type FROM models ORDER BY filename');
    const got = Object.fromEntries(rows.map((r) => [r.filename, { type: r.primary_type, base: r.base_model, variant: r.sub_type }]));
    expect(got).toEqual(Object.fromEntries(files.map((f) => [f.file, { type: f.type, base: f.base, variant: f.variant }])));

    const root = deployAddons(w);
    await mhOk(w, ['apply', '--yes']);
    for (const f of files) {
      const link = join(root, f.folder, f.file);
      expect(readlinkSync(link), f.file).toContain(join(w.hub, 'models'));
    }
    const folders = readdirSync(root).sort();
    expect(folders).toEqual([...new Set(files.map((f) => f.folder))].sort());
  });
});
