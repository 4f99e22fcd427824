import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evidenceFromCivitai, loadRuleSet } from '../../classify/index.js';

/**
 * CivitAI's `enum ModelType` (packages/civitai-db-schema/prisma/schema.full.prisma, also what
 * GET /api/v1/enums answers, as of 2026-08), and the type ModelHub gives each value.
 */
const CIVITAI_MODEL_TYPES: Record<string, string> = {
  Checkpoint: 'checkpoint',
  TextualInversion: 'embedding',
  Hypernetwork: 'hypernetwork',
  AestheticGradient: 'other',
  LORA: 'lora',
  LoCon: 'lora',
  DoRA: 'lora',
  Controlnet: 'controlnet',
  Upscaler: 'upscaler',
  MotionModule: 'motion_module',
  VAE: 'vae',
  TextEncoder: 'text_encoder',
  UNet: 'unet',
  CLIPVision: 'clip_vision',
  Poses: 'other',
  Wildcards: 'other',
  Workflows: 'other',
  ComfyWorkflows: 'other',
  Detection: 'other',
  VisionLanguage: 'llm',
  CLIP: 'text_encoder',
  LLM: 'llm',
  Other: 'other',
};

const rules = loadRuleSet();

describe("CivitAI's model types", () => {
  it('maps every value CivitAI has, in any case, and only those', () => {
    for (const [name, type] of Object.entries(CIVITAI_MODEL_TYPES)) {
      for (const spelt of [name, name.toLowerCase(), name.toUpperCase()]) {
        expect(evidenceFromCivitai({ modelType: spelt }, rules)[0]?.type, spelt).toBe(type);
      }
    }
    const file = parse(readFileSync(new URL('../../classify/rules/civitai.yaml', import.meta.url), 'utf8')) as { civitai: { model_types: Array<{ name: string }> } };
    expect(file.civitai.model_types.map((m) => m.name).sort()).toEqual(Object.keys(CIVITAI_MODEL_TYPES).sort());
  });

  it('says nothing about a type it does not know', () => {
    expect(evidenceFromCivitai({ modelType: 'Hologram' }, rules)).toEqual([]);
    expect(evidenceFromCivitai({ modelType: 'Hologram', baseModel: 'SD 1.5' }, rules)[0]).toMatchObject({ base: 'sd15' });
    expect(evidenceFromCivitai({ modelType: 'Hologram', baseModel: 'SD 1.5' }, rules)[0]?.type).toBeUndefined();
  });
});
