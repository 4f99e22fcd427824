/**
 * Real temp worlds for the housekeeping scenarios: a downloads folder of tiny real safetensors
 * files, a hub filled by `modelhub scan`, an application folder, the CLI driven in-process, and
 * whole-tree snapshots proving that a command changed exactly what it reported.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { writeSafetensors } from '../fixtures/writers.js';
import { runCapturing, type CliResult } from '../helpers/cli.js';
import { queryHub } from '../helpers/hub-db.js';
import { tempDir } from '../helpers/tmp.js';

export interface World {
  root: string;
  hub: string;
  manifests: string;
  /** Where model files are "downloaded" before scanning. */
  dl: string;
  /** Application folders (targets' roots live below). */
  apps: string;
  env: NodeJS.ProcessEnv;
}

export function makeWorld(): World {
  const root = tempDir('modelhub-hk-');
  const w: World = {
    root,
    hub: join(root, 'hub'),
    manifests: join(root, 'manifests'),
    dl: join(root, 'dl'),
    apps: join(root, 'apps'),
    env: { HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'xdg'), NO_COLOR: '1', PATH: process.env.PATH },
  };
  for (const d of [w.manifests, w.dl, w.apps, w.env.HOME as string]) mkdirSync(d, { recursive: true });
  return w;
}

const LORA_KEYS = ['lora_unet_down_blocks_0_attentions_0_proj_in', 'lora_unet_up_blocks_1_attentions_0_proj_out'];

/**
 * A tiny LoRA safetensors file (a few KB of deterministic bytes from `seed`). The same seed with
 * other `metadata` gives the same tensor data (same AutoV3) in a different file (another SHA-256).
 */
export async function writeLora(w: World, rel: string, opts: { seed: number; metadata?: Record<string, string> }): Promise<string> {
  const path = join(w.dl, rel);
  mkdirSync(dirname(path), { recursive: true });
  const tensors = LORA_KEYS.flatMap((k) => [
    { name: `${k}.lora_down.weight`, shape: [4, 64] },
    { name: `${k}.lora_up.weight`, shape: [64, 4] },
  ]);
  await writeSafetensors(path, tensors, { metadata: { ss_base_model_version: 'sdxl_base_v1-0', ...opts.metadata }, fill: 'random', seed: opts.seed });
  return path;
}

export type { CliResult };

/** `modelhub --offline --hub … --manifests … ARGS`, in-process, without a terminal unless `answer` is given. */
export async function mh(w: World, args: string[], opts: { answer?: string } = {}): Promise<CliResult> {
  return runCapturing(['--offline', '--hub', w.hub, '--manifests', w.manifests, ...args], { env: w.env, cwd: w.root, ...opts });
}

/** Run and require an exit code, showing the output when it differs. */
export async function mhOk(w: World, args: string[], exit = 0, opts: { answer?: string } = {}): Promise<CliResult> {
  const r = await mh(w, args, opts);
  expect(r.code, `modelhub ${args.join(' ')}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`).toBe(exit);
  return r;
}

/** The hub's own bookkeeping files, which every command may touch. */
function isBookkeeping(w: World, path: string): boolean {
  const rel = relative(w.hub, path);
  return /^(modelhub|classification)\.db(-wal|-shm|-journal)?$/.test(rel) || rel === 'modelhub.lock';
}

/**
 * Every entry below the world's root except the hub's databases: folders by kind, symlinks by
 * their text, files by size, mtime (ns), permission bits and content hash.
 */
export function snapshot(w: World): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (isBookkeeping(w, p)) continue;
      const st = lstatSync(p, { bigint: true });
      if (st.isSymbolicLink()) out.set(p, `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(p, 'dir');
        walk(p);
      } else {
        const hash = createHash('sha256').update(readFileSync(p)).digest('hex');
        out.set(p, `file ${st.size} ${st.mtimeNs} ${(st.mode & 0o7777n).toString(8)} ${hash}`);
      }
    }
  };
  walk(w.root);
  return out;
}

export interface TreeDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

export function diffTrees(before: Map<string, string>, after: Map<string, string>): TreeDiff {
  const d: TreeDiff = { added: [], removed: [], changed: [] };
  for (const [p, v] of before) {
    const now = after.get(p);
    if (now === undefined) d.removed.push(p);
    else if (now !== v) d.changed.push(p);
  }
  for (const p of after.keys()) if (!before.has(p)) d.added.push(p);
  for (const list of [d.added, d.removed, d.changed]) list.sort();
  return d;
}

/** Assert the tree changed by exactly these paths (each list compared as a set). */
export function expectTreeChange(before: Map<string, string>, after: Map<string, string>, expected: Partial<TreeDiff>): void {
  expect(diffTrees(before, after)).toEqual({ added: [...(expected.added ?? [])].sort(), removed: [...(expected.removed ?? [])].sort(), changed: [...(expected.changed ?? [])].sort() });
}

/** Run a command and assert that the tree changed exactly as `expected(result)` says. */
export async function runChecked(w: World, args: string[], opts: { exit?: number; answer?: string; expect?: (r: CliResult) => Partial<TreeDiff> } = {}): Promise<CliResult> {
  const before = snapshot(w);
  const r = await mhOk(w, args, opts.exit ?? 0, opts.answer === undefined ? {} : { answer: opts.answer });
  expectTreeChange(before, snapshot(w), opts.expect?.(r) ?? {});
  return r;
}

/** Read the hub's inventory directly. */
export function query<T>(w: World, sql: string, ...params: unknown[]): T[] {
  return queryHub<T>(w.hub, sql, ...params);
}

export function execSql(w: World, sql: string, ...params: unknown[]): void {
  const db = new Database(join(w.hub, 'modelhub.db'));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** Model hashes by file name (the first, when a name is shared). */
export function hashesByName(w: World): Record<string, string> {
  const rows = query<{ sha256: string; filename: string }>(w, 'SELECT sha256, filename FROM models ORDER BY sha256');
  const out: Record<string, string> = {};
  for (const r of rows) out[r.filename] ??= r.sha256;
  return out;
}

export function storeDir(w: World, hash: string): string {
  return join(w.hub, 'models', hash);
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A Target `comfy` under apps/ mapping loras, and a Deployment of every LoRA. */
export function deployAllLoras(w: World): string {
  const root = join(w.apps, 'comfy');
  mkdirSync(root, { recursive: true });
  writeText(join(w.manifests, 'comfy.yaml'), `kind: Target\nname: comfy\nroot: ${root}\nmappings:\n  lora: loras\n---\nkind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\n`);
  return root;
}
