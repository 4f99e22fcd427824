/**
 * The one test world: a temp root (removed after the test) holding a hub, a manifests folder, a
 * downloads folder and application folders, with the CLI driven in-process against it, its
 * inventory read and edited directly, and models put in the hub either by `modelhub scan` or,
 * faster, by addModel (a real store file plus inventory rows). A world that takes long to build
 * is built once per file and copied back for each test (reusableWorld).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect } from 'vitest';
import { openHub, storePath } from '../../store/hub.js';
import { insertModel, saveClassification } from '../../store/inventory.js';
import { runCapturing, type CliResult } from './cli.js';
import { expectTreeChange, snapshotTree, type TreeDiff, type TreeSnapshot } from './tree.js';
import { tempDir } from './tmp.js';

export type { CliResult };

export interface World {
  root: string;
  hub: string;
  manifests: string;
  /** Where model files are "downloaded" before scanning. */
  dl: string;
  /** Application folders (exists; targets' roots live below). */
  apps: string;
  env: NodeJS.ProcessEnv;
}

/** A fresh world; `hub: true` creates an empty hub too (otherwise the first scan does). */
export function makeWorld(opts: { hub?: boolean } = {}): World {
  return worldAt(tempDir('modelhub-world-'), opts);
}

/**
 * A world built once per test file and handed to each test that asks for it, as it was when
 * `build` finished: much faster than building it again where `build` scans (scan hashes every
 * file). Call it at the top of the file; each call of the function it returns gives a fresh
 * copy. The first call builds the world at a path fixed for the file and keeps a copy beside it
 * (`cp -a`: symlinks, modes and nanosecond mtimes kept); every later call puts that copy back at
 * the same path, so every absolute path in the inventory, the link-backs and the manifests still
 * holds. Only inodes differ, as after any copy: `deploy_links` records each link's inode (a link
 * with another inode is not ModelHub's), so `build` must not deploy; apply in the test instead.
 */
export function reusableWorld<T extends object>(build: (w: World) => Promise<T>): () => Promise<{ w: World } & T> {
  let base: string | undefined;
  let kept: { built: { w: World } & T; copy: string } | undefined;
  afterAll(() => {
    if (base !== undefined) rmSync(base, { recursive: true, force: true });
  });
  return async () => {
    if (kept === undefined) {
      if (base !== undefined) rmSync(base, { recursive: true, force: true }); // a build that failed
      base = mkdtempSync(join(tmpdir(), 'modelhub-reused-'));
      const w = worldAt(join(base, 'world'));
      const built = { w, ...(await build(w)) };
      kept = { built, copy: join(base, 'built') };
      execFileSync('cp', ['-a', w.root, kept.copy]);
      return built;
    }
    rmSync(kept.built.w.root, { recursive: true, force: true });
    execFileSync('cp', ['-a', kept.copy, kept.built.w.root]);
    return { ...kept.built };
  };
}

function worldAt(root: string, opts: { hub?: boolean } = {}): World {
  const w: World = {
    root,
    hub: join(root, 'hub'),
    manifests: join(root, 'manifests'),
    dl: join(root, 'dl'),
    apps: join(root, 'apps'),
    env: { HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'xdg'), NO_COLOR: '1', PATH: process.env.PATH },
  };
  for (const d of [w.manifests, w.dl, w.apps, w.env.HOME as string]) mkdirSync(d, { recursive: true });
  if (opts.hub === true) openHub(w.hub).close();
  return w;
}

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

/** Every entry below the world's root except the hub's own bookkeeping files, which every command may touch. */
export function snapshot(w: World): TreeSnapshot {
  return snapshotTree(w.root, (p) => {
    const rel = relative(w.hub, p);
    return /^(modelhub|classification)\.db(-wal|-shm|-journal)?$/.test(rel) || rel === 'modelhub.lock';
  });
}

/** Run a command and assert that the world changed exactly as `expected(result)` says. */
export async function runChecked(w: World, args: string[], opts: { exit?: number; answer?: string; expect?: (r: CliResult) => Partial<TreeDiff> } = {}): Promise<CliResult> {
  const before = snapshot(w);
  const r = await mhOk(w, args, opts.exit ?? 0, opts.answer === undefined ? {} : { answer: opts.answer });
  expectTreeChange(before, snapshot(w), opts.expect?.(r) ?? {});
  return r;
}

/** Rows of the hub's inventory, read directly (a separate read-only connection). */
export function query<T>(w: World, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(w.hub, 'modelhub.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Change the inventory behind ModelHub's back: one statement with `params`, or a script without. */
export function execSql(w: World, sql: string, ...params: unknown[]): void {
  const db = new Database(join(w.hub, 'modelhub.db'));
  try {
    if (params.length === 0) db.exec(sql);
    else db.prepare(sql).run(...params);
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

/** Put a model in the hub without scanning: a real read-only store file plus inventory rows. Returns its SHA-256. */
export function addModel(w: World, m: ModelSpec): string {
  const content = m.content ?? `model bytes of ${m.filename}\n`;
  const sha = createHash('sha256').update(content).digest('hex');
  const hub = openHub(w.hub);
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

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Write a manifest file (relative to the manifests folder). */
export function writeManifest(w: World, name: string, text: string): string {
  const file = join(w.manifests, name);
  writeText(file, text);
  return file;
}
