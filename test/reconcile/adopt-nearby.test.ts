/**
 * `--adopt` next to the declared path: migrating an existing ComfyUI-like folder (models in
 * subfolders, scanned into link-backs or copied) into a deployment that declares them flat adds
 * no second entry beside the user's own file, and apply twice changes nothing the second time.
 */
import { existsSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kohyaLora } from '../fixtures/keysets.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { makeWorld, mhOk, query, writeManifest, type World } from '../helpers/world.js';

/** A ComfyUI models folder with LoRAs in subfolders, and a flat deployment of every LoRA into it. */
async function comfyWorld(): Promise<{ w: World; models: string }> {
  const w = makeWorld({ hub: true });
  const models = join(w.apps, 'ComfyUI', 'models');
  mkdirSync(join(models, 'loras', 'flux'), { recursive: true });
  await writeSafetensors(join(models, 'loras', 'flux', 'retro.safetensors'), kohyaLora({ base: 'sdxl', rank: 4 }));
  await writeSafetensors(join(models, 'loras', 'top.safetensors'), kohyaLora({ base: 'sdxl', rank: 8 }));
  writeManifest(w, 'comfy.yaml', `kind: Target\nname: comfy\nroot: ${models}\nenabled: true\nmappings: { lora: loras }\n`);
  writeManifest(w, 'deploy.yaml', 'kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\n');
  return { w, models };
}

/** Every entry ComfyUI would list under loras/ (files and links, relative). */
function listed(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listed(dir, join(rel, e.name)) : [join(rel, e.name)])).sort();
}

describe('--adopt takes the user’s copy next to the declared path', () => {
  it('migrates scanned link-backs in subfolders: one entry each, apply twice changes nothing', async () => {
    const { w, models } = await comfyWorld();
    const loras = join(models, 'loras');
    await mhOk(w, ['scan', '--no-settle', models]);
    expect(lstatSync(join(loras, 'flux', 'retro.safetensors')).isSymbolicLink()).toBe(true);

    const plain = await mhOk(w, ['plan', '--detailed-exitcode'], 2);
    expect(plain.stdout).toContain('+ loras/retro.safetensors');
    expect(plain.stdout).toContain('a link to this model exists at loras/flux/retro.safetensors; --adopt would take it instead of adding a second entry');

    const adopting = await mhOk(w, ['plan', '--adopt', '--json']);
    const changes = JSON.parse(adopting.stdout).changes as Array<{ action: string; path: string; how?: string; declaredPath?: string }>;
    expect(changes.filter((c) => c.action === 'create')).toEqual([]);
    expect(changes).toContainEqual(expect.objectContaining({ action: 'adopt', how: 'record', path: join(loras, 'flux', 'retro.safetensors'), declaredPath: join(loras, 'retro.safetensors') }));

    const before = readlinkSync(join(loras, 'flux', 'retro.safetensors'));
    await mhOk(w, ['apply', '--yes', '--adopt']);
    expect(listed(loras)).toEqual(['flux/retro.safetensors', 'top.safetensors']);
    expect(readlinkSync(join(loras, 'flux', 'retro.safetensors'))).toBe(before);
    const rows = query<{ link_path: string; declared_path: string | null }>(w, 'SELECT link_path, declared_path FROM deploy_links ORDER BY link_path');
    expect(rows).toEqual([
      { link_path: join(loras, 'flux', 'retro.safetensors'), declared_path: join(loras, 'retro.safetensors') },
      { link_path: join(loras, 'top.safetensors'), declared_path: null },
    ]);

    const again = await mhOk(w, ['apply', '--yes', '--adopt']);
    expect(again.stdout).toContain('No changes.');
    const plan = await mhOk(w, ['plan', '--detailed-exitcode'], 0);
    expect(plan.stdout).toContain('No changes. Target folders match the manifests (2 links in sync).');
    expect(listed(loras)).toEqual(['flux/retro.safetensors', 'top.safetensors']);

    // Ejected there, the copy still holds the declared path: no second entry is made beside it.
    await mhOk(w, ['eject', join(loras, 'flux', 'retro.safetensors')]);
    expect(lstatSync(join(loras, 'flux', 'retro.safetensors')).isFile()).toBe(true);
    const held = await mhOk(w, ['plan', '--adopt', '--detailed-exitcode'], 0);
    expect(held.stdout).toContain('comfy: loras/flux/retro.safetensors (for loras/retro.safetensors)');
    await mhOk(w, ['apply', '--yes', '--adopt']);
    expect(listed(loras)).toEqual(['flux/retro.safetensors', 'top.safetensors']);
  });

  it('takes a copied file only once its SHA-256 matches, and never a same-size impostor', async () => {
    const { w, models } = await comfyWorld();
    const loras = join(models, 'loras');
    await mhOk(w, ['scan', '--no-settle', '--copy', models]);
    // A file of the same size with other bytes, in another subfolder, sorted first.
    const impostor = join(loras, 'aaa', 'retro-edit.safetensors');
    mkdirSync(join(loras, 'aaa'));
    await writeSafetensors(impostor, kohyaLora({ base: 'sdxl', rank: 4 }));
    const fd = openSync(impostor, 'r+');
    writeSync(fd, Buffer.from('Z'), 0, 1, lstatSync(impostor).size - 1);
    closeSync(fd);

    const plain = await mhOk(w, ['plan'], 1);
    expect(plain.stdout).toContain('a file of the same size exists at loras/aaa/retro-edit.safetensors; --adopt would take it if its SHA-256 matches');

    const adopting = JSON.parse((await mhOk(w, ['plan', '--adopt', '--json'])).stdout) as { changes: Array<{ action: string; path: string; how?: string; declaredPath?: string }> };
    expect(adopting.changes).toContainEqual(expect.objectContaining({ action: 'adopt', how: 'replace-file', path: join(loras, 'flux', 'retro.safetensors'), declaredPath: join(loras, 'retro.safetensors') }));
    expect(adopting.changes.some((c) => c.path === impostor)).toBe(false);

    await mhOk(w, ['apply', '--yes', '--adopt']);
    expect(lstatSync(join(loras, 'flux', 'retro.safetensors')).isSymbolicLink()).toBe(true);
    expect(lstatSync(impostor).isFile()).toBe(true);
    expect(existsSync(join(loras, 'retro.safetensors'))).toBe(false);
    expect((await mhOk(w, ['apply', '--yes', '--adopt'])).stdout).toContain('No changes.');
  });
});
