/** The human view of `modelhub inspect`, pinned over hand-made results. */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderInspect } from '../../cmd/render/inspect.js';

const plain = new Chalk({ level: 0 });

describe('inspect view', () => {
  it('shows the classification, facts, CivitAI, the unsafe warning and the evidence; errors with their hint', () => {
    const out = renderInspect(
      [
        {
          path: '/dl/ponyStyle_v2.safetensors',
          format: 'safetensors',
          container: 'safetensors',
          size: 114_000_000,
          tensors: 722,
          sha256: '6a74feb75aa1'.padEnd(64, '0'),
          type: 'lora',
          base: 'pony',
          variant: 'lora',
          confidence: 0.97,
          evidence: [{ method: 'tensors', observed: 'lora_unet_* keys (kohya)', type: 'lora', weight: 1 }],
          civitai: { status: 'found', url: 'https://civitai.com/models/1?modelVersionId=2' },
          bytesRead: 120_000,
        },
        { path: '/dl/old.ckpt', format: 'ckpt', container: 'torch-legacy', size: 4_000_000, tensors: 10, type: 'checkpoint', base: 'sd15', variant: null, confidence: 0.6, evidence: [], unsafe: ['os.system'], bytesRead: 65_536 },
        { path: '/dl/page.safetensors', format: 'safetensors', error: { code: 'ERR_MODELHUB_UNKNOWN_FORMAT', message: '/dl/page.safetensors: looks like an HTML page', hint: 're-download it' } },
      ],
      plain,
    );
    expect(out).toMatchInlineSnapshot(`
      "/dl/ponyStyle_v2.safetensors
        lora (lora)  base pony  confidence 97%
        safetensors (safetensors), 114 MB, 722 tensors, 120 KB read, sha256 6a74feb75aa1
        CivitAI: found https://civitai.com/models/1?modelVersionId=2
        tensors   lora                         w=1.00  lora_unet_* keys (kohya)

      /dl/old.ckpt
        checkpoint  base sd15  confidence 60%
        ckpt (torch-legacy), 4.0 MB, 10 tensors, 65.5 KB read
        warning: unsafe to load: os.system (ModelHub never executes pickles)
        (none)

      /dl/page.safetensors
        error: /dl/page.safetensors: looks like an HTML page
        hint: re-download it"
    `);
  });
});
