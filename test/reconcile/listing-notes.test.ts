/**
 * A Target's `listing` (how the application lists a folder's files) and what status says from
 * it, on real folders with the shipped targets: ComfyUI lists .gguf diffusion models and text
 * encoders only with ComfyUI-GGUF (a note); Forge keys its VAE / text-encoder menu by file name
 * and matches those extensions case-sensitively, and keys LoRAs by their name without extension
 * (warnings). Advisory only: the same links are deployed either way.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import type { YamlProblem } from '../../core/yaml.js';
import { checkListing } from '../../reconcile/listing.js';
import { loadManifests } from '../../reconcile/manifests.js';
import { addModel, makeWorld, mhOk, writeManifest, type World } from '../helpers/world.js';

/** A shipped target, enabled and rooted at a new folder of the world. */
function enableShipped(w: World, file: string, folder: string): string {
  const root = join(w.apps, folder);
  mkdirSync(root, { recursive: true });
  const shipped = readFileSync(join(packageRoot(), 'manifests', file), 'utf8');
  writeManifest(w, file, shipped.replace(/^root: .*$/m, `root: ${root}`).replace(/^enabled: false$/m, 'enabled: true'));
  return root;
}

interface StatusJson {
  targets: Array<{ name: string; conflicts: number; notes: Array<{ level: string; folder: string; message: string; paths: string[] }> }>;
}

describe('listing notes in status', () => {
  it('ComfyUI: deployed .gguf diffusion models and text encoders get a note naming ComfyUI-GGUF, and nothing else does', async () => {
    const w = makeWorld({ hub: true });
    addModel(w, { filename: 'flux1-dev-Q4_K_S.gguf', type: 'unet', base: 'flux', format: 'gguf' });
    addModel(w, { filename: 'wan2.1-t2v-14b-Q8_0.gguf', type: 'unet', base: 'wan', format: 'gguf' });
    addModel(w, { filename: 't5-v1_1-xxl-encoder-Q5_K_M.gguf', type: 'text_encoder', base: 'flux', format: 'gguf' });
    addModel(w, { filename: 'flux1-schnell.safetensors', type: 'unet', base: 'flux' });
    const root = enableShipped(w, 'comfyui.yaml', 'ComfyUI');
    writeManifest(w, 'd.yaml', 'kind: Deployment\nname: all\ntarget: comfyui\nselect: { type: [unet, text_encoder] }\n');
    await mhOk(w, ['apply', '--yes']);
    expect(readdirSync(join(root, 'diffusion_models')).sort()).toEqual(['flux1-dev-Q4_K_S.gguf', 'flux1-schnell.safetensors', 'wan2.1-t2v-14b-Q8_0.gguf']);

    const status = await mhOk(w, ['status']);
    expect(status.stdout).toContain('note 2 .gguf links in diffusion_models: ComfyUI lists them only with the ComfyUI-GGUF custom node\n    diffusion_models/flux1-dev-Q4_K_S.gguf\n    diffusion_models/wan2.1-t2v-14b-Q8_0.gguf');
    expect(status.stdout).toContain('note 1 .gguf link in text_encoders: ComfyUI lists them only with the ComfyUI-GGUF custom node');
    expect(status.stdout).toContain('In sync with the manifests.');
    const json = (await mhOk(w, ['--json', 'status'])).json<StatusJson>();
    const comfy = json.targets.find((t) => t.name === 'comfyui');
    expect(comfy?.conflicts).toBe(0);
    expect(comfy?.notes.map((n) => [n.level, n.folder, n.paths.length])).toEqual([['note', 'diffusion_models', 2], ['note', 'text_encoders', 1]]);
  });

  it('Forge: two VAEs of one file name, an upper-case extension and two LoRAs of one stem are warned about', async () => {
    const w = makeWorld({ hub: true });
    addModel(w, { filename: 'ae.safetensors', type: 'vae', base: 'flux', content: 'flux ae' });
    addModel(w, { filename: 'ae.safetensors', type: 'vae', base: 'sd3', content: 'sd3 ae' });
    addModel(w, { filename: 'sdxl_vae.SAFETENSORS', type: 'vae', base: 'sdxl' });
    addModel(w, { filename: 'detail.safetensors', type: 'lora', base: 'sdxl', content: 'detail new' });
    addModel(w, { filename: 'detail.pt', type: 'lora', base: 'sdxl', format: 'pt', content: 'detail old' });
    addModel(w, { filename: 'other.safetensors', type: 'lora', base: 'sdxl' });
    const root = enableShipped(w, 'forge.yaml', 'forge');
    writeManifest(w, 'd.yaml', 'kind: Deployment\nname: vaes\ntarget: forge\nselect: { type: vae }\npath: "{base}/{name}"\n---\nkind: Deployment\nname: loras\ntarget: forge\nselect: { type: lora }\n');
    await mhOk(w, ['apply', '--yes']);
    expect(readdirSync(join(root, 'models', 'VAE')).sort()).toEqual(['flux', 'sd3', 'sdxl']);

    const status = await mhOk(w, ['status']);
    expect(status.stdout).toContain(
      'warning 2 links named detail.* in models/Lora: Forge lists one file per name (without its extension) there, so only one of them can be chosen; give them distinct names (the deployment\'s path template, or an Override\'s set.name)\n    models/Lora/detail.pt\n    models/Lora/detail.safetensors',
    );
    expect(status.stdout).toContain('warning 2 links named ae.safetensors in models/VAE: Forge lists one file per file name there');
    expect(status.stdout).toContain('warning Forge matches extensions in models/VAE case-sensitively and will not list 1 .SAFETENSORS link (it lists .safetensors, .ckpt, .pt, .bin, .gguf)');
    expect(status.stdout).not.toContain('other.safetensors');
    const forge = (await mhOk(w, ['--json', 'status'])).json<StatusJson>().targets.find((t) => t.name === 'forge');
    expect(forge?.notes.map((n) => [n.level, n.folder, n.paths])).toEqual([
      ['warning', 'models/Lora', ['models/Lora/detail.pt', 'models/Lora/detail.safetensors']],
      ['warning', 'models/VAE', ['models/VAE/sdxl/sdxl_vae.SAFETENSORS']],
      ['warning', 'models/VAE', ['models/VAE/flux/ae.safetensors', 'models/VAE/sd3/ae.safetensors']],
    ]);
  });
});

