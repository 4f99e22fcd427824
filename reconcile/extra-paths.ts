import { createHash } from 'node:crypto';
import type { DesiredFile } from './file-types.js';
import type { TargetSpec } from './manifest-types.js';

/**
 * ComfyUI's `extra_model_paths.yaml`, as ModelHub writes it for a Target with `extraModelPaths`.
 * Facts from ComfyUI (utils/extra_config.py, folder_paths.py), restated:
 *
 * - The file is read with PyYAML's safe_load (YAML 1.1), once, when ComfyUI starts
 *   (`--extra-model-paths-config FILE`; the flag may be given several times).
 * - Each top-level key is a section; `base_path` (expanded with expandvars and expanduser) and
 *   `is_default` are taken out, every other key is a folder_paths name whose value is a string
 *   of paths, one a line (empty lines skipped), each joined to base_path.
 * - Legacy names are mapped (`unet` → `diffusion_models`, `clip` → `text_encoders`).
 * - `is_default: true` puts the paths first (where model downloaders save); ModelHub leaves it
 *   out, so the install's own folders stay the download target.
 *
 * PURE: no filesystem.
 */

/** The section ModelHub writes. */
export const EXTRA_PATHS_SECTION = 'modelhub';

/**
 * Folder names under ComfyUI's `models/` → the folder_paths key that lists them: the keys of
 * folder_paths.py with their default folders (legacy folders `unet`, `clip`, `t2i_adapter` read
 * under the current key), and the keys the common custom nodes register (ComfyUI_IPAdapter_plus:
 * `ipadapter`; AnimateDiff-Evolved: `animatediff_models`, `animatediff_motion_lora`).
 */
export const COMFYUI_FOLDER_KEYS: Readonly<Record<string, string>> = {
  checkpoints: 'checkpoints',
  configs: 'configs',
  loras: 'loras',
  vae: 'vae',
  text_encoders: 'text_encoders',
  clip: 'text_encoders',
  diffusion_models: 'diffusion_models',
  unet: 'diffusion_models',
  clip_vision: 'clip_vision',
  style_models: 'style_models',
  embeddings: 'embeddings',
  diffusers: 'diffusers',
  vae_approx: 'vae_approx',
  controlnet: 'controlnet',
  t2i_adapter: 'controlnet',
  gligen: 'gligen',
  upscale_models: 'upscale_models',
  latent_upscale_models: 'latent_upscale_models',
  hypernetworks: 'hypernetworks',
  photomaker: 'photomaker',
  classifiers: 'classifiers',
  model_patches: 'model_patches',
  audio_encoders: 'audio_encoders',
  ipadapter: 'ipadapter',
  animatediff_models: 'animatediff_models',
  animatediff_motion_lora: 'animatediff_motion_lora',
};

/** A mapped folder as ComfyUI would be told of it: its folder_paths key and the folder (relative to the root) that key lists. */
export interface ComfyFolder {
  key: string;
  /** Relative to the target root, posix; `.` for the root itself. */
  folder: string;
}

/**
 * The ComfyUI key of a mapped folder (relative to the root, posix): the outermost part of its
 * path that is a ComfyUI folder name, listed from that part down, so the names ComfyUI shows are
 * those a models/ folder of the same layout gives (`loras/sdxl` → key `loras`, folder `loras`,
 * a file in it listed as `sdxl/x.safetensors`). Undefined when no part is a ComfyUI folder name.
 */
export function comfyFolderOf(folder: string): ComfyFolder | undefined {
  const parts = folder === '' ? [] : folder.split('/');
  const at = parts.findIndex((p) => Object.hasOwn(COMFYUI_FOLDER_KEYS, p));
  if (at < 0) return undefined;
  return { key: COMFYUI_FOLDER_KEYS[parts[at] as string] as string, folder: parts.slice(0, at + 1).join('/') };
}

