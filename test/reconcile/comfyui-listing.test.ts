/**
 * The deployed tree read with ComfyUI's own listing rules, for the default ComfyUI target
 * (manifests/comfyui.yaml, enabled in a temp root): one model per mapped type is deployed by
 * `apply`, then the test lists every folder key the way ComfyUI does and requires each model under
 * the key of its type, with the name ComfyUI would show. Table-driven from the shipped manifest,
 * so a mapping added there is covered (and a folder ComfyUI does not read fails here).
 *
 * ComfyUI's rules, restated as facts (folder_paths.py, utils/extra_config.py):
 * - folder_names_and_paths: key → default folders under models/ and the extensions listed;
 *   supported_pt_extensions is .ckpt .pt .pt2 .bin .pth .safetensors .pkl .sft (no .gguf: that
 *   takes the ComfyUI-GGUF custom node).
 * - get_filename_list: for every folder of the key, os.walk(folder, followlinks=True) (a
 *   folder that is not a directory lists nothing; `.git` skipped), names relative to the folder
 *   (with `/` on Linux), kept when os.path.splitext(name)[1].lower() is in the key's extensions
 *   (an empty set keeps everything), sorted, each once.
 * - extra_model_paths.yaml: per section, base_path expanded, `is_default` taken out, every other
 *   key (legacy `unet`/`clip` mapped to diffusion_models/text_encoders) a string of paths, one a
 *   line, joined to base_path; a key ComfyUI does not have gets an empty extension set.
 * - Custom nodes register `ipadapter` (IPAdapter_plus) and `animatediff_models` (AnimateDiff-
 *   Evolved) with supported_pt_extensions, keeping paths already added.
 */
import { readFileSync, readdirSync, statSync, mkdirSync, existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../core/paths.js';
import { addModel, makeWorld, mhOk, writeManifest, type World } from '../helpers/world.js';

const SUPPORTED_PT_EXTENSIONS = ['.ckpt', '.pt', '.pt2', '.bin', '.pth', '.safetensors', '.pkl', '.sft'];

/** folder_paths.py's keys with their default folders under models/ (and the custom nodes' keys). */
const COMFY_KEYS: Record<string, { folders: string[]; extensions: string[] }> = {
  checkpoints: { folders: ['checkpoints'], extensions: SUPPORTED_PT_EXTENSIONS },
  configs: { folders: ['configs'], extensions: ['.yaml'] },
  loras: { folders: ['loras'], extensions: SUPPORTED_PT_EXTENSIONS },
  vae: { folders: ['vae'], extensions: SUPPORTED_PT_EXTENSIONS },
  text_encoders: { folders: ['text_encoders', 'clip'], extensions: SUPPORTED_PT_EXTENSIONS },
  diffusion_models: { folders: ['unet', 'diffusion_models'], extensions: SUPPORTED_PT_EXTENSIONS },
  clip_vision: { folders: ['clip_vision'], extensions: SUPPORTED_PT_EXTENSIONS },
  style_models: { folders: ['style_models'], extensions: SUPPORTED_PT_EXTENSIONS },
  embeddings: { folders: ['embeddings'], extensions: SUPPORTED_PT_EXTENSIONS },
  vae_approx: { folders: ['vae_approx'], extensions: SUPPORTED_PT_EXTENSIONS },
  controlnet: { folders: ['controlnet', 't2i_adapter'], extensions: SUPPORTED_PT_EXTENSIONS },
  gligen: { folders: ['gligen'], extensions: SUPPORTED_PT_EXTENSIONS },
  upscale_models: { folders: ['upscale_models'], extensions: SUPPORTED_PT_EXTENSIONS },
  latent_upscale_models: { folders: ['latent_upscale_models'], extensions: SUPPORTED_PT_EXTENSIONS },
  hypernetworks: { folders: ['hypernetworks'], extensions: SUPPORTED_PT_EXTENSIONS },
  photomaker: { folders: ['photomaker'], extensions: SUPPORTED_PT_EXTENSIONS },
  model_patches: { folders: ['model_patches'], extensions: SUPPORTED_PT_EXTENSIONS },
  audio_encoders: { folders: ['audio_encoders'], extensions: SUPPORTED_PT_EXTENSIONS },
  ipadapter: { folders: ['ipadapter'], extensions: SUPPORTED_PT_EXTENSIONS },
  animatediff_models: { folders: ['animatediff_models'], extensions: SUPPORTED_PT_EXTENSIONS },
};
const LEGACY: Record<string, string> = { unet: 'diffusion_models', clip: 'text_encoders' };

/** Python's os.path.splitext(p)[1]: from the last dot of the last component, leading dots not counting. */
function splitextExt(p: string): string {
  const base = posix.basename(p);
  const stripped = base.replace(/^\.+/, '');
  const dot = stripped.lastIndexOf('.');
  return dot < 0 ? '' : stripped.slice(dot);
}

/** os.walk(top, followlinks=True): every non-directory entry, relative to top with `/`; `.git` folders skipped. */
function walk(top: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        isDir = false; // a broken link is a file to os.walk
      }
      if (isDir) {
        if (name !== '.git') visit(path, rel === '' ? name : `${rel}/${name}`);
      } else out.push(rel === '' ? name : `${rel}/${name}`);
    }
  };
  if (existsSync(top) && statSync(top).isDirectory()) visit(top, '');
  return out;
}

