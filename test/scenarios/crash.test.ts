/**
 * A process killed mid-apply (SIGKILL, no chance to clean up) leaves a state the next plan
 * understands and the next apply completes. The child runs the real CLI with the test-only
 * MODELHUB_TEST_CRASH_AFTER=N, which kills it right after its N-th filesystem step and before
 * that step is recorded: the worst moment. Records may lag the disk by an uncommitted batch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { changedEntries, snapshotTree } from '../helpers/tree.js';
import { addModel, makeWorld, mh, writeManifest, type World } from '../helpers/world.js';
import { recordedLinks } from './runner.js';

const MODELS = 30;
let w: World;
let comfy: string;

beforeEach(() => {
  w = makeWorld({ hub: true });
  comfy = join(w.apps, 'comfy');
  mkdirSync(join(comfy, 'loras'), { recursive: true });
  for (let i = 0; i < MODELS; i++) addModel(w, { filename: `m${String(i).padStart(2, '0')}.safetensors`, type: 'lora', base: i % 2 === 0 ? 'sdxl' : 'flux' });
  writeManifest(w, 'comfy.yaml', `kind: Target\nname: comfy\nroot: ${comfy}\nmappings: { lora: loras }\n---\nkind: Deployment\nname: all\ntarget: comfy\nselect: {}\n`);
  writeFileSync(join(comfy, 'loras/mine.safetensors'), 'a file of the user');
  symlinkSync('/dev/null', join(comfy, 'loras/theirs.safetensors'));
});

/** Run `modelhub apply --yes` in a child process that kills itself after `steps` filesystem steps. */
function applyAndCrash(steps: number): void {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(packageRoot(), 'cmd/main.ts'), '--hub', w.hub, '--manifests', w.manifests, 'apply', '--yes'],
    { cwd: packageRoot(), env: { ...w.env, MODELHUB_TEST_CRASH_AFTER: String(steps) }, encoding: 'utf8', timeout: 30_000 },
  );
  expect(child.signal, child.stderr).toBe('SIGKILL');
  expect(existsSync(join(w.hub, 'modelhub.lock')), 'the killed apply leaves its lock behind').toBe(true);
}

const links = (): string[] => readdirSync(join(comfy, 'loras')).filter((n) => /^m\d+/.test(n));

describe('apply killed mid-way', () => {
  it('converges on the next apply after a kill during the first apply', async () => {
    const before = snapshotTree(w.apps);
    applyAndCrash(7);
    expect(links()).toHaveLength(7);
    const recorded = recordedLinks(w).length;
    expect(recorded, 'records may lag the disk (last batch uncommitted), never lead it').toBeLessThanOrEqual(6);

    const plan = await mh(w, ['plan']);
    expect(plan.stdout).toContain('= loras/m06.safetensors  → m06.safetensors');
    expect(plan.stdout).toContain(`Plan: 23 to link, 0 to relink, 0 to remove, ${7 - recorded} to adopt, 0 conflicts.`);

    const again = await mh(w, ['apply', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(links()).toHaveLength(MODELS);
    expect(recordedLinks(w)).toHaveLength(MODELS);
    expect((await mh(w, ['plan', '--detailed-exitcode'])).code).toBe(0);
    expect(changedEntries(before, snapshotTree(w.apps))).toEqual([]);
  });

  it('converges after a kill while links move (deletes done, creates half done)', async () => {
    expect((await mh(w, ['apply', '--yes'])).code).toBe(0);
    writeManifest(w, 'comfy.yaml', `kind: Target\nname: comfy\nroot: ${comfy}\nmappings: { lora: loras }\n---\nkind: Deployment\nname: all\ntarget: comfy\nselect: {}\npath: "{base}/{name}"\n`);
    const foreign = new Map([...snapshotTree(w.apps)].filter(([p]) => !/\/m\d+\.safetensors$/.test(p)));
    applyAndCrash(MODELS + 10);
    expect(links()).toEqual([]);

    const again = await mh(w, ['apply', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/\d+ linked, 0 relinked, 0 removed, \d+ adopted/);
    expect(readdirSync(join(comfy, 'loras/sdxl'))).toHaveLength(MODELS / 2);
    expect(readdirSync(join(comfy, 'loras/flux'))).toHaveLength(MODELS / 2);
    expect((await mh(w, ['plan', '--detailed-exitcode'])).code).toBe(0);
    expect(changedEntries(foreign, snapshotTree(w.apps))).toEqual([]);
  });
});
