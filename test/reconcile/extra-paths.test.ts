/**
 * ComfyUI's extra_model_paths.yaml as a file ModelHub writes and owns (Target `extraModelPaths`):
 * written beside the links on apply, recorded by its content hash, rewritten when the mappings
 * change, removed when no longer declared (only unchanged), and never touching a file ModelHub
 * did not write or one edited since. Real folders, the real CLI in-process.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addModel, execSql, makeWorld, mhOk, query, writeManifest, type World } from '../helpers/world.js';

interface Setup {
  w: World;
  links: string;
  file: string;
}

function target(s: Pick<Setup, 'links' | 'file'>, opts: { mappings?: string; extra?: string | null; enabled?: boolean } = {}): string {
  const extra = opts.extra === null ? '' : `extraModelPaths: ${opts.extra ?? s.file}\n`;
  return `kind: Target\nname: comfy\nroot: ${s.links}\nenabled: ${opts.enabled ?? true}\n${extra}mappings: ${opts.mappings ?? '{ checkpoint: checkpoints, lora: loras, unet: unet }'}\n---\nkind: Deployment\nname: all\ntarget: comfy\nselect: {}\n`;
}

function setup(): Setup {
  const w = makeWorld({ hub: true });
  const links = join(w.hub, 'comfy-links');
  mkdirSync(links);
  mkdirSync(join(w.apps, 'ComfyUI'));
  const s = { w, links, file: join(w.apps, 'ComfyUI', 'modelhub_paths.yaml') };
  addModel(w, { filename: 'sdxl.safetensors', type: 'checkpoint', base: 'sdxl' });
  addModel(w, { filename: 'detail.safetensors', type: 'lora', base: 'sdxl' });
  addModel(w, { filename: 'flux-dev.safetensors', type: 'unet', base: 'flux' });
  writeManifest(w, 'comfy.yaml', target(s));
  return s;
}

/** The file as ComfyUI's loader sees it (PyYAML is YAML 1.1): section → key → paths joined to base_path, empty lines skipped. */
function readAsComfy(file: string): Record<string, string[]> {
  const doc = parse(readFileSync(file, 'utf8'), { version: '1.1' }) as Record<string, Record<string, unknown>>;
  const section = doc.modelhub ?? {};
  const base = String(section.base_path);
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(section)) {
    if (key === 'base_path' || key === 'is_default') continue;
    expect(typeof value, `${key} must be a string (ComfyUI splits it into lines)`).toBe('string');
    out[key] = String(value).split('\n').filter((l) => l.length > 0).map((l) => join(base, l));
  }
  return out;
}

