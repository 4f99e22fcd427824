import { describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet, type Classification } from '../../classify/index.js';
import type { MetadataValue } from '../../formats/types.js';
import * as K from '../fixtures/keysets.js';

const rules = loadRuleSet();
const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };

function classify(fileName: string, tensors: K.FixtureTensor[], metadata: Record<string, MetadataValue> = {}): Classification {
  const header = K.headerFrom(tensors, metadata, { fileName });
  return classifyModel({ fileName, size: header.size, header }, opts);
}

const bases: K.LoraBase[] = ['sd15', 'sd2', 'sdxl', 'flux', 'sd3', 'wan', 'hunyuan_video', 'auraflow'];

describe('LoRA base from module names and widths (kohya / musubi naming)', () => {
  it.each(bases)('kohya LoRA for %s, named neutrally', (base) => {
    const r = classify('character_v3-000012.safetensors', K.kohyaLora({ base }));
    expect([r.type, r.base, r.variant]).toEqual(['lora', base, 'lora']);
  });

  it.each(['sd15', 'sd2', 'sdxl', 'flux', 'sd3'] as const)('kohya LoRA for %s with text-encoder modules', (base) => {
    const r = classify('style.safetensors', K.kohyaLora({ base, te: true }));
    expect([r.type, r.base]).toEqual(['lora', base]);
  });
});

describe('LoRA naming conventions', () => {
  it.each(['sd15', 'sdxl', 'flux', 'sd3', 'qwen_image', 'ltxv'] as const)('PEFT / diffusers LoRA for %s', (base) => {
    const r = classify('pytorch_lora_weights.safetensors', K.peftLora({ base }));
    expect([r.type, r.base]).toEqual(['lora', base]);
  });

  it.each(['flux', 'sdxl', 'hunyuan_video'] as const)('ComfyUI-native (diffusion_model.*) LoRA for %s', (base) => {
    const r = classify('lora.safetensors', K.comfyNativeLora({ base }));
    expect([r.type, r.base]).toEqual(['lora', base]);
  });

  it('tells HunyuanVideo from Flux by block depth when the names coincide', () => {
    const r = classify('hunyuan_style.safetensors', K.comfyNativeLora({ base: 'hunyuan_video' }));
    expect(r.base).toBe('hunyuan_video');
    expect(r.evidence.find((e) => e.base === 'hunyuan_video' && e.method === 'tensors')?.rule).toBe('lora-hunyuan-video-double-depth');
  });

  it('reports the Wan model size (14B / 1.3B) and I2V layers in the evidence', () => {
    const big = classify('wan_lora.safetensors', K.comfyNativeLora({ base: 'wan', wanSize: '14b', i2v: true }));
    const small = classify('wan_lora.safetensors', K.kohyaLora({ base: 'wan', wanSize: '1.3b' }));
    expect(big.base).toBe('wan');
    expect(big.evidence.find((e) => e.rule === 'lora-wan')?.observed).toMatch(/\(14b-i2v\)$/);
    expect(small.evidence.find((e) => e.rule === 'lora-wan')?.observed).toMatch(/\(1\.3b\)$/);
  });
});

describe('LoRA algorithm (variant) from key suffixes', () => {
  it.each([
    ['lora', 'lora'],
    ['locon', 'locon'],
    ['loha', 'loha'],
    ['lokr', 'lokr'],
    ['dora', 'dora'],
  ] as const)('%s', (algo, variant) => {
    const r = classify('adapter.safetensors', K.kohyaLora({ base: algo === 'locon' ? 'sd15' : 'sdxl', algo }));
    expect([r.type, r.variant]).toEqual(['lora', variant]);
  });

  it('recognises (IA)³, OFT, GLoRA and full-diff modules', () => {
    const mods = ['lora_unet_down_blocks_0_attentions_0_proj_in', 'lora_unet_down_blocks_0_attentions_0_proj_out'];
    const ia3 = mods.flatMap((m) => [{ name: `${m}.weight`, shape: [320] }, { name: `${m}.on_input`, shape: [] }]);
    const oft = mods.flatMap((m) => [{ name: `${m}.oft_blocks`, shape: [4, 80, 80] }, { name: `${m}.alpha`, shape: [] }]);
    const glora = mods.flatMap((m) => ['a1', 'a2', 'b1', 'b2'].map((x) => ({ name: `${m}.${x}.weight`, shape: [8, 320] })));
    const full = mods.flatMap((m) => [{ name: `${m}.diff`, shape: [320, 320] }, { name: `${m}.diff_b`, shape: [320] }]);
    expect(classify('a.safetensors', ia3).variant).toBe('ia3');
    expect(classify('a.safetensors', oft).variant).toBe('oft');
    expect(classify('a.safetensors', glora).variant).toBe('glora');
    expect(classify('a.safetensors', full).variant).toBe('full');
  });

  it('reads LoKr widths from its Kronecker factors (SD2 vs SD1 from the context width)', () => {
    expect(classify('x.safetensors', K.kohyaLora({ base: 'sd2', algo: 'lokr' })).base).toBe('sd2');
    expect(classify('x.safetensors', K.kohyaLora({ base: 'sd15', algo: 'lokr' })).base).toBe('sd15');
  });

  it('reads old diffusers attention-processor LoRAs and OneTrainer names', () => {
    const procs = ['to_q', 'to_k', 'to_v', 'to_out'].flatMap((x) => [
      { name: `unet.down_blocks.1.attentions.0.transformer_blocks.0.attn2.processor.${x}_lora.down.weight`, shape: [4, x === 'to_k' || x === 'to_v' ? 2048 : 640] },
      { name: `unet.down_blocks.1.attentions.0.transformer_blocks.0.attn2.processor.${x}_lora.up.weight`, shape: [640, 4] },
    ]);
    expect([classify('attn_procs.bin', procs).type, classify('attn_procs.bin', procs).base]).toEqual(['lora', 'sdxl']);
    const onetrainer = ['attn_qkv', 'attn_proj'].flatMap((x) => [
      { name: `lora_transformer_double_blocks_0_img_${x}.lora_down.weight`, shape: [16, 3072] },
      { name: `lora_transformer_double_blocks_0_img_${x}.lora_up.weight`, shape: [x === 'attn_qkv' ? 9216 : 3072, 16] },
    ]);
    expect(classify('onetrainer.safetensors', onetrainer).base).toBe('flux');
  });

  it('ignores bundled embeddings when measuring the adapter share', () => {
    const tensors = [...K.kohyaLora({ base: 'sd15' }), ...K.prefixed('bundle_emb.mychar.', K.embeddingSd15())];
    expect(classify('bundle.safetensors', tensors).type).toBe('lora');
  });
});

