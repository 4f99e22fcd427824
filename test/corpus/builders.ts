/**
 * Key sets the corpus needs beyond test/fixtures/keysets.ts: other trainers' LoRA layouts
 * (OneTrainer, SimpleTuner LyCORIS, raw PEFT, XLabs, old diffusers attention processors, Wan
 * Fun), ComfyUI fp8 "scaled" files, diffusers-layout models, and the nested torch objects real
 * `.pt`/`.bin`/`.pth` files hold (IP-Adapter, textual inversion, hypernetwork, BasicSR wrappers).
 * Shapes follow the same sources as keysets.ts (classification-signatures.md).
 */
import * as K from '../fixtures/keysets.js';
import { tensor, type PickleValue } from '../fixtures/writers.js';

export type T = K.FixtureTensor;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function lin(out: T[], p: string, o: number, i: number, bias = true, dtype = 'BF16'): void {
  out.push({ name: `${p}.weight`, dtype, shape: [o, i] });
  if (bias) out.push({ name: `${p}.bias`, dtype, shape: [o] });
}

// ---------------------------------------------------------------------------------------------
// Transforms

/** Keys without a prefix (the inverse of K.prefixed); keys lacking it are dropped. */
export function unprefixed(prefix: string, tensors: T[]): T[] {
  return tensors.filter((t) => t.name.startsWith(prefix)).map((t) => ({ ...t, name: t.name.slice(prefix.length) }));
}

/** Cast every 2-D+ weight to fp8 (e4m3fn), as `*_fp8_e4m3fn.safetensors` files are. */
export function fp8(tensors: T[]): T[] {
  return tensors.map((t) => (t.shape.length >= 2 && t.name.endsWith('.weight') ? { ...t, dtype: 'F8_E4M3' } : t));
}

/**
 * ComfyUI / Kijai "fp8 scaled": fp8 weights, a per-layer `.scale_weight` scalar (and with
 * `input: true` a `.scale_input`), and the `scaled_fp8` marker tensor.
 */
export function fp8Scaled(tensors: T[], opts: { input?: boolean; prefix?: string } = {}): T[] {
  const out: T[] = [{ name: `${opts.prefix ?? ''}scaled_fp8`, dtype: 'F8_E4M3', shape: [0] }];
  for (const t of tensors) {
    if (t.shape.length >= 2 && t.name.endsWith('.weight')) {
      const layer = t.name.slice(0, -'.weight'.length);
      out.push({ ...t, dtype: 'F8_E4M3' }, { name: `${layer}.scale_weight`, dtype: 'F32', shape: [] });
      if (opts.input === true) out.push({ name: `${layer}.scale_input`, dtype: 'F32', shape: [] });
    } else out.push(t);
  }
  return out;
}

/** A PEFT LoRA (`transformer.X.lora_A.weight`) in OneTrainer's naming: `lora_transformer_X.lora_down.weight` + alpha. */
export function oneTrainerLora(peft: T[]): T[] {
  const out: T[] = [];
  for (const t of peft) {
    const m = /^transformer\.(.+)\.lora_([AB])\.weight$/.exec(t.name);
    if (m === null) continue;
    const name = `lora_transformer_${(m[1] ?? '').replace(/\./g, '_')}`;
    out.push({ ...t, dtype: 'F16', name: `${name}.${m[2] === 'A' ? 'lora_down' : 'lora_up'}.weight` });
    if (m[2] === 'A') out.push({ name: `${name}.alpha`, dtype: 'F16', shape: [] });
  }
  return out;
}

/** A raw PEFT `adapter_model.safetensors`: the `transformer.`/`unet.` root becomes `base_model.model.`. */
export function peftRaw(peft: T[]): T[] {
  return peft.map((t) => ({ ...t, name: t.name.replace(/^(transformer|unet)\./, 'base_model.model.') }));
}

/** PEFT DoRA: every module also gets its `lora_magnitude_vector` [out]. */
export function peftDora(peft: T[]): T[] {
  const out: T[] = [];
  for (const t of peft) {
    out.push(t);
    if (t.name.endsWith('.lora_B.weight')) out.push({ name: `${t.name.slice(0, -'.lora_B.weight'.length)}.lora_magnitude_vector`, dtype: t.dtype ?? 'BF16', shape: [t.shape[0] ?? 1] });
  }
  return out;
}

