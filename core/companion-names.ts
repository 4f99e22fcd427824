/**
 * Which files beside a model belong to it (its companions: previews, the metadata other tools
 * write, a checkpoint's config) and what each is called beside a link. Facts from the apps:
 * Forge/A1111 look for `<stem>.<ext>` and `<stem>.preview.<ext>` (png, jpg, jpeg, webp, gif),
 * `<stem>.txt`/`<stem>.description.txt`, the user metadata `<stem>.json` and a checkpoint's
 * `<stem>.yaml`; ComfyUI-Lora-Manager also shows `.mp4`/`.webm` previews and keeps
 * `<stem>.metadata.json`; Civitai Helper writes `<stem>.civitai.info`, Stability Matrix
 * `<stem>.cm-info.json`. `<stem>` is the model file's name without its last extension (never
 * `x.safetensors.preview.png`). A PEFT folder's `adapter_config.json` belongs to its
 * `adapter_model.*` file.
 *
 * A companion's role is the suffix after the stem (`.preview.png`), or for a file with a fixed
 * name that name itself (`adapter_config.json`): roles that start with a dot are suffixes.
 */

const PREVIEW_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'mp4', 'webm'] as const;

/** Every suffix role, longest first (`.preview.png` before `.png`). */
export const COMPANION_SUFFIXES: readonly string[] = [
  ...PREVIEW_EXTENSIONS.map((e) => `.preview.${e}`),
  '.description.txt',
  '.civitai.info',
  '.cm-info.json',
  '.metadata.json',
  ...PREVIEW_EXTENSIONS.map((e) => `.${e}`),
  '.json',
  '.yaml',
  '.txt',
];

/** Companions with a fixed name, and the model file names (prefix) they belong to. */
const FIXED_COMPANIONS: ReadonlyArray<{ name: string; modelPrefix: string }> = [{ name: 'adapter_config.json', modelPrefix: 'adapter_model.' }];

/** Companions larger than this are not copied into the store (a long video is not a thumbnail). */
export const COMPANION_MAX_BYTES = 64_000_000;

/** A file name without its last extension (`x.safetensors` → `x`; `x` → `x`). */
export function fileStem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The names of the companions a model file named `modelFile` may have beside it, with their roles. */
export function companionCandidates(modelFile: string): Array<{ name: string; role: string }> {
  const stem = fileStem(modelFile);
  const out = COMPANION_SUFFIXES.map((role) => ({ name: `${stem}${role}`, role }));
  for (const f of FIXED_COMPANIONS) if (modelFile.startsWith(f.modelPrefix)) out.push({ name: f.name, role: f.name });
  return out;
}

/**
 * The file name a companion of role `role` gets beside a link (or a store file) named `linkName`:
 * the link's own stem plus the suffix; a fixed-name companion keeps its name, and only beside a
 * file that keeps the name it belongs to (`adapter_model.*`), else undefined.
 */
export function companionNameBeside(linkName: string, role: string): string | undefined {
  if (role.startsWith('.')) return `${fileStem(linkName)}${role}`;
  const fixed = FIXED_COMPANIONS.find((f) => f.name === role);
  return fixed !== undefined && linkName.startsWith(fixed.modelPrefix) ? role : undefined;
}
