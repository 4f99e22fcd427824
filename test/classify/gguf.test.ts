import { describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet, type Classification } from '../../classify/index.js';
import type { MetadataValue } from '../../formats/types.js';
import * as K from '../fixtures/keysets.js';

const rules = loadRuleSet();
const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };

function classifyGguf(fileName: string, tensors: K.FixtureTensor[], metadata: Record<string, MetadataValue>): Classification {
  const header = K.headerFrom(tensors, metadata, { fileName, format: 'gguf' });
  return classifyModel({ fileName, size: header.size, header }, opts);
}

describe('GGUF files', () => {
  it('a llama.cpp model is an llm whose base is general.architecture', () => {
    const r = classifyGguf('Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', K.ggufLlm(), K.ggufLlmMetadata('llama'));
    expect([r.type, r.base]).toEqual(['llm', 'llama']);
    expect(r.evidence.find((e) => e.rule === 'gguf-llm')?.observed).toBe('general.architecture = llama');
    expect(r.evidence.find((e) => e.rule === 'llm-gguf')?.observed).toContain('quantised Q4_K');
  });

  it('any architecture name becomes the llm base', () => {
    const r = classifyGguf('gemma-3-4b-it-Q8_0.gguf', K.ggufLlm({ hidden: 2560, layers: 4 }), K.ggufLlmMetadata('gemma3', 'Gemma 3 4B'));
    expect([r.type, r.base]).toEqual(['llm', 'gemma3']);
  });

  it('a ComfyUI-GGUF Flux model is a unet, from its architecture and its original key names', () => {
    const r = classifyGguf('flux1-dev-Q4_K_S.gguf', K.ggufQuantised(K.fluxUnet()), K.ggufUnetMetadata('flux'));
    expect([r.type, r.base, r.variant]).toEqual(['unet', 'flux', 'dev']);
    expect(r.evidence.map((e) => e.rule)).toEqual(expect.arrayContaining(['flux', 'gguf-arch-flux']));
  });

  it.each([
    ['sd1', 'sd15'],
    ['aura', 'auraflow'],
    ['hyvid', 'hunyuan_video'],
    ['lumina2', 'lumina'],
    ['qwen_image', 'qwen_image'],
  ])('maps the city96 architecture %s to base %s', (arch, base) => {
    const r = classifyGguf('model-Q5_K_M.gguf', [{ name: 'unrecognised.weight', dtype: 'Q5_K', shape: [3072, 3072] }], K.ggufUnetMetadata(arch));
    expect([r.type, r.base]).toEqual(['unet', base]);
  });

  it('a compat file without an architecture is detected from its keys', () => {
    const r = classifyGguf('wan2.1-i2v-14b-480p-Q8_0.gguf', K.ggufQuantised(K.wanUnet({ mode: 'i2v' }), 'Q8_0'), {});
    expect([r.type, r.base, r.variant]).toEqual(['unet', 'wan', 'i2v-14b']);
  });

  it('"pig"/"cow" compat markers conclude nothing; the keys still decide', () => {
    const r = classifyGguf('sdxl-compat.gguf', K.ggufQuantised(K.sdxlUnet()), { 'general.architecture': 'pig' });
    expect([r.type, r.base]).toEqual(['unet', 'sdxl']);
    expect(r.evidence.find((e) => e.rule === 'gguf-arch-compat')?.weight).toBe(0);
  });

  it('T5 and UMT5 encoder GGUFs are text encoders (UMT5 for Wan, by vocabulary)', () => {
    const t5 = classifyGguf('t5-v1_1-xxl-encoder-Q8_0.gguf', K.ggufT5Encoder(), { 'general.architecture': 't5encoder' });
    const umt5 = classifyGguf('umt5-xxl-encoder-Q8_0.gguf', K.ggufT5Encoder({ umt5: true }), { 'general.architecture': 't5encoder' });
    expect([t5.type, t5.base, t5.variant]).toEqual(['text_encoder', 'unknown', 't5xxl']);
    expect([umt5.type, umt5.base, umt5.variant]).toEqual(['text_encoder', 'wan', 'umt5xxl']);
  });

  it('a llama.cpp LoRA adapter is a lora for its architecture', () => {
    const r = classifyGguf('adapter-f16.gguf', K.ggufLoraAdapter(), K.ggufLoraAdapterMetadata('llama'));
    expect([r.type, r.base, r.variant]).toEqual(['lora', 'llama', 'lora']);
    expect(r.candidates.find((c) => c.type === 'llm')).toBeUndefined();
  });
});