/**
 * SimpleTuner LyCORIS LoKr: `lycoris_<path_with_underscores>.lokr_w1` [f, f] plus the factored
 * second matrix, made from a PEFT LoRA's module widths.
 */
export function simpleTunerLokr(peft: T[], factor = 4, rank = 16): T[] {
  const outs = new Map<string, number>();
  const ins = new Map<string, number>();
  for (const t of peft) {
    const m = /^transformer\.(.+)\.lora_([AB])\.weight$/.exec(t.name);
    if (m === null) continue;
    if (m[2] === 'A') ins.set(m[1] ?? '', t.shape[1] ?? 0);
    else outs.set(m[1] ?? '', t.shape[0] ?? 0);
  }
  const out: T[] = [];
  for (const [path, inp] of ins) {
    const o = outs.get(path) ?? inp;
    const name = `lycoris_${path.replace(/\./g, '_')}`;
    out.push({ name: `${name}.lokr_w1`, dtype: 'BF16', shape: [factor, factor] });
    out.push({ name: `${name}.lokr_w2_a`, dtype: 'BF16', shape: [o / factor, rank] }, { name: `${name}.lokr_w2_b`, dtype: 'BF16', shape: [rank, inp / factor] });
    out.push({ name: `${name}.alpha`, dtype: 'BF16', shape: [] });
  }
  return out;
}

/** Wan "Fun" LoRAs: kohya names with a doubled underscore (`lora_unet__blocks_0_…`). */
export function wanFunLora(kohya: T[]): T[] {
  return kohya.map((t) => ({ ...t, name: t.name.replace(/^lora_unet_/, 'lora_unet__') }));
}

/** Only the keys whose name matches. */
export function only(tensors: T[], re: RegExp): T[] {
  return tensors.filter((t) => re.test(t.name));
}

/** Kohya LoRA keys with `lora_te…` text-encoder modules removed (UNet-only training). */
export function unetOnly(tensors: T[]): T[] {
  return tensors.filter((t) => !/^lora_te\d?_/.test(t.name));
}

/** A LoRA that carries a pivotal-tuning embedding (`bundle_emb.<name>.string_to_param.*`). */
export function withBundledEmbedding(lora: T[], name: string, width = 768): T[] {
  return [...lora, { name: `bundle_emb.${name}.string_to_param.*`, dtype: 'F32', shape: [4, width] }];
}

// ---------------------------------------------------------------------------------------------
// LoRA layouts not in keysets.ts

/** XLabs (x-flux) Flux LoRA: `double_blocks.N.processor.{qkv,proj}_lora{1,2}.{down,up}.weight`. */
export function xlabsFluxLora(rank = 16): T[] {
  const out: T[] = [];
  for (const i of range(19)) {
    for (const s of ['1', '2']) {
      const p = `double_blocks.${i}.processor`;
      out.push({ name: `${p}.proj_lora${s}.down.weight`, dtype: 'BF16', shape: [rank, 3072] }, { name: `${p}.proj_lora${s}.up.weight`, dtype: 'BF16', shape: [3072, rank] });
      out.push({ name: `${p}.qkv_lora${s}.down.weight`, dtype: 'BF16', shape: [rank, 3072] }, { name: `${p}.qkv_lora${s}.up.weight`, dtype: 'BF16', shape: [9216, rank] });
    }
  }
  return out;
}

/**
 * Old diffusers attention-processor LoRA (`pytorch_lora_weights.bin` of 2023 train_dreambooth_lora):
 * `<attn>.processor.to_{q,k,v,out}_lora.{down,up}.weight` on every SD1.5 UNet attention.
 */
export function attnProcsLoraSd15(rank = 4): T[] {
  const out: T[] = [];
  const blocks: [string, number][] = [];
  [320, 640, 1280].forEach((c, i) => range(2).forEach((a) => blocks.push([`down_blocks.${i}.attentions.${a}`, c])));
  blocks.push(['mid_block.attentions.0', 1280]);
  [1280, 640, 320].forEach((c, i) => range(3).forEach((a) => blocks.push([`up_blocks.${i + 1}.attentions.${a}`, c])));
  for (const [b, c] of blocks) {
    for (const attn of ['attn1', 'attn2']) {
      for (const x of ['to_q', 'to_k', 'to_v', 'to_out']) {
        const inp = attn === 'attn2' && (x === 'to_k' || x === 'to_v') ? 768 : c;
        const p = `${b}.transformer_blocks.0.${attn}.processor.${x}_lora`;
        out.push({ name: `${p}.down.weight`, dtype: 'F32', shape: [rank, inp] }, { name: `${p}.up.weight`, dtype: 'F32', shape: [c, rank] });
      }
    }
  }
  return out;
}

