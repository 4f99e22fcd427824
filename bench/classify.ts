/**
 * Classifying one header (target: ≤ 2 ms for a 3,000-key LoRA, issue 13): the median of
 * classifyModel over repeated calls, after warm-up, for an SDXL checkpoint (~2,500 keys) and
 * large LoRAs, the rule set loaded once. In-process: it measures the classifier alone (a whole
 * `inspect` adds Node's start and reading the file, which the other rows measure).
 *   npm run bench -- classify [--runs N]   (N: calls per header, default 51)
 */
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet, type ClassifyInput } from '../classify/index.js';
import * as K from '../test/fixtures/keysets.js';
import type { Harness } from './harness.js';
import { numberFlag } from './lib.js';

export async function measure(h: Harness): Promise<void> {
  const calls = numberFlag('--calls') ?? 51;
  const rules = loadRuleSet();
  const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };
  const medianMs = (input: ClassifyInput): { median: number; samples: number[] } => {
    for (let i = 0; i < 5; i++) classifyModel(input, opts);
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      classifyModel(input, opts);
      times.push(performance.now() - t0);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { median: sorted[Math.floor(calls / 2)] ?? Infinity, samples: times };
  };
  const samples: Array<[string, K.FixtureTensor[]]> = [
    ['sd_xl_base_1.0.safetensors', K.sdxlCheckpoint()],
    ['flux_lora.safetensors', K.kohyaLora({ base: 'flux', te: true })],
    ['sdxl_lora.safetensors', K.kohyaLora({ base: 'sdxl', te: true })],
    ['sdxl_locon.safetensors', K.kohyaLora({ base: 'sdxl', te: true, algo: 'locon' })],
  ];
  for (const [name, tensors] of samples) {
    const header = K.headerFrom(tensors, {}, { fileName: name });
    const { median, samples: times } = medianMs({ fileName: name, size: header.size, header });
    const lora = name.includes('lora') || name.includes('locon');
    h.row({
      work: `classify one ${tensors.length.toLocaleString('en-US')}-key ${lora ? 'LoRA' : 'checkpoint'} header (${name})`,
      value: median,
      unit: 'ms',
      ...(lora && tensors.length >= 2000 ? { goal: { atMost: 2 } } : {}),
      note: `median of ${calls} calls, in-process`,
      samples: times,
    });
  }
}
