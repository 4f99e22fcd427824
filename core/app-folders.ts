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
  // text-generation-webui's user_data/models (LM Studio and llama.cpp take any folder as their root),
  // and the LLM folder some ComfyUI custom nodes read.
  llm: ['models', 'LLM'],
  mmproj: ['mmproj'],
};

const FOLDER_NAMES: ReadonlySet<string> = new Set(Object.values(APP_TYPE_FOLDERS).flat());

/** Whether `name` (one folder name, compared exactly: Linux apps match case-sensitively) is a folder an app reads models from. */
export function isAppModelFolder(name: string): boolean {
  return FOLDER_NAMES.has(name);
}

/**
 * The part of `folders` (a source file's folder names, outermost first) below the innermost app
 * model folder, joined with `/`: `['ComfyUI','models','loras','flux']` → `flux`. Undefined when no
 * folder of the list is an app model folder; `''` when the file sits directly in one. With
 * `type`, only the folders apps read that type from count.
 */
export function pathBelowAppFolder(folders: readonly string[], type?: string): string | undefined {
  const counts = type === undefined ? isAppModelFolder : (name: string): boolean => APP_TYPE_FOLDERS[type]?.includes(name) ?? false;
  for (let i = folders.length - 1; i >= 0; i--) {
    if (counts(folders[i] as string)) return folders.slice(i + 1).join('/');
  }
  return undefined;
}
