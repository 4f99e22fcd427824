/**
 * Classifying one header (target: ≤ 2 ms for a 3,000-key LoRA, issue "Speed at scale"): the
 * median of classifyModel over repeated calls, after warm-up, for an SDXL checkpoint (~2,500
 * keys) and two large LoRAs. In-process: it measures the classifier, not process start.
 * Usage: npm run bench -- classify [--runs N]
 */
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet, type ClassifyInput } from '../classify/index.js';
import * as K from '../test/fixtures/keysets.js';
import { table } from './lib.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 51;
const rules = loadRuleSet();
const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };

function medianMs(input: ClassifyInput): number {
  for (let i = 0; i < 5; i++) classifyModel(input, opts);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    classifyModel(input, opts);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? Infinity;
}

const samples: Array<[string, K.FixtureTensor[]]> = [
  ['sd_xl_base_1.0.safetensors', K.sdxlCheckpoint()],
  ['flux_lora.safetensors', K.kohyaLora({ base: 'flux', te: true })],
  ['sdxl_lora.safetensors', K.kohyaLora({ base: 'sdxl', te: true })],
];
console.log(
  table(
    samples.map(([name, tensors]) => {
      const header = K.headerFrom(tensors, {}, { fileName: name });
      return { file: name, keys: tensors.length, 'median ms': medianMs({ fileName: name, size: header.size, header }).toFixed(2), target: '≤ 2 ms' };
    }),
  ),
);
