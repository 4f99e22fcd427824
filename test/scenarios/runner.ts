/**
 * Runs one deployment scenario on real temp folders: setup, then steps that are either CLI
 * calls (exit code and output asserted) or things the user does by hand. Around every CLI call
 * it proves the one promise that matters most: nothing ModelHub does not own changed.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { changedEntries, exists, readLinkOrNull, snapshotTree } from '../helpers/tree.js';
import { addModel, makeWorld, mh, query, writeManifest, type CliResult, type World } from '../helpers/world.js';

export interface Ctx {
  w: World;
  /** The comfy target's root (exists). */
  comfy: string;
  /** Model hashes by file name. */
  h: Record<string, string>;
  /** The last CLI result. */
  last: CliResult;
}

export interface Step {
  /** A user action between commands. */
  act?: (c: Ctx) => void;
  /** CLI arguments (after --hub/--manifests). */
  run?: string[];
  exit?: number;
  /** Substrings or patterns stdout must contain. */
  stdout?: Array<string | RegExp>;
  stderr?: Array<string | RegExp>;
  /** Run with a terminal on stdin, answering this line. */
  answer?: string;
  /** Paths (relative to the world root) this step may change although ModelHub does not own them. */
  mayChange?: string[];
  check?: (c: Ctx) => void;
}

export interface Scenario {
  name: string;
  setup?: (c: Ctx) => void;
  steps: Step[];
}

/** Three models and one target `comfy` deploying everything (`select: {}`). */
export function standardSetup(c: Ctx): void {
  c.h['a.safetensors'] = addModel(c.w, { filename: 'a.safetensors', type: 'lora', base: 'sdxl' });
  c.h['b.safetensors'] = addModel(c.w, { filename: 'b.safetensors', type: 'checkpoint', base: 'sd15' });
  c.h['c.safetensors'] = addModel(c.w, { filename: 'c.safetensors', type: 'vae', base: 'sdxl' });
  writeManifest(c.w, 'comfy.yaml', comfyTarget(c));
  writeManifest(c.w, 'deploy.yaml', 'kind: Deployment\nname: all\ntarget: comfy\nselect: {}\n');
}

export function comfyTarget(c: Ctx, extra = ''): string {
  return `kind: Target\nname: comfy\nroot: ${c.comfy}\nmappings:\n  lora: loras\n  checkpoint: checkpoints\n  vae: vae\n${extra}`;
}

export function storeFile(c: Ctx, name: string): string {
  return join(c.w.hub, 'models', c.h[name] as string, name);
}

/** `rel` (under the comfy root) is a symlink to the store file of `model`. */
export function expectLink(c: Ctx, rel: string, model: string): void {
  expect(readLinkOrNull(join(c.comfy, rel)), rel).toBe(storeFile(c, model));
}

export function expectAbsent(c: Ctx, rel: string): void {
  expect(exists(join(c.comfy, rel)), rel).toBe(false);
}

/** The three models of standardSetup are linked where `select: {}` puts them. */
export function expectAllLinked(c: Ctx): void {
  expectLink(c, 'loras/a.safetensors', 'a.safetensors');
  expectLink(c, 'checkpoints/b.safetensors', 'b.safetensors');
  expectLink(c, 'vae/c.safetensors', 'c.safetensors');
}

export const APPLY = ['apply', '--yes'];
export const IN_SYNC: Step = { run: ['plan', '--detailed-exitcode'], exit: 0, stdout: ['No changes.'] };

export async function runScenario(s: Scenario): Promise<void> {
  const w = makeWorld({ hub: true });
  const c: Ctx = { w, comfy: join(w.apps, 'comfy'), h: {}, last: { code: -1, stdout: '', stderr: '', json: () => null as never } };
  mkdirSync(c.comfy, { recursive: true });
  (s.setup ?? standardSetup)(c);
  for (const [i, step] of s.steps.entries()) {
    step.act?.(c);
    if (step.run !== undefined) await runStep(c, step, `${s.name}, step ${i + 1} (${step.run.join(' ')})`);
    step.check?.(c);
  }
}

async function runStep(c: Ctx, step: Step, label: string): Promise<void> {
  const before = foreignEntries(c.w);
  c.last = await mh(c.w, step.run ?? [], step.answer === undefined ? {} : { answer: step.answer });
  const output = `${label}\n--- stdout\n${c.last.stdout}\n--- stderr\n${c.last.stderr}`;
  expect(c.last.code, output).toBe(step.exit ?? 0);
  for (const p of step.stdout ?? []) expect(c.last.stdout, output).toMatch(p);
  for (const p of step.stderr ?? []) expect(c.last.stderr, output).toMatch(p);
  const changed = changedEntries(before, snapshotTree(c.w.apps)).map((p) => relative(c.w.root, p));
  expect(changed.filter((p) => !(step.mayChange ?? []).includes(p)), `${label}: foreign entries changed`).toEqual([]);
}

/**
 * Everything under apps/ except what ModelHub owns: the links it recorded (holding the recorded
 * text) and the folders it recorded making.
 */
function foreignEntries(w: World): Map<string, string> {
  const all = snapshotTree(w.apps);
  for (const r of recordedLinks(w)) if (all.get(r.link_path) === `link ${r.link_target}`) all.delete(r.link_path);
  for (const d of query<{ path: string }>(w, 'SELECT path FROM deploy_dirs')) if (all.get(d.path) === 'dir') all.delete(d.path);
  return all;
}

export function recordedLinks(w: World): Array<{ link_path: string; link_target: string; model_sha256: string; deployment: string | null }> {
  return query(w, 'SELECT link_path, link_target, model_sha256, deployment FROM deploy_links ORDER BY link_path');
}
