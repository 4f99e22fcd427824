import type { Config } from '../core/config.js';
import { hubLayout } from '../store/hub.js';
import type { Manifests } from './manifest-types.js';
import { loadManifests } from './manifests.js';
import { manifestCacheFile } from '../core/yaml-cache.js';

/**
 * Everything the manifests are loaded and checked with: the folder, the hub they may not deploy
 * into, the environment their paths expand with, the folder problems are named relative to, and
 * the bases the user's rule files declare. Built once per command from the config, so
 * `validate`, `plan`, `apply` and `status` (and every later interface) judge the same manifests
 * the same way.
 */
export interface DeploymentContext {
  manifestsDir: string;
  /** The hub folder and its store: a root or mapped folder resolving into either is a problem. */
  hubDir: string;
  storeDir: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Bases declared by the user's classification rule files (config `rules`), valid beside the built-in ones. */
  extraBases: ReadonlySet<string>;
}

/** The config keys a deployment context is made from. */
export type DeploymentConfig = Pick<Config, 'hub' | 'manifests' | 'rules'>;

/**
 * The deployment context of `config`, for a command running with `io`'s environment and working
 * folder. Reads the user's rule files for the bases they declare (a file that cannot be read
 * declares nothing here; the classifier reports it); opens no hub. The rule reader (and the
 * classifier modules behind it) loads only when the config names rule files.
 */
export async function loadDeploymentContext(config: DeploymentConfig, io: { env: NodeJS.ProcessEnv; cwd: string }): Promise<DeploymentContext> {
  const layout = hubLayout(config.hub);
  const extraBases = config.rules.length === 0 ? new Set<string>() : (await import('../classify/load-rules.js')).readDeclaredBases(config.rules);
  return {
    manifestsDir: config.manifests,
    hubDir: layout.root,
    storeDir: layout.modelsDir,
    env: io.env,
    cwd: io.cwd,
    extraBases,
  };
}

/** Load and check the manifests of `context` (see loadManifests: every problem, then one error). */
export function openManifests(context: DeploymentContext): Manifests {
  return loadManifests(context.manifestsDir, {
    env: context.env,
    cwd: context.cwd,
    storeDir: context.storeDir,
    hubDir: context.hubDir,
    extraBases: context.extraBases,
    cacheFile: manifestCacheFile(context.hubDir),
  });
}
