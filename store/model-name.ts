import { basename, dirname, extname } from 'node:path';
import { isAppModelFolder, pathBelowAppFolder } from '../core/app-folders.js';
import { stmt, type DB } from '../core/db.js';

/**
 * The name of a model whose content was found under several paths (duplicates share one store
 * file): chosen among its source paths, never invented, so a link always carries a name the user
 * gave one of the copies. Pure: the same paths give the same name, in any order.
 *
 * Preference, first difference decides:
 *  1. a name without a copy marker (`x (1)`, `copy of x`, `x - Copy`, `x_copy`, `x copy 2` …);
 *  2. not a generic Hugging Face file name left as it is (`diffusion_pytorch_model.safetensors`
 *     that no folder could name);
 *  3. a path below an app's model folder (core/app-folders.ts): the user's layout for that app;
 *  4. the name, then the path, in code-unit order.
 * A generic Hugging Face name takes its folder's name (`sdxl-vae-fp16-fix/diffusion_pytorch_model.safetensors`
 * → `sdxl-vae-fp16-fix.safetensors`; see nameFromHfFolder).
 */
export function chooseModelName(paths: readonly string[]): { name: string; path: string } | undefined {
  let best: { rank: Rank; name: string; path: string } | undefined;
  for (const path of paths) {
    const c = candidateOf(path);
    if (best === undefined || compareRank(c.rank, best.rank) < 0) best = c;
  }
  return best === undefined ? undefined : { name: best.name, path: best.path };
}

type Rank = [copy: number, generic: number, outsideApp: number, name: string, path: string];

function candidateOf(path: string): { rank: Rank; name: string; path: string } {
  const file = basename(path);
  const generic = isGenericHfName(file);
  const fromFolder = generic ? nameFromHfFolder(path) : undefined;
  const name = fromFolder ?? file;
  const outsideApp = pathBelowAppFolder(dirname(path).split('/').filter((s) => s !== '')) === undefined;
  return { rank: [hasCopyMarker(name) ? 1 : 0, generic && fromFolder === undefined ? 1 : 0, outsideApp ? 1 : 0, name, path], name, path };
}

function compareRank(a: Rank, b: Rank): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** The words file managers use for "copy" (Windows, macOS, GNOME, KDE; English, German, French, Spanish, Italian, Polish, Dutch). */
const COPY_WORD = '(?:copy|kopie|copie|copia|kopia)';
/**
 * What file managers and browsers add to a file name they duplicate or download twice, on the
 * name's stem: ` (1)`, `(2)`, ` (copy)`, ` (Copy 2)`, ` - Copy`, ` - Copy (3)`, ` copy`, ` copy 2`,
 * `-copy`, `_copy`, `.copy`, and the prefixes `copy of `, `Copy (2) of `, `Kopie von `.
 */
const COPY_MARKERS: readonly RegExp[] = [
  new RegExp(`\\s?\\((?:\\d{1,3}|${COPY_WORD}(?:\\s?\\d{1,3})?)\\)$`, 'i'),
  new RegExp(`(?:\\s-\\s|[\\s_.-])${COPY_WORD}(?:[\\s_-]?\\(?\\d{1,3}\\)?)?$`, 'i'),
  new RegExp(`^${COPY_WORD}(?:\\s?\\(\\d{1,3}\\))?\\s(?:of|von|de|di|z|van)\\s`, 'i'),
];

/** Whether a file name carries a copy marker on its stem (the extension is left out). */
export function hasCopyMarker(fileName: string): boolean {
  const stem = stemOf(fileName);
  return COPY_MARKERS.some((re) => re.test(stem));
}

/**
 * File names the Hugging Face libraries (diffusers, transformers, peft, safetensors' conventions)
 * give every repository's weights, so the name says nothing about the model; shards of a split
 * file (`model-00001-of-00002.safetensors`) too.
 */
