/**
 * Bytes read to classify large model files (target: well under 1% of the file). Writes sparse
 * files with real headers (a 23.8 GB Flux diffusion model, a 6.9 GB SDXL checkpoint, a 7.7 GB
 * torch zip checkpoint, a GGUF LLM with a 128k-token vocabulary), then reads and classifies
 * each, reporting bytes read (counted by the reader) and time.
 * Usage: npm run bench -- inspect [--dir DIR]
 */
import { join } from 'node:path';
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet } from '../classify/index.js';
import { readModelHeader } from '../formats/read.js';
import * as K from '../test/fixtures/keysets.js';
import { ggufValue, tensor, writeGguf, writeSafetensors, writeTorchZip } from '../test/fixtures/writers.js';
import { benchDir, best, table } from './lib.js';

const GB = 1e9;

async function main(): Promise<void> {
  const dir = benchDir('inspect');
  const files: Array<{ name: string; make: (p: string) => Promise<void> }> = [
    { name: 'flux1-dev.safetensors', make: (p) => writeSafetensors(p, K.fluxUnet({ variant: 'dev', dtype: 'BF16' }), { size: Math.round(23.8 * GB) }) },
    { name: 'sd_xl_base_1.0.safetensors', make: (p) => writeSafetensors(p, K.sdxlCheckpoint(), { size: Math.round(6.9 * GB) }) },
    {
      name: 'v1-5-pruned.ckpt',
      make: (p) =>
        writeTorchZip(p, { state_dict: Object.fromEntries(K.sd15Checkpoint().map((t) => [t.name, tensor(t.shape, 'F32')])), global_step: 840000 }, { size: Math.round(7.7 * GB) }),
    },
    {
      name: 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf',
      make: (p) =>
        writeGguf(p, {
          kv: { ...K.ggufLlmMetadata('llama'), 'tokenizer.ggml.tokens': ggufValue('array', Array.from({ length: 128256 }, (_, i) => `tok${i}`), 'string') } as never,
          tensors: K.ggufLlm(),
          size: Math.round(4.9 * GB),
        }),
    },
  ];
  const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules: loadRuleSet() };
  const classify = (input: Parameters<typeof classifyModel>[0]) => classifyModel(input, opts);
  const rows = [];
  for (const f of files) {
    const path = join(dir, f.name);
    await f.make(path);
    const r = await best(3, async () => {
      const h = await readModelHeader(path);
      return { h, c: classify({ fileName: f.name, size: h.size, header: h }) };
    });
    const { h, c } = r.value;
    rows.push({
      file: f.name,
      size: `${(h.size / GB).toFixed(1)} GB`,
      'bytes read': h.bytesRead.toLocaleString('en'),
      'share read': `${((100 * h.bytesRead) / h.size).toFixed(4)}%`,
      'read+classify ms': (r.seconds * 1000).toFixed(1),
      result: `${c.type}/${c.base}`,
    });
  }
  console.log(table(rows));
  console.log('target: share read well under 1%');
}

await main();