/** SD3 / SD3.5 diffusers LoRA (`transformer.transformer_blocks.N.attn.*`): hidden 1536 (medium) or 2432 (large). */
export function sd3DiffusersLora(opts: { large?: boolean; rank?: number } = {}): T[] {
  const h = opts.large === true ? 2432 : 1536;
  const depth = opts.large === true ? 38 : 24;
  const r = opts.rank ?? 16;
  const out: T[] = [];
  for (const i of range(depth)) {
    for (const x of ['to_q', 'to_k', 'to_v', 'to_out.0', 'add_q_proj', 'add_k_proj', 'add_v_proj', 'to_add_out']) {
      if (i === depth - 1 && x === 'to_add_out') continue;
      const p = `transformer.transformer_blocks.${i}.attn.${x}`;
      out.push({ name: `${p}.lora_A.weight`, dtype: 'BF16', shape: [r, h] }, { name: `${p}.lora_B.weight`, dtype: 'BF16', shape: [h, r] });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Models not in keysets.ts

/** FLUX.1 transformer in diffusers layout (`transformer/diffusion_pytorch_model.safetensors`). */
export function fluxDiffusersUnet(opts: { schnell?: boolean } = {}): T[] {
  const h = 3072;
  const out: T[] = [];
  lin(out, 'x_embedder', h, 64);
  lin(out, 'context_embedder', h, 4096);
  lin(out, 'time_text_embed.timestep_embedder.linear_1', h, 256);
  lin(out, 'time_text_embed.timestep_embedder.linear_2', h, h);
  lin(out, 'time_text_embed.text_embedder.linear_1', h, 768);
  lin(out, 'time_text_embed.text_embedder.linear_2', h, h);
  if (opts.schnell !== true) {
    lin(out, 'time_text_embed.guidance_embedder.linear_1', h, 256);
    lin(out, 'time_text_embed.guidance_embedder.linear_2', h, h);
  }
  for (const i of range(19)) {
    const p = `transformer_blocks.${i}`;
    lin(out, `${p}.norm1.linear`, 6 * h, h);
    lin(out, `${p}.norm1_context.linear`, 6 * h, h);
    for (const x of ['to_q', 'to_k', 'to_v', 'add_q_proj', 'add_k_proj', 'add_v_proj', 'to_out.0', 'to_add_out']) lin(out, `${p}.attn.${x}`, h, h);
    for (const x of ['norm_q', 'norm_k', 'norm_added_q', 'norm_added_k']) out.push({ name: `${p}.attn.${x}.weight`, dtype: 'BF16', shape: [128] });
    lin(out, `${p}.ff.net.0.proj`, 4 * h, h);
    lin(out, `${p}.ff.net.2`, h, 4 * h);
    lin(out, `${p}.ff_context.net.0.proj`, 4 * h, h);
    lin(out, `${p}.ff_context.net.2`, h, 4 * h);
  }
  for (const i of range(38)) {
    const p = `single_transformer_blocks.${i}`;
    lin(out, `${p}.norm.linear`, 3 * h, h);
    for (const x of ['to_q', 'to_k', 'to_v']) lin(out, `${p}.attn.${x}`, h, h);
    for (const x of ['norm_q', 'norm_k']) out.push({ name: `${p}.attn.${x}.weight`, dtype: 'BF16', shape: [128] });
    lin(out, `${p}.proj_mlp`, 4 * h, h);
    lin(out, `${p}.proj_out`, h, 5 * h);
  }
  lin(out, 'norm_out.linear', 2 * h, h);
  lin(out, 'proj_out', 64, h);
  return out;
}

/** ComfyUI "fp8 all-in-one" Flux checkpoint for schnell (no guidance_in). */
export function fluxSchnellAllInOne(): T[] {
  return [
    ...K.prefixed('model.diffusion_model.', K.fluxUnet({ variant: 'schnell', dtype: 'F8_E4M3' })),
    ...K.prefixed('vae.', K.fluxVae()),
    ...K.prefixed('text_encoders.clip_l.transformer.', K.clipL()),
    ...K.prefixed('text_encoders.t5xxl.transformer.', K.t5xxl('F8_E4M3')),
  ];
}

/** An SD3.x release file: the MMDiT under `model.diffusion_model.` with its 16-channel VAE. */
export function sd3WithVae(size: '3-medium' | '3.5-medium' | '3.5-large'): T[] {
  return [...K.prefixed('model.diffusion_model.', K.sd3Unet({ size })), ...K.prefixed('first_stage_model.', K.fluxVae())];
}

/** LTX-Video release file: transformer and causal video VAE together. */
export function ltxvWithVae(size: '2b' | '13b'): T[] {
  return [...K.prefixed('model.diffusion_model.', K.ltxvUnet({ size })), ...K.prefixed('vae.', K.ltxvVae())];
}

/** Pile-T5-XL encoder (AuraFlow's text encoder): d 2048, ff 5120, 24 blocks. */
function pileT5xl(): T[] {
  const out: T[] = [{ name: 'shared.weight', dtype: 'F16', shape: [32128, 2048] }];
  for (const b of range(24)) {
    const p = `encoder.block.${b}.layer`;
    for (const x of ['q', 'k', 'v', 'o']) out.push({ name: `${p}.0.SelfAttention.${x}.weight`, dtype: 'F16', shape: [2048, 2048] });
    if (b === 0) out.push({ name: `${p}.0.SelfAttention.relative_attention_bias.weight`, dtype: 'F16', shape: [32, 32] });
    out.push({ name: `${p}.0.layer_norm.weight`, dtype: 'F16', shape: [2048] });
    out.push({ name: `${p}.1.DenseReluDense.wi_0.weight`, dtype: 'F16', shape: [5120, 2048] }, { name: `${p}.1.DenseReluDense.wi_1.weight`, dtype: 'F16', shape: [5120, 2048] });
    out.push({ name: `${p}.1.DenseReluDense.wo.weight`, dtype: 'F16', shape: [2048, 5120] }, { name: `${p}.1.layer_norm.weight`, dtype: 'F16', shape: [2048] });
  }
  out.push({ name: 'encoder.final_layer_norm.weight', dtype: 'F16', shape: [2048] });
  return out;
}

/** fal's aura_flow_0.3.safetensors: MMDiT under `model.`, SDXL-style VAE under `vae.`, Pile-T5-XL. */
export function auraflowAllInOne(): T[] {
  return [...K.prefixed('model.', K.auraflowUnet()), ...K.prefixed('vae.', K.sdVae()), ...K.prefixed('text_encoders.pile_t5xl.transformer.', pileT5xl())];
}

/** svd_xt.safetensors: the video UNet, the (temporal) VAE and the OpenCLIP-H image conditioner. */
export function svdCheckpoint(): T[] {
  const visual: T[] = [{ name: 'conditioner.embedders.0.open_clip.model.visual.conv1.weight', dtype: 'F32', shape: [1280, 3, 14, 14] }];
  for (const l of range(32)) {
    const p = `conditioner.embedders.0.open_clip.model.visual.transformer.resblocks.${l}`;
    visual.push({ name: `${p}.attn.in_proj_weight`, dtype: 'F32', shape: [3840, 1280] }, { name: `${p}.mlp.c_fc.weight`, dtype: 'F32', shape: [5120, 1280] }, { name: `${p}.mlp.c_proj.weight`, dtype: 'F32', shape: [1280, 5120] });
  }
  const vae = K.sdVae().map((t) => ({ ...t, name: `first_stage_model.${t.name}` }));
  vae.push({ name: 'first_stage_model.decoder.time_mixer.mix_factor', dtype: 'F32', shape: [1] });
  return [...K.prefixed('model.diffusion_model.', K.svdUnet()), ...vae, ...visual];
}

/** Stable Cascade stage B (selected keys): `clip_mapper`, 4 levels of ResBlocks, `clf`. */
export function stableCascadeStageB(): T[] {
  const out: T[] = [];
  lin(out, 'clip_mapper', 1280 * 4, 1280);
  out.push({ name: 'embedding.1.weight', dtype: 'BF16', shape: [320, 64, 1, 1] }, { name: 'embedding.1.bias', dtype: 'BF16', shape: [320] });
  [320, 640, 1280, 1280].forEach((c, l) => {
    for (const i of range(4)) {
      out.push({ name: `down_blocks.${l}.${i}.depthwise.weight`, dtype: 'BF16', shape: [c, 1, 3, 3] });
      lin(out, `down_blocks.${l}.${i}.channelwise.0`, 4 * c, c);
      out.push({ name: `up_blocks.${3 - l}.${i}.depthwise.weight`, dtype: 'BF16', shape: [c, 1, 3, 3] });
    }
  });
  out.push({ name: 'clf.0.weight', dtype: 'BF16', shape: [320] }, { name: 'clf.1.weight', dtype: 'BF16', shape: [16, 320, 1, 1] }, { name: 'clf.1.bias', dtype: 'BF16', shape: [16] });
  return out;
}

/** Wan 2.1 FLF2V (first-last frame): the i2v model plus the frame position embedding. */
export function wanFlf2v(): T[] {
  return [...K.wanUnet({ mode: 'i2v' }), { name: 'img_emb.emb_pos', dtype: 'F32', shape: [1, 514, 1280] }];
}

/** A VAE in diffusers AutoencoderKL layout (`vae/diffusion_pytorch_model.safetensors`), from the ldm one. */
export function diffusersVae(ldm: T[] = K.sdVae()): T[] {
  return ldm.map((t) => {
    let n = t.name;
    n = n.replace(/^encoder\.down\.(\d+)\.block\.(\d+)\./, 'encoder.down_blocks.$1.resnets.$2.');
    n = n.replace(/^encoder\.down\.(\d+)\.downsample\.conv\./, 'encoder.down_blocks.$1.downsamplers.0.conv.');
    n = n.replace(/^decoder\.up\.(\d+)\.block\.(\d+)\./, (_m, i: string, b: string) => `decoder.up_blocks.${3 - Number(i)}.resnets.${b}.`);
    n = n.replace(/^decoder\.up\.(\d+)\.upsample\.conv\./, (_m, i: string) => `decoder.up_blocks.${3 - Number(i)}.upsamplers.0.conv.`);
    n = n.replace(/\.mid\.block_(\d)\./, (_m, b: string) => `.mid_block.resnets.${Number(b) - 1}.`);
    n = n.replace(/\.mid\.attn_1\.norm\./, '.mid_block.attentions.0.group_norm.');
    n = n.replace(/\.mid\.attn_1\.(q|k|v)\./, '.mid_block.attentions.0.to_$1.');
    n = n.replace(/\.mid\.attn_1\.proj_out\./, '.mid_block.attentions.0.to_out.0.');
    n = n.replace(/\.nin_shortcut\./, '.conv_shortcut.').replace(/\.norm_out\./, '.conv_norm_out.');
    // diffusers stores the attention projections as linears
    const shape = /mid_block\.attentions\.0\.(to_|to_out)/.test(n) && t.shape.length === 4 ? t.shape.slice(0, 2) : t.shape;
    return { ...t, name: n, shape, dtype: 'F16' };
  });
}

/** The original ESRGAN release (2018, `RRDB_ESRGAN_x4.pth`): RRDB_trunk / trunk_conv names. */
export function esrganRrdbTrunk(): T[] {
  return unprefixed('params_ema.', K.realesrganRrdb()).map((t) => ({
    ...t,
    name: t.name
      .replace(/^body\.(\d+)\.rdb(\d)\./, 'RRDB_trunk.$1.RDB$2.')
      .replace(/^conv_body\./, 'trunk_conv.')
      .replace(/^conv_up1\./, 'upconv1.')
      .replace(/^conv_up2\./, 'upconv2.')
      .replace(/^conv_hr\./, 'HRconv.'),
  }));
}

/** A GGUF llama.cpp model of another width (vocabulary and ffn as in K.ggufLlm). */
export function ggufLlm(layers: number, hidden: number, quant = 'Q4_K'): T[] {
  return K.ggufLlm({ layers, hidden, quant });
}

// ---------------------------------------------------------------------------------------------
// Torch objects (what real .pt / .pth / .bin / .ckpt files pickle)

/** A state dict: tensor names → tensors (written as an OrderedDict, like `model.state_dict()`). */
export function stateDict(tensors: T[]): Record<string, PickleValue> {
  return Object.fromEntries(tensors.map((t) => [t.name, tensor(t.shape, t.dtype ?? 'F16')]));
}

/** Nest a flat key set one level by its first segment ({image_proj: {...}, ip_adapter: {...}}). */
export function nestedByFirstSegment(tensors: T[]): Record<string, PickleValue> {
  const groups = new Map<string, T[]>();
  for (const t of tensors) {
    const cut = t.name.indexOf('.');
    const head = t.name.slice(0, cut);
    const list = groups.get(head) ?? [];
    list.push({ ...t, name: t.name.slice(cut + 1) });
    groups.set(head, list);
  }
  return Object.fromEntries([...groups].map(([k, v]) => [k, stateDict(v)]));
}

/** An A1111 textual-inversion `.pt`. */
export function a1111Embedding(vectors: number, width: number, name: string, checkpoint = 'v1-5-pruned-emaonly'): PickleValue {
  return {
    string_to_token: { '*': 265 },
    string_to_param: { '*': tensor([vectors, width], 'F32') },
    name,
    step: 3000,
    sd_checkpoint: '6ce0161689',
    sd_checkpoint_name: checkpoint,
  };
}

/** An A1111 hypernetwork `.pt`: int keys (context widths) → [k, v] state dicts, plus its settings. */
export function a1111Hypernetwork(base: 'sd15' | 'sd2', name: string): PickleValue {
  const widths = base === 'sd15' ? [320, 640, 768, 1280] : [320, 640, 1024, 1280];
  const top = new Map<string | number, PickleValue>();
  for (const d of widths) {
    const layer = (): PickleValue => stateDict([
      { name: 'linear.0.weight', dtype: 'F32', shape: [2 * d, d] }, { name: 'linear.0.bias', dtype: 'F32', shape: [2 * d] },
      { name: 'linear.1.weight', dtype: 'F32', shape: [d, 2 * d] }, { name: 'linear.1.bias', dtype: 'F32', shape: [d] },
    ]);
    top.set(d, [layer(), layer()]);
  }
  const settings: Record<string, PickleValue> = {
    step: 12000, name, layer_structure: [1, 2, 1], activation_func: 'swish', is_layer_norm: false, weight_initialization: 'Normal',
    sd_checkpoint: 'e1441589a6', sd_checkpoint_name: base === 'sd15' ? 'anything-v3-fp16-pruned' : 'v2-1_768-ema-pruned',
    activate_output: false, use_dropout: true, dropout_structure: [0, 0.3, 0], last_layer_dropout: false, optional_info: '',
  };
  for (const [k, v] of Object.entries(settings)) top.set(k, v);
  return top;
}

/** kohya OFT (`networks.oft`): `oft_unet_<module>.oft_blocks` [blocks, out/blocks, out/blocks] + alpha, from a kohya LoRA's modules. */
export function kohyaOft(kohyaLora: T[], blocks = 8): T[] {
  const out: T[] = [];
  for (const t of kohyaLora) {
    const m = /^lora_unet_(.+)\.lora_up\.weight$/.exec(t.name);
    if (m === null) continue;
    const c = t.shape[0] ?? 320;
    out.push({ name: `oft_unet_${m[1] ?? ''}.oft_blocks`, dtype: 'F32', shape: [blocks, c / blocks, c / blocks] }, { name: `oft_unet_${m[1] ?? ''}.alpha`, dtype: 'F32', shape: [] });
  }
  return out;
}

/**
 * Shard `index` (1-based) of `count` of a model saved by Hugging Face `save_pretrained`:
 * tensors in state-dict order, cut into consecutive groups of about equal bytes.
 */
export function shard(tensors: T[], index: number, count: number): T[] {
  const total = K.estimateBytes(tensors);
  let acc = 0;
  return tensors.filter((t) => {
    const at = Math.min(count - 1, Math.floor((acc * count) / total));
    acc += K.estimateBytes([t]);
    return at === index - 1;
  });
}

/** The original training-format checkpoint keeps an EMA copy: `model_ema.<diffusion key without dots>` plus decay and step. */
export function withEma(checkpoint: T[]): T[] {
  const ema = checkpoint
    .filter((t) => t.name.startsWith('model.diffusion_model.'))
    .map((t) => ({ ...t, name: `model_ema.${t.name.slice('model.'.length).replace(/\./g, '')}` }));
  return [...checkpoint, ...ema, { name: 'model_ema.decay', dtype: 'F32', shape: [] }, { name: 'model_ema.num_updates', dtype: 'I32', shape: [] }];
}

/** The `position_ids` buffer HF CLIP text models carried before transformers 4.31, under a text-encoder prefix. */
export function withPositionIds(checkpoint: T[], tePrefix: string): T[] {
  return [...checkpoint, { name: `${tePrefix}text_model.embeddings.position_ids`, dtype: 'I64', shape: [1, 77] }];
}