const GENERIC_HF_STEMS = new Set([
  'diffusion_pytorch_model',
  'diffusion_flax_model',
  'adapter_model',
  'model',
  'pytorch_model',
  'tf_model',
  'flax_model',
  'pytorch_lora_weights',
  'pytorch_custom_diffusion_weights',
  'learned_embeds',
  'image_encoder',
  'consolidated',
  'weights',
]);
const GENERIC_HF_SUFFIX = /(?:\.fp16|\.bf16|\.fp32|\.non_ema|\.ema)$/;
const SHARD = /-\d{5}-of-\d{5}$/;

/** Whether a file name is one of the generic Hugging Face weight names (any of the model extensions, with a precision suffix or shard number). */
export function isGenericHfName(fileName: string): boolean {
  const stem = stemOf(fileName).replace(GENERIC_HF_SUFFIX, '').replace(SHARD, '');
  return GENERIC_HF_STEMS.has(stem) || /^consolidated\.\d{2}$/.test(stem);
}

/** Folders that hold files of any kind, so their name says nothing about a model in them. */
const CONTAINER_FOLDERS = new Set(['models', 'model', 'downloads', 'download', 'desktop', 'documents', 'tmp', 'temp', 'weights', 'files', 'new folder', 'untitled folder', 'blobs', 'hub', 'huggingface']);

/** Folders of a diffusers/transformers repository that hold one component's weights. */
const HF_COMPONENT_FOLDERS = new Set(['unet', 'vae', 'transformer', 'text_encoder', 'text_encoder_2', 'text_encoder_3', 'image_encoder', 'prior', 'decoder', 'controlnet', 'safety_checker']);

/**
 * The name for a generic Hugging Face file from the folders above it: the innermost folder that
 * names something, plus the file's extension. A Hugging Face cache's `snapshots/<commit>` is
 * skipped and `models--org--repo` gives `repo`; a component folder (`unet`, `vae`, …) is skipped
 * and appended (`sdxl-base/unet/…` → `sdxl-base-unet`). Undefined when the folder above is an
 * app's model folder or a container (`models`, `Downloads`, `tmp`, …): nothing names the file
 * there (`loras/adapter_model.safetensors`, `~/Downloads/model.safetensors`).
 */
export function nameFromHfFolder(path: string): string | undefined {
  const folders = dirname(path).split('/').filter((s) => s !== '');
  const components: string[] = [];
  for (let i = folders.length - 1; i >= 0; i--) {
    const f = folders[i] as string;
    if (/^[0-9a-f]{40}$/.test(f) && folders[i - 1] === 'snapshots') {
      i--;
      continue;
    }
    if (HF_COMPONENT_FOLDERS.has(f) && i > 0 && !isAppModelFolder(folders[i - 1] as string) && !CONTAINER_FOLDERS.has((folders[i - 1] as string).toLowerCase())) {
      components.unshift(f);
      continue;
    }
    if (isAppModelFolder(f) || CONTAINER_FOLDERS.has(f.toLowerCase()) || f.startsWith('.')) return undefined;
    const repo = /^models--.+?--(.+)$/.exec(f)?.[1] ?? f;
    return [repo, ...components].join('-') + extname(path);
  }
  return undefined;
}

function stemOf(fileName: string): string {
  const ext = extname(fileName);
  return ext === '' ? fileName : fileName.slice(0, -ext.length);
}

/**
 * Recompute a model's name from its recorded source paths (those an import finished). A model
 * with none keeps the name it has; the store file is never renamed (links into it stay true).
 * Returns whether the name changed.
 */
export function refreshModelName(db: DB, modelId: number): boolean {
  const paths = (stmt(db, "SELECT path FROM model_sources WHERE model_id = ? AND state != 'importing'").all(modelId) as Array<{ path: string }>).map((r) => r.path);
  const chosen = chooseModelName(paths);
  if (chosen === undefined) return false;
  return stmt(db, 'UPDATE models SET name = ? WHERE id = ? AND name != ?').run(chosen.name, modelId, chosen.name).changes > 0;
}

/** Apply the naming rule to every model (an older inventory, on upgrade). */
export function refreshAllModelNames(db: DB): void {
  for (const { id } of db.prepare('SELECT id FROM models').all() as Array<{ id: number }>) refreshModelName(db, id);
}
