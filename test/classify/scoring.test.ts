import { describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, evidenceFromCivitai, loadRuleSet, type Classification, type ClassifyInput, type Evidence } from '../../classify/index.js';
import * as K from '../fixtures/keysets.js';

const rules = loadRuleSet();
const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };

function input(fileName: string, tensors: K.FixtureTensor[], extraEvidence?: Evidence[]): ClassifyInput {
  const header = K.headerFrom(tensors, {}, { fileName });
  return { fileName, size: header.size, header, ...(extraEvidence === undefined ? {} : { extraEvidence }) };
}

function classify(fileName: string, tensors: K.FixtureTensor[], extra?: Evidence[], o = opts): Classification {
  return classifyModel(input(fileName, tensors, extra), o);
}

describe('threshold and unknown', () => {
  it('below the threshold the answer is unknown, and the candidates remain', () => {
    const r = classify('mystery_lora_xl.safetensors', [{ name: 'w0', shape: [16, 16] }]);
    expect([r.type, r.base, r.variant]).toEqual(['unknown', 'unknown', null]);
    expect(r.confidence).toBeLessThan(0.5);
    expect(r.candidates[0]).toMatchObject({ type: 'lora', base: 'sdxl' });
  });

  it('a higher threshold turns a confident answer into unknown, keeping it as first candidate', () => {
    const r = classify('flux1-dev.safetensors', K.fluxUnet(), undefined, { ...opts, threshold: 0.99 });
    expect(r.type).toBe('unknown');
    expect(r.candidates[0]).toMatchObject({ type: 'unet', base: 'flux' });
    expect(r.confidence).toBe(r.candidates[0]?.score);
  });

  it('no evidence at all gives unknown with confidence 0 and no candidates', () => {
    const r = classifyModel({ fileName: 'data.bin', size: 0 }, opts);
    expect(r).toMatchObject({ type: 'unknown', base: 'unknown', variant: null, confidence: 0, candidates: [] });
  });
});

describe('manual and CivitAI evidence', () => {
  it('manual evidence is final, with confidence 1', () => {
    const manual: Evidence = { method: 'manual', observed: 'override in manifests/overrides.yaml', type: 'lora', base: 'illustrious', weight: 1 };
    const r = classify('x.safetensors', K.kohyaLora({ base: 'flux' }), [manual]);
    expect([r.type, r.base, r.confidence]).toEqual(['lora', 'illustrious', 1]);
    expect(r.evidence.some((e) => e.method === 'tensors')).toBe(true);
  });

  it('CivitAI resolves an SDXL-shaped file to Pony', () => {
    const plain = classify('character.safetensors', K.kohyaLora({ base: 'sdxl' }));
    const civitai = evidenceFromCivitai({ modelType: 'LORA', baseModel: 'Pony', label: 'model 12345' }, rules);
    const r = classify('character.safetensors', K.kohyaLora({ base: 'sdxl' }), civitai);
    expect(plain.base).toBe('sdxl');
    expect(r.base).toBe('pony');
    expect(r.confidence).toBeGreaterThan(plain.confidence);
    expect(r.evidence.find((e) => e.method === 'civitai')).toMatchObject({ type: 'lora', base: 'pony', weight: DEFAULT_WEIGHTS.civitai });
  });

  it('CivitAI cannot turn a Flux-shaped file into an SDXL family', () => {
    const civitai = evidenceFromCivitai({ modelType: 'LORA', baseModel: 'Illustrious' }, rules);
    const r = classify('x.safetensors', K.kohyaLora({ base: 'flux' }), civitai);
    expect(r.base).toBe('flux');
  });

  it('maps CivitAI types with their variants and ignores names it does not know', () => {
    expect(evidenceFromCivitai({ modelType: 'LoCon', baseModel: 'SD 1.5' }, rules)[0]).toMatchObject({ type: 'lora', base: 'sd15', variant: 'locon' });
    expect(evidenceFromCivitai({ modelType: 'Hologram', baseModel: 'Imagen4' }, rules)).toEqual([]);
  });

  it('scales extra evidence by the method weight and leaves the input untouched', () => {
    const extra: Evidence[] = [{ method: 'sidecar', observed: 'model.civitai.info: baseModel SDXL 1.0', base: 'sdxl', weight: 0.5 }];
    const r = classify('x.safetensors', K.kohyaLora({ base: 'sdxl' }), extra);
    expect(r.evidence.find((e) => e.method === 'sidecar')?.weight).toBeCloseTo(DEFAULT_WEIGHTS.sidecar * 0.5);
    expect(extra[0]?.weight).toBe(0.5);
  });
});