const recordedFiles = (w: World) => query<{ path: string; target: string; sha256: string }>(w, 'SELECT path, target, sha256 FROM deploy_files');
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('extraModelPaths: the file ModelHub writes for ComfyUI', () => {
  it('is written on apply beside the links, recorded by its hash, and apply twice changes nothing', async () => {
    const s = setup();
    const plan = await mhOk(s.w, ['plan']);
    expect(plan.stdout).toContain('files ModelHub writes');
    expect(plan.stdout).toContain(`+ ${s.file}  (comfy: ComfyUI extra model paths checkpoints, diffusion_models, loras; write)`);
    expect(plan.stdout).toContain('1 file change');
    const applied = await mhOk(s.w, ['apply', '--yes']);
    expect(applied.stdout).toContain('1 file written');
    expect(applied.stdout).toContain('restart it');
    expect(readAsComfy(s.file)).toEqual({
      checkpoints: [join(s.links, 'checkpoints')],
      diffusion_models: [join(s.links, 'unet')],
      loras: [join(s.links, 'loras')],
    });
    expect(readFileSync(s.file, 'utf8')).toContain(`--extra-model-paths-config ${s.file}`);
    expect(recordedFiles(s.w)).toEqual([{ path: s.file, target: 'comfy', sha256: sha(s.file) }]);
    const again = await mhOk(s.w, ['apply', '--yes', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ result: null, plan: { files: [], summary: { files: 0 } } });
  });

  it('is rewritten when the mappings change, and several folders of one key are one line each', async () => {
    const s = setup();
    await mhOk(s.w, ['apply', '--yes']);
    writeManifest(s.w, 'comfy.yaml', target(s, { mappings: '{ checkpoint: checkpoints, lora: loras/sdxl, unet: diffusion_models, text_encoder: clip, vae: unet/vae }' }));
    const plan = await mhOk(s.w, ['plan', '--json']);
    expect(JSON.parse(plan.stdout).files).toMatchObject([{ action: 'rewrite-file', reason: 'mappings-changed', path: s.file }]);
    await mhOk(s.w, ['apply', '--yes']);
    expect(readAsComfy(s.file)).toEqual({
      checkpoints: [join(s.links, 'checkpoints')],
      diffusion_models: [join(s.links, 'diffusion_models'), join(s.links, 'unet')],
      loras: [join(s.links, 'loras')],
      text_encoders: [join(s.links, 'clip')],
    });
    expect(readFileSync(s.file, 'utf8')).toContain('  "diffusion_models": |\n    diffusion_models\n    unet\n');
    expect(recordedFiles(s.w)[0]?.sha256).toBe(sha(s.file));
  });

  it('refuses to overwrite a hand edit, and forgets the file (left as it is) once it is no longer declared', async () => {
    const s = setup();
    await mhOk(s.w, ['apply', '--yes']);
    const edited = `${readFileSync(s.file, 'utf8')}  upscale_models: /mnt/esrgan\n`;
    writeFileSync(s.file, edited);
    writeManifest(s.w, 'comfy.yaml', target(s, { mappings: '{ checkpoint: checkpoints, lora: loras }' }));
    const plan = await mhOk(s.w, ['plan'], 1);
    expect(plan.stdout).toContain('config-edited: edited since ModelHub wrote it');
    const refused = await mhOk(s.w, ['apply', '--yes'], 1);
    expect(refused.stderr).toContain('never overwrites a hand edit');
    expect(readFileSync(s.file, 'utf8')).toBe(edited);
    writeManifest(s.w, 'comfy.yaml', target(s, { extra: null }));
    const json = JSON.parse((await mhOk(s.w, ['plan', '--json'])).stdout);
    expect(json.files).toMatchObject([{ action: 'forget-file', reason: 'changed-by-user' }]);
    await mhOk(s.w, ['apply', '--yes']);
    expect(readFileSync(s.file, 'utf8')).toBe(edited);
    expect(recordedFiles(s.w)).toEqual([]);
  });

  it('never edits a file ModelHub did not write (the user own extra_model_paths.yaml)', async () => {
    const s = setup();
    const own = 'comfyui:\n  base_path: /home/me/ComfyUI\n  checkpoints: models/checkpoints\n';
    writeFileSync(s.file, own);
    const plan = await mhOk(s.w, ['plan'], 1);
    expect(plan.stdout).toContain('foreign-config: a file ModelHub did not write');
    const refused = await mhOk(s.w, ['apply', '--yes'], 1);
    expect(refused.stderr).toContain('ModelHub never edits a file it did not write');
    expect(readFileSync(s.file, 'utf8')).toBe(own);
    expect(existsSync(join(s.links, 'loras'))).toBe(false);
  });

  it('is removed, only while unchanged, when the field goes or the target is disabled', async () => {
    const s = setup();
    await mhOk(s.w, ['apply', '--yes']);
    writeManifest(s.w, 'comfy.yaml', target(s, { enabled: false }));
    const plan = JSON.parse((await mhOk(s.w, ['plan', '--json'])).stdout);
    expect(plan.files).toMatchObject([{ action: 'remove-file', reason: 'target-disabled', path: s.file }]);
    const applied = await mhOk(s.w, ['apply', '--yes']);
    expect(applied.stdout).toContain('1 file removed');
    expect(existsSync(s.file)).toBe(false);
    expect(recordedFiles(s.w)).toEqual([]);
    writeManifest(s.w, 'comfy.yaml', target(s));
    await mhOk(s.w, ['apply', '--yes']);
    writeManifest(s.w, 'comfy.yaml', target(s, { extra: null }));
    expect(JSON.parse((await mhOk(s.w, ['plan', '--json'])).stdout).files).toMatchObject([{ action: 'remove-file', reason: 'not-declared' }]);
    await mhOk(s.w, ['apply', '--yes']);
    expect(existsSync(s.file)).toBe(false);
    expect(existsSync(join(s.links, 'loras', 'detail.safetensors'))).toBe(true);
    writeManifest(s.w, 'comfy.yaml', target(s));
    await mhOk(s.w, ['apply', '--yes']);
    writeManifest(s.w, 'comfy.yaml', '# nothing declared\n');
    const removed = JSON.parse((await mhOk(s.w, ['plan', '--json', '--target', 'comfy'])).stdout);
    expect(removed.files).toMatchObject([{ action: 'remove-file', reason: 'target-removed', path: s.file }]);
    await mhOk(s.w, ['apply', '--yes', '--allow-empty']);
    expect(existsSync(s.file)).toBe(false);
    expect(recordedFiles(s.w)).toEqual([]);
  });

  it('records a file already holding exactly the declared text (an apply that ended before recording it)', async () => {
    const s = setup();
    await mhOk(s.w, ['apply', '--yes']);
    execSql(s.w, 'DELETE FROM deploy_files');
    const plan = JSON.parse((await mhOk(s.w, ['plan', '--json'])).stdout);
    expect(plan.files).toMatchObject([{ action: 'record-file', reason: 'unrecorded-file' }]);
    await mhOk(s.w, ['apply', '--yes']);
    expect(recordedFiles(s.w)).toEqual([{ path: s.file, target: 'comfy', sha256: sha(s.file) }]);
  });

  it('is covered by saved plans: apply PLANFILE writes it, and a plan whose file action differs is refused', async () => {
    const s = setup();
    await mhOk(s.w, ['plan', '--out', 'p.json']);
    const saved = JSON.parse(readFileSync(join(s.w.root, 'p.json'), 'utf8'));
    expect(saved.files).toMatchObject([{ action: 'write-file', path: s.file }]);
    saved.files[0].sha256 = '0'.repeat(64);
    writeFileSync(join(s.w.root, 'edited.json'), JSON.stringify(saved));
    const refused = await mhOk(s.w, ['apply', 'edited.json', '--yes'], 1);
    expect(refused.stderr).toContain(`only in the saved plan: write-file ${s.file} (sha256 ${'0'.repeat(64)})`);
    expect(existsSync(s.file)).toBe(false);
    await mhOk(s.w, ['apply', 'p.json', '--yes']);
    expect(existsSync(s.file)).toBe(true);
  });

  it('status reminds that ComfyUI reads the file only when it starts', async () => {
    const s = setup();
    const before = await mhOk(s.w, ['status']);
    expect(before.stdout).toContain(`extra model paths ${s.file}: ComfyUI reads it only when it starts (with --extra-model-paths-config ${s.file}); apply will change it`);
    await mhOk(s.w, ['apply', '--yes']);
    const after = JSON.parse((await mhOk(s.w, ['status', '--json'])).stdout);
    expect(after.targets[0].extraModelPaths).toEqual({ path: s.file, pending: false });
  });

  it('is refused by validation where ComfyUI could not read it as meant', async () => {
    const s = setup();
    writeManifest(s.w, 'comfy.yaml', target(s, { mappings: '{ lora: Lora, checkpoint: checkpoints }' }));
    const bad = await mhOk(s.w, ['validate'], 1);
    expect(bad.stderr).toContain('mappings.lora: "Lora" is no ComfyUI model folder, so extraModelPaths cannot name it');
    writeManifest(s.w, 'comfy.yaml', target(s, { extra: join(s.links, 'paths.yaml') }));
    const inside = await mhOk(s.w, ['validate'], 1);
    expect(inside.stderr).toContain(`extraModelPaths: ${join(s.links, 'paths.yaml')} lies inside the target's root`);
    writeManifest(s.w, 'comfy.yaml', target(s, { extra: join(s.w.manifests, 'comfy-paths.yaml') }));
    const manifests = await mhOk(s.w, ['validate'], 1);
    expect(manifests.stderr).toContain('lies inside the manifests folder');
  });
});
