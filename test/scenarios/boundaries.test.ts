/**
 * Boundary scenarios: what plan and apply refuse to trust or follow. Broken links are not "in
 * sync", one name clash does not stop the other paths, roots and folders are judged on their
 * resolved paths, apply never works through a symlinked folder below a target root, ownership
 * needs the recorded inode, and a saved plan is re-planned before anything runs. The runner
 * checks that nothing foreign changed around every command.
 */
import { readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addModel, writeManifest } from './fixture.js';
import { APPLY, IN_SYNC, comfyTarget, expectAbsent, expectLink, runScenario, standardSetup, storeFile, type Ctx, type Scenario } from './runner.js';

/** The standard models, with the comfy target's root replaced by `root(c)`. */
function setupWithRoot(root: (c: Ctx) => string): (c: Ctx) => void {
  return (c) => {
    standardSetup(c);
    writeManifest(c.w, 'comfy.yaml', comfyTarget(c).replace(`root: ${c.comfy}`, `root: ${root(c)}`));
  };
}

/** The store holds exactly the model folders of the setup, nothing apply made. */
function expectStoreUntouched(c: Ctx): void {
  expect(readdirSync(join(c.w.hub, 'models')).filter((n) => !/^[0-9a-f]{64}$/.test(n) && n !== 'README.txt' && !n.startsWith('.'))).toEqual([]);
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a deployed link whose store file is gone is a conflict in plan and status, not in sync',
    steps: [
      { run: APPLY },
      {
        act: (c) => rmSync(storeFile(c, 'a.safetensors')),
        run: ['plan', '--detailed-exitcode'],
        exit: 1,
        stdout: [/! loras\/a\.safetensors {2}store-file-missing: .*a\.safetensors is missing/, 'Plan: 0 to link, 0 to relink, 0 to remove, 1 conflict.'],
      },
      { run: ['status'], stdout: [/comfy +enabled +3 +2 +0 +0 +0 +1 +1 +0/, /! loras\/a\.safetensors {2}store-file-missing/, /broken link .*loras\/a\.safetensors/] },
      { run: APPLY, exit: 1, stderr: ['1 conflict; nothing was changed', 'hint: the model is gone from the store: `modelhub scan` a copy of it'] },
    ],
  },
  {
    name: 'two models on one link path are one name-clash conflict naming both and an Override; every other path is planned',
    setup: (c) => {
      standardSetup(c);
      c.h['twin'] = addModel(c.w, { filename: 'a.safetensors', type: 'lora', base: 'sdxl', content: 'another a' });
    },
    steps: [
      {
        run: ['plan'],
        exit: 1,
        stdout: [
          /! loras\/a\.safetensors {2}name-clash: a\.safetensors \([0-9a-f]{12}, deployment all\) and a\.safetensors \([0-9a-f]{12}, deployment all\)/,
          '+ checkpoints/b.safetensors',
          '+ vae/c.safetensors',
          /kind: Override\n +match: \{ hash: [0-9a-f]{12} \}\n +set: \{ name: a-[0-9a-f]{8}\.safetensors \}/,
          'Plan: 2 to link, 0 to relink, 0 to remove, 1 conflict.',
        ],
      },
      { run: ['status'], stdout: [/comfy +enabled +3 +0 +2 +0 +0 +1 +0 +0/, /! loras\/a\.safetensors {2}name-clash/] },
      {
        run: ['plan', '--json'],
        exit: 1,
        check: (c) => {
          const [conflict] = c.last.json<{ conflicts: Array<{ reason: string; claims: Array<{ hash: string; deployments: string[] }> }> }>().conflicts;
          expect(conflict).toMatchObject({ reason: 'name-clash' });
          expect(conflict!.claims.map((k) => k.hash).sort()).toEqual([c.h['a.safetensors'], c.h['twin']].sort());
        },
      },
      { run: APPLY, exit: 1, stderr: ['1 conflict; nothing was changed', 'hint: rename one of the models with an Override (set.name)'], check: (c) => expectAbsent(c, 'checkpoints') },
      {
        act: (c) => writeManifest(c.w, 'rename.yaml', `kind: Override\nmatch: { hash: ${c.h['twin']!.slice(0, 12)} }\nset: { name: a-twin.safetensors }\n`),
        run: APPLY,
        check: (c) => (expectLink(c, 'loras/a.safetensors', 'a.safetensors'), expectLink(c, 'vae/c.safetensors', 'c.safetensors')),
      },
      IN_SYNC,
    ],
  },
  {
    name: 'a target root that is an alias of the store is refused at /root by validate, plan and apply',
    setup: (c) => {
      symlinkSync(join(c.w.hub, 'models'), join(c.w.apps, 'alias'));
      setupWithRoot((x) => join(x.w.apps, 'alias'))(c);
    },
    steps: [
      { run: ['validate'], exit: 1, stderr: [/manifests\/comfy\.yaml:3:7: root .*\/apps\/alias resolves to .*\/hub\/models, inside the hub's store/] },
      { run: ['plan'], exit: 1, stderr: [/manifests\/comfy\.yaml:3:7: root .*\/apps\/alias resolves to/] },
      { run: APPLY, exit: 1, check: expectStoreUntouched },
    ],
  },
  {
    name: 'a target root that resolves to the hub itself, or to /, is refused',
    setup: (c) => {
      symlinkSync(c.w.hub, join(c.w.apps, 'hub-alias'));
      symlinkSync('/', join(c.w.apps, 'slash'));
      setupWithRoot((x) => join(x.w.apps, 'hub-alias'))(c);
      writeManifest(c.w, 'slash.yaml', `kind: Target\nname: slash\nroot: ${join(c.w.apps, 'slash')}\nmappings: { lora: loras }\n`);
    },
    steps: [
      {
        run: ['validate'],
        exit: 1,
        stderr: [/manifests\/comfy\.yaml:3:7: root .*\/apps\/hub-alias resolves to the hub .*\/hub itself/, /manifests\/slash\.yaml:3:7: root .*\/apps\/slash resolves to \//],
      },
      { run: APPLY, exit: 1, check: expectStoreUntouched },
    ],
  },
];

describe('boundary scenarios (real folders, CLI in-process)', () => {
  for (const s of SCENARIOS) it(s.name, () => runScenario(s));
});