/** The keys and their folders for a target, in key order; each folder once. */
export function comfyFoldersOf(target: Pick<TargetSpec, 'mappings'>): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const mapped of Object.values(target.mappings)) {
    const f = comfyFolderOf(mapped);
    if (f === undefined) continue;
    const list = byKey.get(f.key) ?? [];
    if (!list.includes(f.folder)) list.push(f.folder);
    byKey.set(f.key, list);
  }
  for (const list of byKey.values()) list.sort();
  return new Map([...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Why a target's extraModelPaths file cannot be written, or undefined: a mapped folder that
 * ComfyUI has no key for, a root or folder with a line break (ComfyUI splits values into lines)
 * or a `$` (ComfyUI expands variables in base_path), or a root starting with `~`.
 */
export function checkExtraPathsTarget(target: Pick<TargetSpec, 'root' | 'mappings'>): Array<{ type?: string; message: string }> {
  const problems: Array<{ type?: string; message: string }> = [];
  if (/[\r\n]/.test(target.root)) problems.push({ message: `extraModelPaths: the root ${JSON.stringify(target.root)} holds a line break, which ComfyUI's file cannot carry` });
  if (target.root.includes('$')) problems.push({ message: `extraModelPaths: the root ${target.root} holds a $, which ComfyUI would expand as a variable in base_path; choose a root without one` });
  for (const [type, folder] of Object.entries(target.mappings)) {
    if (/[\r\n]/.test(folder)) problems.push({ type, message: `mappings.${type}: ${JSON.stringify(folder)} holds a line break, which ComfyUI reads as two folders` });
    else if (comfyFolderOf(folder) === undefined) {
      problems.push({ type, message: `mappings.${type}: "${folder || '.'}" is no ComfyUI model folder, so extraModelPaths cannot name it (a folder in the path must be one of ComfyUI's: ${[...new Set(Object.values(COMFYUI_FOLDER_KEYS))].join(', ')})` });
    }
  }
  return problems;
}

/**
 * The file's text for `target` (root absolute): a comment saying who wrote it and how ComfyUI
 * is started with it, then the `modelhub` section with base_path and one key per ComfyUI folder
 * the mappings name (several folders under one key: one a line, a YAML block). Every scalar is
 * double-quoted so YAML 1.1 (PyYAML) reads each as the string it is (`on`, `no`, `1e3` too).
 */
export function renderExtraModelPaths(target: Pick<TargetSpec, 'name' | 'root' | 'mappings'> & { extraModelPaths: string }): string {
  const lines = [
    `# Written by ModelHub for target ${target.name}. Do not edit: ModelHub rewrites it when the`,
    '# mappings change and refuses to touch it once edited (remove it to let ModelHub write it again).',
    '# ComfyUI reads it only when it starts; start ComfyUI with',
    `#   --extra-model-paths-config ${target.extraModelPaths.replace(/[\r\n]/g, ' ')}`,
    `${EXTRA_PATHS_SECTION}:`,
    `  base_path: ${quote(target.root)}`,
  ];
  for (const [key, folders] of comfyFoldersOf(target)) {
    const blockSafe = folders.length > 1 && folders.every((f) => f === f.trim() && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(f));
    if (blockSafe) lines.push(`  ${quote(key)}: |`, ...folders.map((f) => `    ${f}`));
    else lines.push(`  ${quote(key)}: ${quote(folders.join('\n'))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** SHA-256 (hex) of a text as written (UTF-8). */
export function textSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A YAML double-quoted scalar: JSON's escapes, plus DEL and the C1 controls, which YAML may not hold raw. */
function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The extraModelPaths files the manifests declare: one per enabled target that sets the field (only `onlyTarget`'s when given). */
export function declareExtraPathFiles(targets: readonly TargetSpec[], onlyTarget?: string | null): DesiredFile[] {
  const out: DesiredFile[] = [];
  for (const t of targets) {
    if (!t.enabled || t.extraModelPaths === undefined || (onlyTarget != null && t.name !== onlyTarget)) continue;
    const content = renderExtraModelPaths({ ...t, extraModelPaths: t.extraModelPaths });
    out.push({ target: t.name, path: t.extraModelPaths, purpose: 'comfyui-extra-model-paths', content, sha256: textSha256(content), summary: [...comfyFoldersOf(t).keys()] });
  }
  return out;
}
