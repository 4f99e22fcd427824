import { describe, expect, it } from 'vitest';
import { renderEject } from '../../cmd/render/eject.js';
import type { EjectPlan } from '../../reconcile/eject.js';
import { HOSTILE, hash, plain, storeFile, tmp } from './builders.js';

const plan: EjectPlan = {
  items: [
    { path: tmp('comfy/loras/a.safetensors'), hash: hash('a'), storeFile: storeFile('a', 'a.safetensors'), size: 1_500_000_000, was: 'deployed', text: storeFile('a', 'a.safetensors'), dev: 1, ino: 2, name: 'a.safetensors', deployed: { target: 'comfy', path: tmp('comfy/loras/a.safetensors') } },
    { path: tmp(`dl/${HOSTILE}`), hash: hash('b'), storeFile: storeFile('b', 'b.safetensors'), size: 2048, was: 'link-back', text: storeFile('b', 'b.safetensors'), dev: 1, ino: 3, name: HOSTILE, deployed: null },
  ],
  alreadyEjected: [tmp('usb/c.safetensors')],
  skipped: [tmp('comfy/loras/mine.safetensors')],
  bytes: 1_500_002_048,
};

describe('eject view', () => {
  it('lists each link with what it was, what is already a copy, the foreign links left alone, and the total', () => {
    expect(renderEject(plan, null, plain)).toMatchInlineSnapshot(`
      "~ <tmp>/comfy/loras/a.safetensors  deployed link → real copy of a.safetensors 610000000000, 1.5 GB
      ~ <tmp>/dl/evil\\e[2Jname.safetensors  link-back → real copy of evil\\e[2Jname.safetensors 620000000000, 2.0 KB
      = <tmp>/usb/c.safetensors  already a copy \`modelhub eject\` made
      - <tmp>/comfy/loras/mine.safetensors  not a ModelHub link: left alone
      Would eject 2 links (1.5 GB to copy). Nothing was changed (--dry-run)."
    `);
    expect(renderEject(plan, [tmp('comfy/loras/a.safetensors')], plain)).toMatchInlineSnapshot(`
      "✓ <tmp>/comfy/loras/a.safetensors  deployed link → real copy of a.safetensors 610000000000, 1.5 GB
      · <tmp>/dl/evil\\e[2Jname.safetensors  link-back → real copy of evil\\e[2Jname.safetensors 620000000000, 2.0 KB
      = <tmp>/usb/c.safetensors  already a copy \`modelhub eject\` made
      - <tmp>/comfy/loras/mine.safetensors  not a ModelHub link: left alone
      Ejected 1 of 2 links (1.5 GB copied and verified); scans and plans leave the copies alone."
    `);
  });
});
