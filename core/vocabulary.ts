/**
 * ModelHub's closed vocabulary: the model types, base families and file formats every
 * part of the program (classifier, inventory, manifests) speaks. See DESIGN.md "Vocabulary".
 */

export const MODEL_TYPES = [
  'checkpoint',
  'unet',
  'lora',
  'vae',
  'text_encoder',
  'clip_vision',
  'controlnet',
  'upscaler',
  'embedding',
  'ipadapter',
  'hypernetwork',
  'motion_module',
  'style_model',
  'gligen',
  'photomaker',
  'vae_approx',
  'model_patch',
  'audio_encoder',
  'latent_upscaler',
  'llm',
  'mmproj',
  'other',
  'unknown',
] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/**
 * Base families for image/video models. For `llm` (and GGUF text encoders) the base is
 * GGUF's `general.architecture`, an open set (llama, qwen2, gemma3, command-r, …).
 */
export const IMAGE_BASES = [
  'sd15',
  'sd2',
  'sdxl',
  'pony',
  'illustrious',
  'noobai',
  'sd3',
  'flux',
  'flux2',
  'chroma',
  'auraflow',
  'pixart',
  'hunyuan_dit',
  'stable_cascade',
  'lumina',
  'qwen_image',
  'hidream',
  'cosmos',
  'wan',
  'hunyuan_video',
  'ltxv',
  'mochi',
  'cogvideox',
  'svd',
  'unknown',
] as const;
export type ImageBase = (typeof IMAGE_BASES)[number];

/**
 * GGUF architectures llama.cpp and ComfyUI-GGUF write, so that manifests naming one validate.
 * Rule files may add more (issue: rules as data).
 */
export const KNOWN_LLM_BASES: readonly string[] = [
  'llama', 'llama4', 'deci', 'mistral3', 'qwen', 'qwen2', 'qwen2moe', 'qwen2vl', 'qwen3', 'qwen3moe', 'qwen3vl',
  'gemma', 'gemma2', 'gemma3', 'gemma3n', 'phi2', 'phi3', 'phimoe', 'falcon', 'falcon-h1', 'gpt2', 'gptj', 'gptneox',
  'gpt-oss', 'mpt', 'bloom', 'starcoder', 'starcoder2', 'mamba', 'mamba2', 'rwkv6', 'rwkv7', 'command-r', 'cohere2',
  'deepseek', 'deepseek2', 'chatglm', 'glm4', 'glm4moe', 'olmo', 'olmo2', 'olmoe', 'internlm2', 'minicpm', 'minicpm3',
  'exaone', 'exaone4', 'granite', 'granitemoe', 'stablelm', 'baichuan', 'orion', 'nemotron', 'arcee', 'ernie4_5',
  'smollm3', 'hunyuan-moe', 'dots1', 'bert', 'nomic-bert', 'jina-bert-v2', 't5', 't5encoder', 'bitnet', 'jamba',
];

/** Families that are SDXL-shaped and only claimed with evidence beyond the weights. */
export const SDXL_FAMILIES: readonly string[] = ['sdxl', 'pony', 'illustrious', 'noobai'];

export const MODEL_FORMATS = ['safetensors', 'gguf', 'ckpt', 'pt', 'pth', 'bin'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

/** File extensions ModelHub treats as model files, mapped to their format. */
export const MODEL_EXTENSIONS: Readonly<Record<string, ModelFormat>> = {
  '.safetensors': 'safetensors',
  '.sft': 'safetensors',
  '.gguf': 'gguf',
  '.ckpt': 'ckpt',
  '.pt': 'pt',
  '.pth': 'pth',
  '.bin': 'bin',
};

export function formatFromPath(path: string): ModelFormat | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  return MODEL_EXTENSIONS[path.slice(dot).toLowerCase()];
}


export function isKnownBase(value: string): boolean {
  return (IMAGE_BASES as readonly string[]).includes(value) || KNOWN_LLM_BASES.includes(value);
}
