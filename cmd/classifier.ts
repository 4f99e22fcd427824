import type { Config } from '../core/config.js';
import type { ModelHeader } from '../formats/types.js';
import type { Classification } from '../classify/types.js';

export type FileClassifier = (input: { fileName: string; size: number; header: ModelHeader }) => Classification;

/** The classifier configured for this run: rules, method weights and threshold from the config. */
export async function createClassifier(config: Config): Promise<FileClassifier> {
  const { classifyModel, loadRuleSet, DEFAULT_WEIGHTS } = await import('../classify/index.js');
  const rules = loadRuleSet();
  const opts = { threshold: config.confidence_threshold, weights: DEFAULT_WEIGHTS, rules };
  return (input) => classifyModel(input, opts);
}
