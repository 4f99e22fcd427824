import type { CivitaiClient } from '../classify/civitai-client.js';
import type { Classification, ClassifyInput, ClassifyOptions } from '../classify/types.js';
import type { Hub } from '../store/hub.js';
import type { CommandContext } from './context.js';

export type FileClassifier = (input: ClassifyInput) => Classification;

/** Everything classification needs for one command run, built from the config. */
export interface ClassifierSetup {
  options: ClassifyOptions;
  /** null when CivitAI is off: `--offline`, or `external_apis.civitai.enabled: false`. */
  civitai: CivitaiClient | null;
  /** Cache lifetimes for CivitAI answers (config cache_days / not_found_cache_days). */
  lookup: { foundTtlDays: number; notFoundTtlDays: number };
  classifyFile: FileClassifier;
}

/**
 * The classifier configured for this run: built-in rules plus the config's `rules` files, the
 * config's method weights and threshold, and the CivitAI client unless offline. `online`
 * overrides the config switch and the global `--offline` (reclassify --online / --offline).
 */
export async function createClassifierSetup(ctx: CommandContext, opts: { online?: boolean } = {}): Promise<ClassifierSetup> {
  const { classifyModel, loadRuleSet, DEFAULT_WEIGHTS } = await import('../classify/index.js');
  const { createCivitaiClient } = await import('../classify/civitai-client.js');
  const config = ctx.config;
  const options: ClassifyOptions = {
    threshold: config.confidence_threshold,
    weights: { ...DEFAULT_WEIGHTS, ...config.weights, manual: DEFAULT_WEIGHTS.manual },
    rules: loadRuleSet(config.rules),
  };
  const offline = opts.online === undefined ? ctx.globals.offline === true : !opts.online;
  const civitaiConfig = opts.online === true ? { external_apis: { civitai: { ...config.external_apis.civitai, enabled: true } } } : config;
  return {
    options,
    civitai: createCivitaiClient(civitaiConfig, { env: ctx.io.env, offline, client: { sleep: ctx.io.sleep } }),
    lookup: { foundTtlDays: config.external_apis.civitai.cache_days, notFoundTtlDays: config.external_apis.civitai.not_found_cache_days },
    classifyFile: (input) => classifyModel(input, options),
  };
}

/** The rules of this run mirrored into the hub's classification.db (rewritten only when they changed). */
export async function mirrorRulesInto(hub: Hub, setup: ClassifierSetup, ctx: CommandContext): Promise<void> {
  const { mirrorRules } = await import('../classify/mirror.js');
  const civitai = ctx.config.external_apis.civitai;
  const { base_url: baseUrl, enabled, ...settings } = civitai;
  mirrorRules(hub.classificationDb, setup.options.rules, [{ name: 'civitai', baseUrl, enabled, settings }]);
}
