import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CivitaiClient, toCivitaiVersion } from '../../classify/civitai-client.js';
import { lookupCivitai } from '../../classify/civitai-lookup.js';
import { civitaiCache } from '../../store/civitai-cache.js';
import { classifyModel, DEFAULT_WEIGHTS, evidenceFromCivitai, loadRuleSet } from '../../classify/index.js';
import { openHub } from '../../store/hub.js';
import * as K from '../fixtures/keysets.js';
import { startFakeCivitai } from '../helpers/fake-civitai.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A CivitAI version lists more than its model: its VAE, text encoders, configs, training data
 * (files[].type, constants.modelFileTypes in CivitAI's source). The file whose hash matched
 * decides what the evidence says about that file.
 */

const rules = loadRuleSet();
const sha = (n: string): string => createHash('sha256').update(`file-${n}`).digest('hex').toUpperCase();

/** CivitAI's file types and the type each one gives, whatever the version's model.type; undefined: the model.type decides. */
const FILE_TYPES: Record<string, string | undefined> = {
  Model: undefined,
  'Pruned Model': undefined,
  Other: undefined,
  VAE: 'vae',
  'Text Encoder': 'text_encoder',
  'Vision Encoder': 'clip_vision',
  CLIPVision: 'clip_vision',
  UNet: 'unet',
  'Diffusion Model': 'unet',
  ControlNet: 'controlnet',
  Upscaler: 'upscaler',
  'Enhancement LoRA': 'lora',
  Negative: 'embedding',
  Config: 'other',
  'Training Data': 'other',
  Archive: 'other',
  Workflow: 'other',
};

const MODEL_TYPES: Record<string, string> = { Checkpoint: 'checkpoint', LORA: 'lora', LoCon: 'lora', VAE: 'vae', TextualInversion: 'embedding', Controlnet: 'controlnet', Upscaler: 'upscaler' };

describe('evidence from the matched file type', () => {
  it('gives every file type under every model type the type the file is', () => {
    for (const [modelType, fromModel] of Object.entries(MODEL_TYPES)) {
      for (const [fileType, fromFile] of Object.entries(FILE_TYPES)) {
        const [e] = evidenceFromCivitai({ modelType, fileType, baseModel: 'Pony' }, rules);
        const label = `${fileType} under ${modelType}`;
        expect(e?.type, label).toBe(fromFile ?? fromModel);
        expect(e?.observed, label).toContain(fileType === 'Model' ? modelType : fileType);
      }
    }
  });

  it('treats a Pruned Model like the Model, variant included', () => {
    for (const modelType of ['LoCon', 'DoRA', 'Checkpoint', 'LORA']) {
      for (const baseModel of ['Flux.1 D', 'SD 1.5', 'Pony']) {
        const model = evidenceFromCivitai({ modelType, fileType: 'Model', baseModel }, rules)[0];
        const pruned = evidenceFromCivitai({ modelType, fileType: 'Pruned Model', baseModel }, rules)[0];
        expect({ ...pruned, observed: '' }).toEqual({ ...model, observed: '' });
      }
    }
  });

  it("keeps the version's base on a component file but not the model type's variant", () => {
    expect(evidenceFromCivitai({ modelType: 'LoCon', fileType: 'Negative', baseModel: 'SD 1.5' }, rules)[0]).toMatchObject({ type: 'embedding', base: 'sd15' });
    expect(evidenceFromCivitai({ modelType: 'LoCon', fileType: 'Negative', baseModel: 'SD 1.5' }, rules)[0]?.variant).toBeUndefined();
    expect(evidenceFromCivitai({ modelType: 'Checkpoint', fileType: 'Diffusion Model', baseModel: 'Flux.1 D' }, rules)[0]).toMatchObject({ type: 'unet', base: 'flux', variant: 'dev' });
    expect(evidenceFromCivitai({ modelType: 'Checkpoint', fileType: 'VAE', baseModel: 'Flux.1 D' }, rules)[0]?.variant).toBeUndefined();
  });

  it('classifies a VAE listed under a Pony checkpoint as a VAE, at the confidence of agreeing evidence', () => {
    const header = K.headerFrom(K.sdVae(), {}, { fileName: 'vae.safetensors' });
    const run = (fileType: string) =>
      classifyModel(
        { fileName: 'vae.safetensors', size: header.size, header, extraEvidence: evidenceFromCivitai({ modelType: 'Checkpoint', baseModel: 'SDXL 1.0', fileType }, rules) },
        { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules },
      );
    const asVae = run('VAE');
    expect(asVae.type).toBe('vae');
    expect(asVae.confidence).toBeGreaterThan(run('Model').confidence);
    expect(asVae.candidates.find((c) => c.type === 'checkpoint')).toBeUndefined();
  });
});

describe('the matched file through the client and the cache', () => {
  it('answers each hash of a checkpoint version with its own file type, by batch and by GET, and keeps it in the cache', async () => {
    const fake = await startFakeCivitai();
    fake.addVersion({
      type: 'Checkpoint',
      baseModel: 'Pony',
      files: [{ sha256: sha('ckpt') }, { sha256: sha('pruned'), type: 'Pruned Model' }, { sha256: sha('vae'), type: 'VAE', autov3: 'ab'.repeat(6) }, { sha256: sha('yaml'), type: 'Config' }],
    });
    const c = new CivitaiClient({ baseUrl: fake.baseUrl, minIntervalMs: 0, maxRetries: 0 });
    expect((await c.getByHash('ab'.repeat(6)))?.version.fileType).toBe('VAE');
    expect((await c.getByHash(sha('yaml').slice(0, 10)))?.version.fileType).toBe('Config');
    const hub = openHub(tempDir());
    try {
      const items = ['ckpt', 'pruned', 'vae', 'yaml'].map((n) => ({ sha256: sha(n) }));
      const types = async (client: CivitaiClient | null) => {
        const results = await lookupCivitai(civitaiCache(hub.classificationDb), client, items);
        return items.map((i) => {
          const r = results.get(i.sha256);
          return r?.status === 'found' ? evidenceFromCivitai(toCivitaiVersion(r.version), rules)[0]?.type : r?.status;
        });
      };
      expect(await types(c)).toEqual(['checkpoint', 'checkpoint', 'vae', 'other']);
      expect(await types(null)).toEqual(['checkpoint', 'checkpoint', 'vae', 'other']); // offline, from the cache
    } finally {
      hub.close();
    }
  });
});
