/**
 * Generated inputs for the whole-command benchmarks: a hub with N models and a manifest that
 * deploys every one of them, plus the same tree as a GNU Stow package. Models are rows written
 * straight into the inventory with tiny real store files (their content does not matter to
 * planning or listing, and a real scan of 100,000 files is a benchmark of its own). Built once
 * per N under the benchmark folder and reused by later runs (a `ready` marker says it is whole).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHub } from '../store/hub.js';

export interface DeployWorld {
  root: string;
  hub: string;
  manifests: string;
  /** the target's root: apply makes <app>/<folder>/<name> links */
  app: string;
  stowDir: string;
  stowTarget: string;
  storeFiles: string[];
  /** the environment the commands run in: a config folder of their own */
  env: NodeJS.ProcessEnv;
  /** global options naming the hub and manifests */
  globals: string[];
}

/** 3 in 5 are LoRAs (the collectors' case), the rest checkpoints and VAEs over five bases. */
const TYPES = ['lora', 'lora', 'lora', 'checkpoint', 'vae'] as const;
const FOLDERS: Record<(typeof TYPES)[number], string> = { lora: 'loras', checkpoint: 'checkpoints', vae: 'vae' };
const BASES = ['sdxl', 'sd15', 'flux', 'pony', 'illustrious'];

export function deployWorld(parent: string, models: number): DeployWorld {
  const root = join(parent, `world-${models}`);
  const world: DeployWorld = {
    root,
    hub: join(root, 'hub'),
    manifests: join(root, 'manifests'),
    app: join(root, 'app'),
    stowDir: join(root, 'stow'),
    stowTarget: join(root, 'stow-target'),
    storeFiles: [],
    env: { XDG_CONFIG_HOME: join(root, 'xdg'), MODELHUB_HUB: '', MODELHUB_MANIFESTS: '', MODELHUB_CONFIG: '' },
    globals: ['--hub', join(root, 'hub'), '--manifests', join(root, 'manifests')],
  };
  for (let i = 0; i < models; i++) world.storeFiles.push(storeFile(world.hub, i));
  if (existsSync(join(root, 'ready'))) {
    openHub(world.hub).close(); // brings an inventory made by an older ModelHub up to date
    return world;
  }
  rmSync(root, { recursive: true, force: true });
  buildHub(world, models);
  buildStowPackage(world);
  writeFileSync(join(root, 'ready'), `${models}\n`);
  return world;
}

function identity(i: number): { sha: string; name: string; content: string } {
  const content = `bench model ${i}\n`;
  const sha = createHash('sha256').update(content).digest('hex');
  const name = `${BASES[(i >> 2) % BASES.length]}-${TYPES[i % TYPES.length]}-${String(i).padStart(6, '0')}.safetensors`;
  return { sha, name, content };
}

function storeFile(hubDir: string, i: number): string {
  const { sha, name } = identity(i);
  return join(hubDir, 'models', sha, name);
}

function buildHub(world: DeployWorld, models: number): void {
  const hub = openHub(world.hub);
  // A model's name (the link name) is a column of newer inventories; older ones derive it from the filename.
  const named = (hub.db.prepare('PRAGMA table_info(models)').all() as Array<{ name: string }>).some((c) => c.name === 'name');
  const insert = hub.db.prepare(
    `INSERT INTO models (sha256, filename, ${named ? 'name, ' : ''}file_size, format, primary_type, base_model, sub_type, confidence) VALUES (?, ?, ${named ? '?, ' : ''}?, 'safetensors', ?, ?, ?, 0.9)`,
  );
  const source = hub.db.prepare("INSERT INTO model_sources (model_id, path, state) VALUES (?, ?, 'linked')");
  hub.db.transaction(() => {
    for (let i = 0; i < models; i++) {
      const { sha, name, content } = identity(i);
      const type = TYPES[i % TYPES.length] as string;
      mkdirSync(join(hub.layout.modelsDir, sha));
      writeFileSync(join(hub.layout.modelsDir, sha, name), content);
      const id = insert.run(sha, name, ...(named ? [name] : []), content.length, type, BASES[(i >> 2) % BASES.length], type === 'lora' ? 'lora' : null).lastInsertRowid;
      source.run(id, join(world.root, 'downloads', `batch-${i % 50}`, name));
    }
  })();
  hub.close();
  mkdirSync(world.manifests, { recursive: true });
  mkdirSync(world.app, { recursive: true });
  const mappings = Object.entries(FOLDERS)
    .map(([type, folder]) => `${type}: ${folder}`)
    .join(', ');
  writeFileSync(
    join(world.manifests, 'bench.yaml'),
    `kind: Target\nname: bench\nroot: ${world.app}\nmappings: { ${mappings} }\n---\nkind: Deployment\nname: all\ntarget: bench\nselect: {}\n`,
  );
}

/** The same links as a Stow package: pkg/<folder>/<name> → the store file. */
function buildStowPackage(world: DeployWorld): void {
  mkdirSync(world.stowTarget, { recursive: true });
  for (const folder of Object.values(FOLDERS)) mkdirSync(join(world.stowDir, 'pkg', folder), { recursive: true });
  world.storeFiles.forEach((file, i) => {
    const folder = FOLDERS[TYPES[i % TYPES.length] as (typeof TYPES)[number]];
    symlinkSync(file, join(world.stowDir, 'pkg', folder, file.slice(file.lastIndexOf('/') + 1)));
  });
}

/** Undo a deployment outside the timings: the linked folders and the ledger's records of them. */
export function undeploy(world: DeployWorld): void {
  for (const folder of Object.values(FOLDERS)) {
    rmSync(join(world.app, folder), { recursive: true, force: true });
    rmSync(join(world.stowTarget, folder), { recursive: true, force: true });
  }
  const hub = openHub(world.hub);
  hub.db.exec('DELETE FROM deploy_links; DELETE FROM deploy_dirs;');
  hub.close();
}

/** The links apply makes, grouped as the bare-symlink floor makes them. */
export function linkPlan(world: DeployWorld, into: string): Array<[string, string]> {
  return world.storeFiles.map((file, i) => {
    const folder = FOLDERS[TYPES[i % TYPES.length] as (typeof TYPES)[number]];
    return [file, join(into, folder, file.slice(file.lastIndexOf('/') + 1))];
  });
}

export const LINK_FOLDERS = Object.values(FOLDERS);
