/** In-memory builders for planner tests: no disk, no database. */
import type { DesiredLink } from '../../reconcile/desired.js';
import type { Manifests, TargetSpec, DeploymentSpec } from '../../reconcile/manifest-types.js';
import type { PlanInput } from '../../reconcile/plan.js';
import type { ActualState, Observed, RecordedLink } from '../../reconcile/plan-types.js';
import type { DeployModel } from '../../reconcile/select.js';

export const STORE = '/hub/models';

/** A 64-hex hash made from a short label, so tests read `hash('a')`. */
export function hash(label: string): string {
  return Buffer.from(label).toString('hex').padEnd(64, '0').slice(0, 64);
}

export function target(name: string, over: Partial<TargetSpec> = {}): TargetSpec {
  return {
    name,
    displayName: name,
    rootAsWritten: `/apps/${name}`,
    root: `/apps/${name}`,
    enabled: true,
    links: 'absolute',
    mappings: { lora: 'loras', checkpoint: 'checkpoints', vae: 'vae' },
    paths: {},
    source: { file: 'test.yaml', line: 1 },
    ...over,
  };
}

export function deployment(name: string, over: Partial<DeploymentSpec> = {}): DeploymentSpec {
  return { name, targets: ['comfy'], select: {}, exclude: null, path: '{name}', enabled: true, source: { file: 'test.yaml', line: 1 }, ...over };
}

export function manifests(over: Partial<Manifests> = {}): Manifests {
  return { dir: '/manifests', files: [], targets: [target('comfy')], deployments: [deployment('all')], overrides: [], ...over };
}

export function model(name: string, over: Partial<DeployModel> = {}): DeployModel {
  return { hash: hash(name), filename: name, name, format: 'safetensors', size: 10, type: 'lora', base: 'sdxl', variant: null, tags: [], ...over };
}

/** A desired link `/apps/<target>/<rel>` to model `name`. */
export function desired(rel: string, name: string, over: Partial<DesiredLink> = {}): DesiredLink {
  const h = over.model?.hash ?? hash(name);
  const storeFile = `${STORE}/${h}/${name}`;
  const t = over.target ?? 'comfy';
  return {
    target: t,
    path: `/apps/${t}/${rel}`,
    relPath: rel,
    model: { hash: h, name, type: 'lora', base: 'sdxl', variant: null },
    storeFile,
    linkTarget: storeFile,
    deployment: 'all',
    ...over,
  };
}

export function recorded(path: string, name: string, over: Partial<RecordedLink> = {}): RecordedLink {
  const h = over.hash ?? hash(name);
  return { target: 'comfy', path, linkTarget: `${STORE}/${h}/${name}`, hash: h, deployment: 'all', dev: 1, ino: 1, ...over };
}

export function actual(paths: Record<string, Observed> = {}, over: Partial<ActualState> = {}): ActualState {
  return { paths: new Map(Object.entries(paths)), missingStoreFiles: new Set(), missingRoots: new Set(), symlinkedFolders: new Map(), leftovers: [], ...over };
}

/** A symlink as observed at a recorded path: its text, and dev/ino 1/1 (the builders' recorded inode). */
export const link = (text: string, ino = 1): Observed => ({ kind: 'symlink', text, dev: 1, ino });
export const file = (size = 10, sha256?: string): Observed => ({ kind: 'file', size, mtimeMs: 1, ino: 1, ...(sha256 !== undefined ? { sha256 } : {}) });

export function planInput(over: Partial<PlanInput> = {}): PlanInput {
  return {
    desired: [],
    clashes: [],
    recorded: [],
    recordedDirs: [],
    actual: actual(),
    targets: [target('comfy')],
    recordedTargets: [],
    deployments: [{ name: 'all', enabled: true }],
    deletedModels: new Set(),
    modelNames: new Map(),
    overrideChanges: [],
    fingerprint: 'f',
    options: { target: null, adopt: false },
    ...over,
  };
}
