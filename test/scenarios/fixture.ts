/**
 * Real temp folders for deployment tests: a hub with models inserted directly (real store files
 * whose SHA-256 is computed here), a manifests folder, application folders, the CLI driven
 * in-process, and snapshots of files ModelHub must never change.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCapturing, type CliResult } from '../helpers/cli.js';
import { openHub, storePath } from '../../store/hub.js';
import { insertModel, saveClassification } from '../../store/inventory.js';

export interface World {
  root: string;
  hub: string;
  manifests: string;
  /** An application folder (exists; targets' roots usually live below it). */
  apps: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function makeWorld(): World {
  const root = mkdtempSync(join(tmpdir(), 'modelhub-deploy-'));
  const world: World = {
    root,
    hub: join(root, 'hub'),
    manifests: join(root, 'manifests'),
    apps: join(root, 'apps'),
    env: { HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'xdg'), NO_COLOR: '1', PATH: process.env.PATH },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const d of [world.manifests, world.apps, world.env.HOME as string]) mkdirSync(d, { recursive: true });
  openHub(world.hub).close();
  return world;
}

export interface ModelSpec {
  filename: string;
  type: string;
  base: string;
  variant?: string | null;
  /** File content; defaults to something unique derived from the file name. */
  content?: string;
  format?: string;
  /** Flag it unsafe, as an import of a pickle referring to foreign code would. */
  unsafe?: boolean;
}

/** Put a model in the hub: a real store file plus inventory rows. Returns its SHA-256. */
export function addModel(world: World, m: ModelSpec): string {
  const content = m.content ?? `model bytes of ${m.filename}\n`;
  const sha = createHash('sha256').update(content).digest('hex');
  const hub = openHub(world.hub);
  try {
    const file = storePath(hub.layout, sha, m.filename);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    chmodSync(file, 0o444);
    const id = insertModel(hub.db, { sha256: sha, filename: m.filename, size: Buffer.byteLength(content), format: m.format ?? 'safetensors', container: null, unsafe: m.unsafe ?? false, headerError: null });
    saveClassification(hub.db, id, { type: m.type, base: m.base, variant: m.variant ?? null, confidence: 0.9, evidence: [{ method: 'filename', observed: m.filename, type: m.type, base: m.base, weight: 0.9 }] });
  } finally {
    hub.close();
  }
  return sha;
}

/** Write a manifest file (relative to the manifests folder). */
export function writeManifest(world: World, name: string, text: string): string {
  const file = join(world.manifests, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export type { CliResult };

/** Run `modelhub --hub … --manifests … ARGS` in-process, without a terminal. */
export async function cli(world: World, args: string[], opts: { stdinIsTTY?: boolean; stdin?: NodeJS.ReadableStream } = {}): Promise<CliResult> {
  return runCapturing(['--hub', world.hub, '--manifests', world.manifests, ...args], { env: world.env, cwd: world.root, ...opts });
}

/** Every entry below `dir`: kind, mtime and content (file hash or link text). Compared before/after. */
export function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(p, `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) walk(p);
      else out.set(p, `file ${st.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out;
}

/** The entries of `before` that are not ModelHub's (`keep`), each required unchanged in `after`. */
export function changedForeign(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before].filter(([p, v]) => after.get(p) !== v).map(([p]) => p);
}

export function readLinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

export function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}
