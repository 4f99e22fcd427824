/**
 * The folder names applications read models from, by the model type they hold: ComfyUI's
 * folder_paths.py keys (current and legacy names), A1111/Forge's `models/<Folder>` names, and the
 * folders of the other default targets. The default targets' mappings (manifests/*.yaml) use only
 * names listed here (test/core/app-folders.test.ts). Scanning uses the list to recognise a model
 * that sits in an app's folder (its name and its subfolder below that folder are the user's
 * layout); it never decides a model's type.
 */
export const APP_TYPE_FOLDERS: Readonly<Record<string, readonly string[]>> = {
  checkpoint: ['checkpoints', 'Stable-diffusion'],
  unet: ['diffusion_models', 'unet', 'ckpts'],
  lora: ['loras', 'Lora', 'LyCORIS'],
  vae: ['vae', 'VAE'],
  text_encoder: ['text_encoders', 'clip', 'text_encoder'],
  clip_vision: ['clip_vision'],
  controlnet: ['controlnet', 't2i_adapter', 'ControlNet'],
  upscaler: ['upscale_models', 'ESRGAN', 'RealESRGAN', 'SwinIR'],
  embedding: ['embeddings'],
  hypernetwork: ['hypernetworks'],
  ipadapter: ['ipadapter'],
  motion_module: ['animatediff_models'],
  style_model: ['style_models'],
  gligen: ['gligen'],
  photomaker: ['photomaker'],
  vae_approx: ['vae_approx', 'VAE-taesd'],
  model_patch: ['model_patches'],
  audio_encoder: ['audio_encoders'],
  latent_upscaler: ['latent_upscale_models'],
};

const FOLDER_NAMES: ReadonlySet<string> = new Set(Object.values(APP_TYPE_FOLDERS).flat());

/** Whether `name` (one folder name, compared exactly: Linux apps match case-sensitively) is a folder an app reads models from. */
export function isAppModelFolder(name: string): boolean {
  return FOLDER_NAMES.has(name);
}

/**
 * The part of `folders` (a source file's folder names, outermost first) below the innermost app
 * model folder, joined with `/`: `['ComfyUI','models','loras','flux']` → `flux`. Undefined when no
 * folder of the list is an app model folder; `''` when the file sits directly in one.
 */
export function pathBelowAppFolder(folders: readonly string[]): string | undefined {
  for (let i = folders.length - 1; i >= 0; i--) {
    if (isAppModelFolder(folders[i] as string)) return folders.slice(i + 1).join('/');
  }
  return undefined;
}
