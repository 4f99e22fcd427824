/** The human view of `modelhub explain`, pinned over a hand-made explanation. */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../../cmd/render/explain.js';
import { adviseOn, type Explanation } from '../../store/explain.js';

const plain = new Chalk({ level: 0 });

describe('explain view', () => {
  it('shows the decision with its Override, the classifier alone, evidence, candidates, CivitAI and the advice', () => {
    const hash = 'd24f29e69dfb'.padEnd(64, '0');
    const decision = { type: 'lora', base: 'flux', variant: 'lora', confidence: 1 };
    const classifier = { type: 'lora', base: 'sdxl', variant: 'lora', confidence: 0.77 };
    const override = { type: null, base: 'flux', variant: null, name: null, tags: [], origin: 'manifests/fix.yaml:3' };
    const evidence = [{ method: 'tensors' as const, observed: 'lora_unet_* keys (kohya)', type: 'lora', base: 'sdxl', weight: 1 }];
    const explanation = {
      hash,
      name: 'xl_style (1).safetensors',
      decision,
      override,
      classifier,
      evidence,
      candidates: [{ type: 'lora', base: 'sdxl', score: 0.77 }],
      civitai: { status: 'not-found' },
      sidecars: [],
      error: null,
      whatWouldChangeIt: adviseOn({ decision, classifier: { ...classifier, evidence }, override, civitai: 'not-found', online: false, hash, threshold: 0.5 }),
    } as unknown as Explanation;
    expect(renderExplanation(explanation, plain, { online: false })).toMatchInlineSnapshot(`
      "xl_style (1).safetensors  d24f29e69dfb
        is lora (lora), base flux, confidence 100%  — set by an Override (manifests/fix.yaml:3)
        the classifier alone says lora/sdxl/lora (77%)

      evidence
        tensors   lora / sdxl                  w=1.00  lora_unet_* keys (kohya)

      candidates
        lora/sdxl                        77%

      CivitAI
        not on CivitAI (by SHA-256 or AutoV3)

      what would change it
        - an Override in the manifests (manifests/fix.yaml:3) sets it; remove or change it there and run \`modelhub apply\`"
    `);
  });
});
