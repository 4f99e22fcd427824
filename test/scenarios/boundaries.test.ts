/**
 * Boundary scenarios: what plan and apply refuse to trust or follow. Broken links are not "in
 * sync", one name clash does not stop the other paths, roots and folders are judged on their
 * resolved paths, apply never works through a symlinked folder below a target root, ownership
 * needs the recorded inode, and a saved plan is re-planned before anything runs. The runner
 * checks that nothing foreign changed around every command.
 */
import { rmSync } from 'node:fs';
import { describe, it } from 'vitest';
import { APPLY, runScenario, storeFile, type Scenario } from './runner.js';

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
];

describe('boundary scenarios (real folders, CLI in-process)', () => {
  for (const s of SCENARIOS) it(s.name, () => runScenario(s));
});