describe('LoRA metadata (kohya ss_*, modelspec)', () => {
  it('agrees with the tensors and raises confidence', () => {
    const plain = classify('x.safetensors', K.kohyaLora({ base: 'flux' }));
    const withMeta = classify('x.safetensors', K.kohyaLora({ base: 'flux' }), K.kohyaLoraMetadata({ base: 'flux' }));
    expect(withMeta.base).toBe('flux');
    expect(withMeta.confidence).toBeGreaterThan(plain.confidence);
    expect(withMeta.evidence.map((e) => e.rule)).toEqual(expect.arrayContaining(['ss-module-flux', 'ss-version-flux', 'ms-arch-lora', 'ms-arch-flux']));
  });

  it('reads the LyCORIS algorithm from ss_network_args', () => {
    const r = classify('x.safetensors', K.kohyaLora({ base: 'sd15', algo: 'loha' }), K.kohyaLoraMetadata({ base: 'sd15', algo: 'loha' }));
    expect(r.variant).toBe('loha');
    expect(r.evidence.find((e) => e.rule === 'ss-args-algo')?.variant).toBe('loha');
  });

  it('names Pony from ss_sd_model_name, Illustrious and NoobAI likewise', () => {
    const lora = K.kohyaLora({ base: 'sdxl' });
    const pony = classify('x.safetensors', lora, K.kohyaLoraMetadata({ base: 'sdxl', modelName: 'ponyDiffusionV6XL_v6StartWithThisOne.safetensors' }));
    const il = classify('x.safetensors', lora, K.kohyaLoraMetadata({ base: 'sdxl', modelName: 'illustriousXL_v01.safetensors' }));
    const noob = classify('x.safetensors', lora, K.kohyaLoraMetadata({ base: 'sdxl', modelName: 'noobaiXLNAIXL_vPred10Version.safetensors' }));
    expect([pony.base, il.base, noob.base]).toEqual(['pony', 'illustrious', 'noobai']);
  });

  it('takes score_9 tags in ss_tag_frequency as Pony', () => {
    const r = classify('x.safetensors', K.kohyaLora({ base: 'sdxl' }), K.kohyaLoraMetadata({ base: 'sdxl', tags: { score_9: 12, score_8_up: 12, '1girl': 3 } }));
    expect(r.base).toBe('pony');
    expect(r.evidence.find((e) => e.rule === 'ss-tags-pony')?.observed).toContain('score_9');
  });

  it('classifies from metadata alone when the keys say nothing', () => {
    const tensors = [{ name: 'weights_0', shape: [16, 3072] }];
    const r = classify('adapter.safetensors', tensors, { 'modelspec.architecture': 'flux-1-dev/lora', ss_network_module: 'networks.lora_flux' });
    expect([r.type, r.base]).toEqual(['lora', 'flux']);
    expect(r.evidence.every((e) => e.method !== 'tensors')).toBe(true);
  });
});

describe('misleading LoRA file names', () => {
  it('a Flux LoRA named xl_style is a Flux LoRA', () => {
    const r = classify('xl_style.safetensors', K.kohyaLora({ base: 'flux' }));
    expect([r.type, r.base]).toEqual(['lora', 'flux']);
  });

  it('an SD1.5 LoRA named flux_thing is SD1.5', () => {
    const r = classify('flux_thing.safetensors', K.kohyaLora({ base: 'sd15' }));
    expect([r.type, r.base]).toEqual(['lora', 'sd15']);
  });

  it('"pony" on an SDXL-shaped LoRA gives pony, on a Flux LoRA it does not', () => {
    expect(classify('pony_style.safetensors', K.kohyaLora({ base: 'sdxl' })).base).toBe('pony');
    expect(classify('pony_style.safetensors', K.kohyaLora({ base: 'flux' })).base).toBe('flux');
  });

  it('a LoRA named like a checkpoint stays a LoRA', () => {
    const r = classify('sd_xl_base_1.0_pruned_vae.safetensors', K.kohyaLora({ base: 'sdxl' }));
    expect([r.type, r.base]).toEqual(['lora', 'sdxl']);
  });
});
