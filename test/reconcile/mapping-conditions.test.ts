/**
 * Mappings with conditions (`unet: { folder: models/Stable-diffusion, base: [flux, sd3, chroma] }`):
 * loaded and checked at their positions, a model that does not meet them is deployed nowhere in
 * that target, status says why a selected model lands nowhere, and the default Forge target
 * keeps the UNet families Forge cannot load (and the formats it does not list) out of its folders.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import type { YamlProblem } from '../../core/yaml.js';
import { loadManifests } from '../../reconcile/manifests.js';
import { addModel, makeWorld, mhOk, query, writeManifest, type World } from '../helpers/world.js';
import { tempDir } from '../helpers/tmp.js';

function load(dir: string): ReturnType<typeof loadManifests> {
  return loadManifests(dir, { env: { HOME: '/home/tester' }, cwd: dir });
}

function problemsOf(dir: string): string[] {
  try {
    load(dir);
  } catch (err) {
    return (err as { details: YamlProblem[] }).details.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
  }
  throw new Error('expected the manifests to be invalid');
}

describe('a mapping with conditions', () => {
  it('loads as a folder plus conditions; a plain string stays a plain folder', () => {
    const w = makeWorld();
    writeManifest(w, 't.yaml', 'kind: Target\nname: forge\nroot: /apps/forge\nmappings:\n  unet: { folder: models/Stable-diffusion/, base: [flux, sd3], format: [safetensors, gguf] }\n  lora: { folder: models/Lora, format: safetensors }\n  vae: models/VAE\n');
    const [t] = load(w.manifests).targets;
    expect(t?.mappings).toEqual({ unet: 'models/Stable-diffusion', lora: 'models/Lora', vae: 'models/VAE' });
    expect(t?.conditions).toEqual({ unet: { base: ['flux', 'sd3'], format: ['safetensors', 'gguf'] }, lora: { format: ['safetensors'] } });
  });

  it('reports every problem of a conditional mapping at its file:line:col', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const text = [
      'kind: Target',
      'name: forge',
      'root: /apps/forge',
      'mappings:',
      '  unet: { folder: models/Stable-diffusion, base: [flux, fluxx] }',
      '  lora: { folder: ../Lora }',
      '  vae: { base: sdxl }',
      '  controlnet: { folder: models/ControlNet, format: [safetensors, onnx] }',
      '  text_encoder: { folder: models/text_encoder, bases: [flux] }',
      '',
    ].join('\n');
    writeManifest({ manifests: dir } as World, 't.yaml', text);
    expect(problemsOf(dir)).toEqual([
      't.yaml:5:57: mappings.unet.base: unknown base "fluxx"; did you mean "flux"?',
      't.yaml:6:19: mappings.lora: "../Lora" escapes the target root (..); to reach a folder beside models/, make root the application folder',
      't.yaml:7:8: mappings.vae: missing required key "folder"',
      't.yaml:8:66: mappings.controlnet.format[1]: unknown format "onnx"; expected one of safetensors, gguf, ckpt, pt, pth, bin',
      't.yaml:9:48: mappings.text_encoder: unknown key "bases"; did you mean "base"?',
    ]);
  });
});

/** The shipped Forge target, enabled and rooted in the world, with one deployment of every UNet and VAE. */
function enableForge(w: World): string {
  const root = join(w.apps, 'forge');
  mkdirSync(root, { recursive: true });
  const shipped = readFileSync(join(packageRoot(), 'manifests', 'forge.yaml'), 'utf8');
  writeManifest(w, 'forge.yaml', shipped.replace(/^root: .*$/m, `root: ${root}`).replace(/^enabled: false$/m, 'enabled: true'));
  writeManifest(w, 'd.yaml', 'kind: Deployment\nname: diffusion\ntarget: forge\nselect: { type: [unet, vae] }\n');
  return root;
}

describe('the default Forge target', () => {
  it('deploys only the UNets Forge loads, in the formats it lists, and status says why the others land nowhere', async () => {
    const w = makeWorld({ hub: true });
    addModel(w, { filename: 'flux1-dev.safetensors', type: 'unet', base: 'flux' });
    addModel(w, { filename: 'flux1-dev-Q4_K_S.gguf', type: 'unet', base: 'flux', format: 'gguf' });
    addModel(w, { filename: 'chroma-unlocked-v37.safetensors', type: 'unet', base: 'chroma' });
    const wan = addModel(w, { filename: 'wan2.1_t2v_14B_bf16.safetensors', type: 'unet', base: 'wan' });
    addModel(w, { filename: 'hunyuan_video_t2v_720p_bf16.safetensors', type: 'unet', base: 'hunyuan_video' });
    addModel(w, { filename: 'PixArt-Sigma-XL-2-1024-MS.pth', type: 'unet', base: 'pixart', format: 'pth' });
    addModel(w, { filename: 'flux1-dev-pruned.pth', type: 'unet', base: 'flux', format: 'pth' });
    addModel(w, { filename: 'ae.safetensors', type: 'vae', base: 'flux' });
    const root = enableForge(w);

    await mhOk(w, ['apply', '--yes']);
    expect(readdirSync(join(root, 'models', 'Stable-diffusion')).sort()).toEqual(['chroma-unlocked-v37.safetensors', 'flux1-dev-Q4_K_S.gguf', 'flux1-dev.safetensors']);
    expect(readdirSync(join(root, 'models', 'VAE'))).toEqual(['ae.safetensors']);
    expect(existsSync(join(root, 'models', 'Stable-diffusion', 'wan2.1_t2v_14B_bf16.safetensors'))).toBe(false);

    const status = await mhOk(w, ['status']);
    expect(status.stdout).toContain('selected, but lands nowhere: wan2.1_t2v_14B_bf16.safetensors (unet): mappings.unet takes base flux, sd3, chroma; this is wan');
    expect(status.stdout).toContain('selected, but lands nowhere: PixArt-Sigma-XL-2-1024-MS.pth (unet): mappings.unet takes base flux, sd3, chroma; this is pixart, and format safetensors, ckpt, gguf; this is pth');
    expect(status.stdout).toContain('selected, but lands nowhere: flux1-dev-pruned.pth (unet): mappings.unet takes format safetensors, ckpt, gguf; this is pth');
    expect(status.stdout).not.toContain('not selected by any deployment');
    const json = (await mhOk(w, ['--json', 'status'])).json<{ targets: Array<{ name: string; unmapped: Array<{ hash: string; reason: string }>; unselected: unknown[] }> }>();
    const forge = json.targets.find((t) => t.name === 'forge');
    expect(forge?.unmapped.map((m) => m.hash)).toContain(wan);
    expect(forge?.unmapped).toHaveLength(4);
    expect(forge?.unselected).toEqual([]);

    // The ledger mirrors the folder of a conditional mapping like a plain one.
    const mirrored = query<{ model_type: string; folder: string }>(w, "SELECT m.model_type, m.folder FROM deploy_mappings m JOIN deploy_targets t ON t.id = m.target_id WHERE t.name = 'forge' AND m.model_type IN ('unet', 'upscaler') ORDER BY m.model_type");
    expect(mirrored).toEqual([{ model_type: 'unet', folder: 'models/Stable-diffusion' }, { model_type: 'upscaler', folder: 'models/ESRGAN' }]);
  });
});
