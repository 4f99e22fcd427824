import type { CivitaiClient } from '../classify/civitai-client.js';
import type { Classification, ClassifyInput, ClassifyOptions } from '../classify/types.js';
import type { Config } from '../core/config.js';
import type { Hub } from './hub.js';

export type FileClassifier = (input: ClassifyInput) => Classification;

/** Everything classification needs for one run, built from the config (every interface uses this). */
export interface ClassifierSetup {
  options: ClassifyOptions;
  /** null when CivitAI is off: offline, or `external_apis.civitai.enabled: false`. */
  civitai: CivitaiClient | null;
  /** Cache lifetimes for CivitAI answers (config cache_days / not_found_cache_days). */
  lookup: { foundTtlDays: number; notFoundTtlDays: number };
  classifyFile: FileClassifier;
}

export interface SetupOptions {
  env: NodeJS.ProcessEnv;
  /** The global --offline. */
  offline: boolean;
  /** Overrides the config switch and `offline` (reclassify --online / --offline). */
  online?: boolean | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * The classifier configured for a run: built-in rules plus the config's `rules` files, the
 * config's method weights and threshold, and the CivitAI client unless offline.
 */
export async function createClassifierSetup(config: Config, opts: SetupOptions): Promise<ClassifierSetup> {
  const { classifyModel, loadRuleSet, DEFAULT_WEIGHTS } = await import('../classify/index.js');
  const { createCivitaiClient } = await import('../classify/civitai-client.js');
  const options: ClassifyOptions = {
    threshold: config.confidence_threshold,
    weights: { ...DEFAULT_WEIGHTS, ...config.weights, manual: DEFAULT_WEIGHTS.manual },
    rules: loadRuleSet(config.rules),
  };
  const offline = opts.online === undefined ? opts.offline : !opts.online;
  const civitaiConfig = opts.online === true ? { external_apis: { civitai: { ...config.external_apis.civitai, enabled: true } } } : config;
  return {
    options,
    civitai: createCivitaiClient(civitaiConfig, { env: opts.env, offline, ...(opts.sleep ? { client: { sleep: opts.sleep } } : {}) }),
    lookup: { foundTtlDays: config.external_apis.civitai.cache_days, notFoundTtlDays: config.external_apis.civitai.not_found_cache_days },
    classifyFile: (input) => classifyModel(input, options),
  };
}

/** The rules of a run mirrored into the hub's classification.db (rewritten only when they changed). */
export async function mirrorRulesInto(hub: Hub, setup: ClassifierSetup, config: Config): Promise<void> {
  const { mirrorRules } = await import('./rules-mirror.js');
  const { base_url: baseUrl, enabled, ...settings } = config.external_apis.civitai;
  mirrorRules(hub.classificationDb, setup.options.rules, [{ name: 'civitai', baseUrl, enabled, settings }]);
}