describe('the listing field', () => {
  it('is loaded per normalized folder, and a folder leaving the root is refused at its position', () => {
    const w = makeWorld();
    writeManifest(w, 't.yaml', 'kind: Target\nname: app\nroot: /apps/app\nmappings: { vae: models/VAE }\nlisting:\n  models/VAE/: { keyedBy: name, extensions: [.safetensors], matchCase: true }\n  models/x: { needs: { .GGUF: an add-on } }\n');
    const [t] = loadManifests(w.manifests, { env: {}, cwd: w.root }).targets;
    expect(t?.listing).toEqual({
      'models/VAE': { keyedBy: 'name', extensions: ['.safetensors'], matchCase: true, needs: {} },
      'models/x': { keyedBy: 'path', matchCase: false, needs: { '.gguf': 'an add-on' } },
    });
    writeManifest(w, 't.yaml', 'kind: Target\nname: app\nroot: /apps/app\nmappings: { vae: models/VAE }\nlisting:\n  ../VAE: { keyedBy: name }\n  models/VAE: { keyedBy: basename, extensions: [safetensors] }\n');
    let problems: string[] = [];
    try {
      loadManifests(w.manifests, { env: {}, cwd: w.root });
    } catch (err) {
      problems = (err as { details: YamlProblem[] }).details.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
    }
    expect(problems).toEqual([
      'manifests/t.yaml:6:11: listing: "../VAE" escapes the target root (..); to reach a folder beside models/, make root the application folder',
      'manifests/t.yaml:7:26: listing.models/VAE.keyedBy: unknown value "basename"; expected one of path, name, stem',
      'manifests/t.yaml:7:49: listing.models/VAE.extensions[0]: "safetensors" is not valid (an extension with its dot, e.g. .safetensors)',
    ]);
  });

  it('checks only the links below a listed folder, the innermost rule deciding', () => {
    const target = {
      displayName: 'App',
      listing: {
        models: { keyedBy: 'name' as const, matchCase: false, needs: {} },
        'models/VAE': { keyedBy: 'path' as const, extensions: ['.safetensors'], matchCase: false, needs: {} },
      },
    };
    const notes = checkListing(target, ['models/a/x.bin', 'models/b/x.bin', 'models/VAE/a/y.SafeTensors', 'models/VAE/b/y.safetensors', 'other/x.bin', 'modelsx/x.bin']);
    expect(notes.map((n) => [n.folder, n.paths])).toEqual([['models', ['models/a/x.bin', 'models/b/x.bin']]]);
  });
});