/** get_filename_list(key) over `paths` (key → folders) and `extensions` (key → extensions; empty: all). */
function comfyList(paths: Map<string, string[]>, extensions: Map<string, string[]>, key: string): string[] {
  const exts = extensions.get(key) ?? [];
  const names = new Set<string>();
  for (const folder of paths.get(key) ?? []) for (const f of walk(folder)) if (exts.length === 0 || exts.includes(splitextExt(f).toLowerCase())) names.add(f);
  return [...names].sort();
}

/** ComfyUI's folder_names_and_paths for an install whose models/ folder is `models`. */
function defaultPaths(models: string): { paths: Map<string, string[]>; extensions: Map<string, string[]> } {
  const paths = new Map(Object.entries(COMFY_KEYS).map(([k, v]) => [k, v.folders.map((f) => join(models, f))]));
  const extensions = new Map(Object.entries(COMFY_KEYS).map(([k, v]) => [k, v.extensions]));
  return { paths, extensions };
}

/** add_model_folder_path for every path of an extra_model_paths.yaml, read as ComfyUI reads it (PyYAML: YAML 1.1). */
function addExtraPaths(file: string, into: { paths: Map<string, string[]>; extensions: Map<string, string[]> }): void {
  const doc = parse(readFileSync(file, 'utf8'), { version: '1.1' }) as Record<string, Record<string, unknown> | null>;
  for (const section of Object.values(doc)) {
    if (section === null) continue;
    const base = typeof section.base_path === 'string' ? section.base_path : undefined;
    for (const [rawKey, value] of Object.entries(section)) {
      if (rawKey === 'base_path' || rawKey === 'is_default') continue;
      expect(typeof value, `${file}: ${rawKey} is a string of paths (ComfyUI calls .split on it)`).toBe('string');
      const key = LEGACY[rawKey] ?? rawKey;
      for (const line of String(value).split('\n')) {
        if (line.length === 0) continue;
        const full = base === undefined ? join(posix.dirname(file), line) : join(base, line);
        if (!into.paths.has(key)) {
          into.paths.set(key, []);
          into.extensions.set(key, []);
        }
        const list = into.paths.get(key)!;
        if (!list.includes(full)) list.push(full);
      }
    }
  }
}

/** The default ComfyUI target's mappings: type → folder (a mapping may be a folder or `{ folder, … }`). */
function shippedMappings(): Array<[string, string]> {
  const doc = parse(readFileSync(join(packageRoot(), 'manifests', 'comfyui.yaml'), 'utf8')) as { mappings: Record<string, string | { folder: string }> };
  return Object.entries(doc.mappings).map(([type, m]) => [type, typeof m === 'string' ? m : m.folder]);
}

/** The key whose default folder holds `folder`, and the folder below that default (`loras/x` → loras, `x`). */
function keyOf(folder: string): { key: string; below: string } | undefined {
  for (const [key, v] of Object.entries(COMFY_KEYS)) {
    for (const f of v.folders) if (folder === f || folder.startsWith(`${f}/`)) return { key, below: folder.slice(f.length + 1) };
  }
  return undefined;
}

