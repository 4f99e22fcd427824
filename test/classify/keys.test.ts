import { describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet, type Classification } from '../../classify/index.js';
import { literalPrefix } from '../../classify/compile-condition.js';
import { KeyView } from '../../classify/key-view.js';
import * as K from '../fixtures/keysets.js';

const rules = loadRuleSet();
const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };

function classify(fileName: string, tensors: K.FixtureTensor[]): Classification {
  const header = K.headerFrom(tensors, {}, { fileName, format: fileName.endsWith('.pth') ? 'pth' : 'safetensors' });
  return classifyModel({ fileName, size: header.size, header }, opts);
}

describe('key canonicalisation', () => {
  it('unwraps module. and netG. when they wrap every key', () => {
    expect(classify('net.pth', K.prefixed('module.', K.esrgan())).variant).toBe('esrgan');
    expect(classify('net.pth', K.prefixed('netG.', K.dat())).variant).toBe('dat');
  });

  it("keeps ESRGAN's own model.N keys instead of unwrapping them", () => {
    const r = classify('upscaler.pth', K.esrgan());
    expect([r.type, r.variant]).toEqual(['upscaler', 'esrgan']);
  });

  it('ignores fp8 scale keys and says how many', () => {
    const unet = K.fluxUnet();
    const scaled = [...unet, { name: 'scaled_fp8', shape: [0] }, ...unet.filter((t) => t.shape.length === 2).map((t) => ({ name: t.name.replace(/weight$/, 'scale_weight'), shape: [] }))];
    const r = classify('flux1-dev-fp8-scaled.safetensors', scaled);
    expect([r.type, r.base, r.variant]).toEqual(['unet', 'flux', 'dev']);
    expect(r.evidence[0]?.observed).toMatch(/\(\d+ quantisation keys ignored\)$/);
  });

  it('a diffusion model under model.diffusion_model. alone is a unet, not a checkpoint', () => {
    expect(classify('unet.safetensors', K.prefixed('model.diffusion_model.', K.fluxUnet())).type).toBe('unet');
  });

  it('a single prefixed component (vae., text_encoders.t5xxl.transformer.) is read without its prefix', () => {
    expect(classify('vae.safetensors', K.prefixed('vae.', K.wanVae('2.1'))).base).toBe('wan');
    expect(classify('te.safetensors', K.prefixed('text_encoders.t5xxl.transformer.', K.t5xxl())).variant).toBe('t5xxl');
  });

  it('a full ControlNet .pth carrying a whole SD checkpoint is still a ControlNet', () => {
    const r = classify('control_sd15_canny.pth', [...K.controlnetSd15(), ...K.sd15Checkpoint()]);
    expect([r.type, r.base]).toEqual(['controlnet', 'sd15']);
  });

  it('an all-in-one file whose diffusion model is unknown is still a checkpoint', () => {
    const odd = [...K.prefixed('model.diffusion_model.', [1, 2, 3, 4, 5, 6].map((i) => ({ name: `mystery.${i}.weight`, shape: [64, 64] }))), ...K.prefixed('first_stage_model.', K.sdVae())];
    const r = classify('mystery.safetensors', odd);
    expect(r.type).toBe('checkpoint');
    expect(r.evidence[0]?.rule).toBe('checkpoint:unrecognised');
  });
});

describe('literalPrefix', () => {
  it.each([
    ['^double_blocks\\.(\\d+)\\.', 'double_blocks.'],
    ['^unet/(txt_in|double)', 'unet/'],
    ['^input_blocks\\.\\d+', 'input_blocks.'],
    ['^abc?d', 'ab'],
    ['^ab+c', 'ab'],
    ['^a|b', ''],
    ['attn2_to_k$', ''],
    ['^image_proj\\.', 'image_proj.'],
  ])('%s → %j', (source, prefix) => {
    expect(literalPrefix(source)).toBe(prefix);
  });
});

describe('KeyView', () => {
  const view = new KeyView([
    ['double_blocks.0.a', [1]],
    ['double_blocks.18.a', [1]],
    ['single_blocks.3.a', [2, 3]],
  ]);

  it('answers pattern questions within the literal-prefix group', () => {
    const p = { source: '^double_blocks\\.(\\d+)\\.', re: /^double_blocks\.(\d+)\./, prefix: 'double_blocks.' };
    expect(view.captures(p).sort((a, b) => a - b)).toEqual([0, 18]);
    expect(view.firstMatch(p)).toBe('double_blocks.0.a');
  });

  it('gives sub-views without a prefix', () => {
    const sub = view.under('single_blocks.');
    expect(sub.size).toBe(1);
    expect(sub.shape('3.a')).toEqual([2, 3]);
  });
});
