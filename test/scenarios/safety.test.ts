/**
 * Safety scenarios: whatever ModelHub does not own is never touched (the runner checks every
 * foreign entry around every command), conflicts block the whole apply, saved plans go stale,
 * one apply at a time, and nothing happens without confirmation.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLinkOrNull } from '../helpers/tree.js';
import { addModel, writeManifest } from '../helpers/world.js';
import { APPLY, IN_SYNC, comfyTarget, expectAbsent, expectAllLinked, expectLink, runScenario, storeFile, type Scenario } from './runner.js';

const SCENARIOS: Scenario[] = [
  {
    name: 'a link re-pointed by hand is a conflict and is never touched',
    steps: [
      { run: APPLY },
      {
        act: (c) => {
          mkdirSync(join(c.w.apps, 'mine'));
          writeFileSync(join(c.w.apps, 'mine/other.safetensors'), 'mine');
          unlinkSync(join(c.comfy, 'loras/a.safetensors'));
          symlinkSync(join(c.w.apps, 'mine/other.safetensors'), join(c.comfy, 'loras/a.safetensors'));
        },
        run: ['plan'],
        exit: 1,
        stdout: [/! loras\/a\.safetensors {2}drifted: symlink -> .*mine\/other\.safetensors/, 'Plan: 0 to link, 0 to relink, 0 to remove, 1 conflict.'],
      },
      { run: APPLY, exit: 1, stderr: ['1 conflict; nothing was changed', 'hint: move or remove what is in the way'] },
      { run: ['status'], stdout: [/comfy +enabled +3 +2 +0 +1 +0 +1/] },
      { check: (c) => expect(readLinkOrNull(join(c.comfy, 'loras/a.safetensors'))).toBe(join(c.w.apps, 'mine/other.safetensors')) },
    ],
  },
  {
    name: 'a foreign file in the way blocks the whole apply (two phases), and --adopt takes only identical files',
    setup: (c) => {
      c.h['a.safetensors'] = addModel(c.w, { filename: 'a.safetensors', type: 'lora', base: 'sdxl' });
      c.h['b.safetensors'] = addModel(c.w, { filename: 'b.safetensors', type: 'checkpoint', base: 'sd15' });
      writeManifest(c.w, 'comfy.yaml', comfyTarget(c));
      writeManifest(c.w, 'deploy.yaml', 'kind: Deployment\nname: all\ntarget: comfy\nselect: {}\n');
      mkdirSync(join(c.comfy, 'loras'));
      writeFileSync(join(c.comfy, 'loras/a.safetensors'), 'model bytes of a.safetensors\n');
    },
    steps: [
      { run: ['plan'], exit: 1, stdout: ['! loras/a.safetensors  foreign-file: file, 29 bytes', 'Plan: 1 to link, 0 to relink, 0 to remove, 1 conflict.'] },
      { run: APPLY, exit: 1, stderr: ['nothing was changed', '--adopt'], check: (c) => expectAbsent(c, 'checkpoints') },
      { run: ['plan', '--adopt'], stdout: ['= loras/a.safetensors  → a.safetensors', 'duplicate-file: identical file becomes a link', 'Plan: 1 to link, 0 to relink, 0 to remove, 1 to adopt, 0 conflicts.'] },
      { run: ['apply', '--yes', '--adopt'], mayChange: ['apps/comfy/loras/a.safetensors'], stdout: ['1 linked, 0 relinked, 0 removed, 1 adopted.'] },
      { check: (c) => (expectLink(c, 'loras/a.safetensors', 'a.safetensors'), expectLink(c, 'checkpoints/b.safetensors', 'b.safetensors')) },
      IN_SYNC,
      {
        act: (c) => {
          c.h['d.safetensors'] = addModel(c.w, { filename: 'd.safetensors', type: 'lora', base: 'sdxl' });
          writeFileSync(join(c.comfy, 'loras/d.safetensors'), 'a different file with the same name');
        },
        run: ['apply', '--yes', '--adopt'],
        exit: 1,
        stdout: ['! loras/d.safetensors  foreign-file'],
        check: (c) => expect(readFileSync(join(c.comfy, 'loras/d.safetensors'), 'utf8')).toBe('a different file with the same name'),
      },
    ],
  },
  {
    name: 'a foreign symlink in the way is a conflict',
    steps: [
      { act: (c) => (mkdirSync(join(c.comfy, 'vae')), symlinkSync('/dev/null', join(c.comfy, 'vae/c.safetensors'))), run: ['plan'], exit: 1, stdout: ['! vae/c.safetensors  foreign-symlink: symlink -> /dev/null'] },
      { run: APPLY, exit: 1, check: (c) => (expectAbsent(c, 'loras'), expect(readLinkOrNull(join(c.comfy, 'vae/c.safetensors'))).toBe('/dev/null')) },
    ],
  },
  {
    name: 'a correct link ModelHub did not record is adopted without touching it',
    steps: [
      { act: (c) => (mkdirSync(join(c.comfy, 'vae')), symlinkSync(storeFile(c, 'c.safetensors'), join(c.comfy, 'vae/c.safetensors'))), run: ['plan'], stdout: ['= vae/c.safetensors', 'unrecorded-link', '2 to link, 0 to relink, 0 to remove, 1 to adopt'] },
      { run: APPLY, check: expectAllLinked },
      IN_SYNC,
    ],
  },
  {
    name: 'a saved plan is applied exactly, and refused once its inputs changed',
    steps: [
      { run: ['plan', '--out', 'p.json'], stderr: ['Saved the plan to p.json. To perform exactly these actions, run: modelhub apply p.json'] },
      { act: (c) => addModel(c.w, { filename: 'late.safetensors', type: 'lora', base: 'sdxl' }), run: ['apply', 'p.json', '--yes'], exit: 1, stderr: ['the saved plan p.json is stale', 'hint: run `modelhub plan --out p.json` again'] },
      { check: (c) => expectAbsent(c, 'loras') },
      { run: ['plan', '--out', 'p.json'] },
      { run: ['apply', 'p.json', '--yes'], stdout: ['4 linked'], check: expectAllLinked },
      { run: ['apply', 'p.json', '--yes'], exit: 1, stderr: ['stale'] },
      { act: (c) => writeFileSync(join(c.w.root, 'junk.json'), '{"hello": 1}'), run: ['apply', 'junk.json', '--yes'], exit: 1, stderr: ['junk.json is not a plan this ModelHub understands'] },
    ],
  },
  {
    name: 'a held lock stops a second apply and names its holder; plan still works',
    steps: [
      { act: (c) => writeFileSync(join(c.w.hub, 'modelhub.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: '2030-01-01T00:00:00.000Z', command: 'modelhub apply' })) },
      { run: APPLY, exit: 1, stderr: [`the hub is locked by modelhub apply (pid ${process.pid} on ${hostname()}, since 2030-01-01T00:00:00.000Z)`] },
      { run: ['plan'], stdout: ['Plan: 3 to link'], check: (c) => expectAbsent(c, 'loras') },
      { act: (c) => rmSync(join(c.w.hub, 'modelhub.lock')), run: APPLY },
    ],
  },
  {
    name: 'an invalid manifest stops plan and apply with file:line:col, and validate says so',
    steps: [
      { act: (c) => writeManifest(c.w, 'bad.yaml', 'kind: Deployment\nname: bad\ntarget: nope\nselect: { type: lroa }\n') },
      { run: ['validate'], exit: 1, stderr: ['manifests/bad.yaml:3:9: unknown target "nope"\nmanifests/bad.yaml:4:17: select.type: unknown type "lroa"; did you mean "lora"?'] },
      { run: ['plan'], exit: 1, stderr: ['error: 2 problems in 1 manifest file:\nmanifests/bad.yaml:3:9: unknown target "nope"'] },
      { run: APPLY, exit: 1, check: (c) => expectAbsent(c, 'loras') },
      { run: ['validate', '--json'], exit: 1, check: (c) => expect(JSON.parse(c.last.stdout)).toMatchObject({ valid: false, problems: [{ file: 'manifests/bad.yaml', line: 3, col: 9 }, { line: 4, col: 17 }] }) },
      { act: (c) => rmSync(join(c.w.manifests, 'bad.yaml')), run: ['validate'], stdout: ['Manifests valid: 1 target, 1 deployment, 0 overrides in 2 files'] },
    ],
  },
  {
    name: 'confirmation: refused without a terminal, asked on one',
    steps: [
      { run: ['apply'], exit: 1, stderr: ['modelhub apply needs confirmation and there is no terminal to ask on', 'hint: review the plan above, then pass --yes'] },
      { run: ['apply'], answer: 'no', exit: 1, stdout: ['Do you want to perform these actions?'], stderr: ['Apply cancelled; nothing was changed.'], check: (c) => expectAbsent(c, 'loras') },
      { run: ['apply'], answer: 'yes', stdout: ['Apply complete!'], check: expectAllLinked },
    ],
  },
  {
    name: 'a temporary link left by an interrupted apply is cleaned up',
    steps: [
      { run: APPLY },
      { act: (c) => symlinkSync(storeFile(c, 'a.safetensors'), join(c.comfy, 'loras/.a.safetensors.modelhub-tmp-1a2b3c4d-0')), run: ['plan'], stdout: ['- loras/.a.safetensors.modelhub-tmp-1a2b3c4d-0  (leftover-temp'] },
      { run: APPLY, mayChange: ['apps/comfy/loras/.a.safetensors.modelhub-tmp-1a2b3c4d-0'], check: (c) => expect(readdirSync(join(c.comfy, 'loras'))).toEqual(['a.safetensors']) },
    ],
  },
];

describe('safety scenarios (real folders, CLI in-process)', () => {
  for (const s of SCENARIOS) it(s.name, () => runScenario(s));
});
