import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InventoryCheck } from '../../reconcile/validate-inventory.js';
import { makeWorld, runChecked, writeText, type World } from '../helpers/world.js';

function model(hash: string, name: string, type: string, base: string, extra = ''): string {
  return `  - hash: ${hash.repeat(64 / hash.length)}\n    name: ${name}\n    size: 1000\n    format: safetensors\n    type: ${type}\n    base: ${base}\n${extra}`;
}

/** A CI checkout: manifests and an exported inventory, and no hub anywhere. */
function ciRepo(deployments: string, models: string[]): World {
  const w = makeWorld();
  w.hub = join(w.root, 'no-hub-here');
  mkdirSync(join(w.apps, 'comfy'), { recursive: true });
  writeText(join(w.manifests, 'comfy.yaml'), `kind: Target\nname: comfy\nroot: ${join(w.apps, 'comfy')}\nmappings: { lora: loras, checkpoint: checkpoints }\n---\n${deployments}`);
  writeText(join(w.root, 'inventory.yaml'), `format: modelhub-inventory/v1\nmodels:\n${models.join('')}`);
  return w;
}

describe('modelhub validate --inventory', () => {
  it('fails with a clear message when a deployment selects nothing; needs no hub and writes nothing', async () => {
    const w = ciRepo('kind: Deployment\nname: flux-loras\ntarget: comfy\nselect: { type: lora, base: flux }\n---\nkind: Deployment\nname: sdxl-loras\ntarget: comfy\nselect: { type: lora, base: sdxl }\n', [
      model('a', 'a.safetensors', 'lora', 'sdxl'),
      model('b', 'b.safetensors', 'lora', 'flux', '    deleted: true\n'),
      model('c', 'c.safetensors', 'checkpoint', 'sd15'),
    ]);
    const r = await runChecked(w, ['validate', '--inventory', 'inventory.yaml'], { exit: 1 });
    expect(r.stdout).toContain('Manifests valid: 1 target, 2 deployments');
    expect(r.stderr).toContain('manifests/comfy.yaml:6:1: deployment "flux-loras" selects no model of the inventory inventory.yaml (2 live models; targets comfy)');
    expect(r.stderr).toContain('Inventory check failed: 1 deployment selecting nothing, 0 link path collisions.');

    const json = await runChecked(w, ['validate', '--json', '--inventory', 'inventory.yaml'], { exit: 1 });
    const out = json.json<{ valid: boolean; inventory: InventoryCheck & { file: string } }>();
    expect(out.valid).toBe(false);
    expect(out.inventory).toMatchObject({ file: join(w.root, 'inventory.yaml'), models: 2, collisions: [] });
    expect(out.inventory.deployments.map((d) => [d.name, d.selected])).toEqual([['flux-loras', 0], ['sdxl-loras', 1]]);
    expect(out.inventory.empty.map((d) => d.name)).toEqual(['flux-loras']);
  });

  it('reports link path collisions the way plan does, applies Overrides, and passes a sound setup', async () => {
    const models = [model('a', 'style.safetensors', 'lora', 'sdxl'), model('b', 'style.safetensors', 'lora', 'sdxl'), model('c', 'c.safetensors', 'unknown', 'unknown')];
    const w = ciRepo('kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\n', models);
    const r = await runChecked(w, ['validate', '--inventory', 'inventory.yaml'], { exit: 1 });
    expect(r.stderr).toContain(`link path collision: ${join(w.apps, 'comfy', 'loras', 'style.safetensors')}: style.safetensors (aaaaaaaaaaaa, deployment loras, target comfy) and style.safetensors (bbbbbbbbbbbb, deployment loras, target comfy)`);

    // Separate paths by hash, and an Override that makes c a LoRA: valid.
    writeText(join(w.manifests, 'deploy.yaml'), `kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\npath: "{hash}-{name}"\n---\nkind: Override\nmatch: { hash: cccccc }\nset: { type: lora, base: flux }\n---\nkind: Deployment\nname: flux\ntarget: comfy\nselect: { base: flux }\npath: "flux/{name}"\n`);
    writeText(join(w.manifests, 'comfy.yaml'), `kind: Target\nname: comfy\nroot: ${join(w.apps, 'comfy')}\nmappings: { lora: loras }\n`);
    const ok = await runChecked(w, ['validate', '--json', '--inventory', 'inventory.yaml']);
    const out = ok.json<{ valid: boolean; inventory: InventoryCheck }>();
    expect(out.valid).toBe(true);
    expect(out.inventory.deployments.map((d) => [d.name, d.selected])).toEqual([['loras', 3], ['flux', 1]]);
    const human = await runChecked(w, ['validate', '--inventory', 'inventory.yaml']);
    expect(human.stdout).toContain('Inventory check passed: 2 deployments each select at least one of 3 models, no link path collides.');
  });
});