describe('agreement and disagreement move confidence', () => {
  const lora = K.kohyaLora({ base: 'flux' });

  it('a name that agrees raises it; one that disagrees lowers it, without changing the answer', () => {
    const neutral = classify('character_v2.safetensors', lora);
    const agrees = classify('flux_character_lora.safetensors', lora);
    const disagrees = classify('sdxl_character.safetensors', lora);
    expect([agrees.base, neutral.base, disagrees.base]).toEqual(['flux', 'flux', 'flux']);
    expect(agrees.confidence).toBeGreaterThan(neutral.confidence);
    expect(disagrees.confidence).toBeLessThan(neutral.confidence);
  });

  it('agreeing metadata raises it further', () => {
    const header = K.headerFrom(lora, K.kohyaLoraMetadata({ base: 'flux' }), { fileName: 'flux_lora.safetensors' });
    const both = classifyModel({ fileName: 'flux_lora.safetensors', size: header.size, header }, opts);
    expect(both.confidence).toBeGreaterThan(classify('flux_lora.safetensors', lora).confidence);
  });

  it('changing method weights changes how much a method counts', () => {
    const noNames = { ...opts, weights: { ...DEFAULT_WEIGHTS, filename: 0 } };
    const r = classify('sdxl_character.safetensors', lora, undefined, noNames);
    expect(r.confidence).toBe(classify('character_v2.safetensors', lora, undefined, noNames).confidence);
  });
});

describe('bases and variants that weights cannot tell apart', () => {
  it('an SD VAE is assumed sd15 with less confidence, unless its name says otherwise', () => {
    const bare = classify('vae.safetensors', K.sdVae());
    const named = classify('sdxl_vae.safetensors', K.sdVae());
    expect([bare.type, bare.base, named.base]).toEqual(['vae', 'sd15', 'sdxl']);
    expect(bare.confidence).toBeLessThan(classify('wan_2.1_vae.safetensors', K.wanVae('2.1')).confidence);
    expect(named.evidence.some((e) => e.rule === 'vae-kl#fallback' && e.fallback === true)).toBe(true);
  });

  it('a fallback base is known by its flag, not by how its rule id reads', () => {
    const guess: Evidence = { method: 'metadata', observed: 'assumed', base: 'sd2', weight: 1, fallback: true };
    const lookalike: Evidence = { method: 'metadata', observed: 'said so', base: 'sd2', weight: 1, rule: 'mine#fallback' };
    // The name says sdxl: a flagged guess steps aside, evidence that merely reads like one counts.
    expect(classify('sdxl_vae.safetensors', K.sdVae(), [guess]).base).toBe('sdxl');
    expect(classify('sdxl_vae.safetensors', K.sdVae(), [lookalike]).base).toBe('sd2');
  });

  it('a refinement variant from the name beats its parent from the keys (Kontext over dev)', () => {
    expect(classify('flux1-kontext-dev.safetensors', K.fluxUnet()).variant).toBe('kontext');
  });

  it('a contradicting variant from the name does not beat the keys (dev keys named schnell)', () => {
    expect(classify('flux1-schnell.safetensors', K.fluxUnet({ variant: 'dev' })).variant).toBe('dev');
  });

  it('Wan 2.2 high/low-noise experts keep the name as a qualifier of the variant', () => {
    expect(classify('wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors', K.wanUnet({ wan22: true })).variant).toBe('t2v-14b-high_noise');
  });

  it('is pure: the same input gives the same answer', () => {
    const a = classifyModel(input('sd_xl_base_1.0.safetensors', K.sdxlCheckpoint()), opts);
    const b = classifyModel(input('sd_xl_base_1.0.safetensors', K.sdxlCheckpoint()), opts);
    expect(b).toEqual(a);
  });
});
