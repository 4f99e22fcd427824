import type { Config } from '../core/config.js';
import type { DeploymentContext } from '../reconcile/deployment-context.js';
import type { ClassifierSetup } from '../store/classifier-setup.js';
import type { Hub } from '../store/hub.js';
import { getModelBySha, type ModelRow } from '../store/inventory.js';
import type { ClipboardOptions } from './clipboard.js';
import type { Event } from './effects.js';

/** What the effect runner works with: the open hub, the config, the environment, the terminal. */
export interface RunnerDeps {
  hub: Hub;
  config: Config;
  context: DeploymentContext;
  /** --offline: no CivitAI lookups. */
  offline: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** --lock-timeout, in milliseconds. */
  lockTimeoutMs: number;
  clipboard: Omit<ClipboardOptions, 'env'>;
}

export type Dispatch = (e: Event) => void;

/** The classifier setup, built on first use (rules are read once per TUI session). */
export type SetupSource = () => Promise<ClassifierSetup>;

/** The models of these hashes (each must still be in the inventory). */
export function modelsOf(hub: Hub, hashes: string[]): ModelRow[] {
  return hashes.map((h) => getModelBySha(hub.db, h)).filter((m): m is ModelRow => m !== undefined);
}

