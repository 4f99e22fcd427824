import { describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet, type ClassifyInput } from '../../classify/index.js';
import * as K from '../fixtures/keysets.js';

const rules = loadRuleSet();
const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };

/** Median wall time of classifyModel over `runs` calls, after a few warm-up calls. */
function medianMs(input: ClassifyInput, runs = 25): number {
  for (let i = 0; i < 3; i++) classifyModel(input, opts);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    classifyModel(input, opts);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? Infinity;
}

function inputFor(fileName: string, tensors: K.FixtureTensor[]): ClassifyInput {
  const header = K.headerFrom(tensors, {}, { fileName });
  return { fileName, size: header.size, header };
}

describe('classifyModel speed', () => {
  it('classifies an SDXL checkpoint (~2,500 keys) and large LoRAs well under 10 ms', () => {
    const samples: [string, K.FixtureTensor[]][] = [
      ['sd_xl_base_1.0.safetensors', K.sdxlCheckpoint()],
      ['flux_lora.safetensors', K.kohyaLora({ base: 'flux', te: true })],
      ['sdxl_lora.safetensors', K.kohyaLora({ base: 'sdxl', te: true })],
    ];
    expect(samples[0]?.[1].length).toBeGreaterThan(2400);
    expect(samples[1]?.[1].length).toBeGreaterThan(1000);
    const report = samples.map(([name, tensors]) => ({ name, keys: tensors.length, ms: medianMs(inputFor(name, tensors)) }));
    console.log(report.map((r) => `${r.name} (${r.keys} keys): ${r.ms.toFixed(2)} ms median`).join('\n'));
    for (const r of report) expect(r.ms).toBeLessThan(10);
  });
});