/**
 * A world with the shipped ComfyUI target enabled at `root` (plus `extra` lines), one model per
 * mapped type (and a GGUF diffusion model), all deployed under `{base}/` by apply.
 */
async function deployShipped(w: World, root: string, extra = ''): Promise<Map<string, { type: string; relPath: string }>> {
  const shipped = readFileSync(join(packageRoot(), 'manifests', 'comfyui.yaml'), 'utf8');
  const text = shipped.replace(/^root: .*$/m, `root: ${root}\n${extra}`).replace(/^enabled: false$/m, 'enabled: true');
  expect(text).toContain('enabled: true');
  writeManifest(w, 'comfyui.yaml', `${text}\n---\nkind: Deployment\nname: all\ntarget: comfyui\nselect: {}\npath: "{base}/{name}"\n`);
  for (const [type] of shippedMappings()) addModel(w, { filename: `${type}-model.safetensors`, type, base: 'sdxl' });
  addModel(w, { filename: 'unet-q8.gguf', type: 'unet', base: 'flux', format: 'gguf' });
  const plan = JSON.parse((await mhOk(w, ['plan', '--json'])).stdout) as { changes: Array<{ action: string; relPath: string; model: { name: string } }> };
  await mhOk(w, ['apply', '--yes']);
  const byName = new Map<string, { type: string; relPath: string }>();
  for (const c of plan.changes) if (c.action === 'create') byName.set(c.model.name, { type: c.model.name.replace(/-model\.safetensors$|-q8\.gguf$/, ''), relPath: c.relPath });
  return byName;
}

/** Every deployed safetensors model is listed under the key of its type's folder, with the name ComfyUI shows. */
function expectListed(deployed: Map<string, { type: string; relPath: string }>, lists: { paths: Map<string, string[]>; extensions: Map<string, string[]> }): void {
  const mappings = shippedMappings();
  expect(mappings.length).toBeGreaterThan(10);
  for (const [type, folder] of mappings) {
    const place = keyOf(folder);
    expect(place, `comfyui.yaml maps ${type} to ${folder}, a folder ComfyUI does not read`).toBeDefined();
    const link = deployed.get(`${type}-model.safetensors`);
    expect(link, `a ${type} model was deployed`).toBeDefined();
    const expectedName = posix.join(place!.below, link!.relPath.slice(folder.length + 1));
    expect(expectedName).toBe(place!.below === '' ? `sdxl/${type}-model.safetensors` : `${place!.below}/sdxl/${type}-model.safetensors`);
    expect(comfyList(lists.paths, lists.extensions, place!.key), `ComfyUI's ${place!.key} list`).toContain(expectedName);
  }
  const gguf = deployed.get('unet-q8.gguf');
  expect(gguf?.relPath).toBe(`${mappings.find(([t]) => t === 'unet')![1]}/flux/unet-q8.gguf`);
  expect(comfyList(lists.paths, lists.extensions, 'diffusion_models')).not.toContain('flux/unet-q8.gguf');
}

describe("the default ComfyUI target, read with ComfyUI's listing rules", () => {
  it('lists every deployed model under the folder key of its type, with its subfolder in the name', async () => {
    const w = makeWorld({ hub: true });
    const models = join(w.apps, 'ComfyUI', 'models');
    mkdirSync(models, { recursive: true });
    const deployed = await deployShipped(w, models);
    expectListed(deployed, defaultPaths(models));
  });

  it('lists them too through the extraModelPaths file, with the links in a folder of their own', async () => {
    const w = makeWorld({ hub: true });
    const links = join(w.hub, 'comfyui-links');
    mkdirSync(links);
    const install = join(w.apps, 'ComfyUI');
    mkdirSync(join(install, 'models'), { recursive: true });
    const file = join(install, 'modelhub_extra_paths.yaml');
    const deployed = await deployShipped(w, links, `extraModelPaths: ${file}\n`);
    const lists = defaultPaths(join(install, 'models'));
    for (const key of ['loras', 'checkpoints']) expect(comfyList(lists.paths, lists.extensions, key)).toEqual([]);
    addExtraPaths(file, lists);
    expectListed(deployed, lists);
  });
});
