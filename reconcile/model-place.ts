import { dirname, isAbsolute, relative, sep } from 'node:path';
import { pathBelowAppFolder } from '../core/app-folders.js';
import type { ModelOrigin } from '../store/model-origins.js';

/** The Hugging Face hub cache's folder of one repository: `models--<publisher>--<repo>`. */
const HF_CACHE_REPO = /^models--(.+?)--(.+)$/;

/**
 * `{dir}`: the folder of the model's naming source below the nearest folder an app reads this
 * type from (`loras`, `Lora`, `checkpoints`, …), else below any app model folder, else below the
 * folder the scan was given; `''` at the top, for a model found outside its scan root, and for
 * one with no recorded source. Segments joined with `/`; they are checked when the path renders.
 */
export function dirOf(origin: ModelOrigin | undefined, type: string): string {
  if (origin === undefined) return '';
  const folder = dirname(origin.path);
  const folders = folder.split(sep).filter((f) => f !== '');
  const below = pathBelowAppFolder(folders, type) ?? pathBelowAppFolder(folders);
  if (below !== undefined) return below;
  if (origin.root === null) return '';
  const rel = relative(origin.root, folder);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return '';
  return rel.split(sep).join('/');
}

/**
 * `{publisher}` and `{repo}`: from the naming source when it lies in a `<publisher>/<repo>/`
 * layout (the Hugging Face cache's `models--<publisher>--<repo>/snapshots/<rev>/`, or exactly two
 * folders below the app folder or scan root, as LM Studio keeps `models/<publisher>/<repo>/`),
 * else from the GGUF header (`general.organization`; `general.basename`, else `general.name`),
 * else empty.
 */
export function publisherRepoOf(origin: ModelOrigin | undefined, dir: string): { publisher: string; repo: string } {
  if (origin === undefined) return { publisher: '', repo: '' };
  const parts = origin.path.split(sep);
  for (let i = 0; i + 1 < parts.length; i++) {
    const m = HF_CACHE_REPO.exec(parts[i] as string);
    if (m !== null && parts[i + 1] === 'snapshots') return { publisher: m[1] as string, repo: m[2] as string };
  }
  const segments = dir.split('/').filter((s) => s !== '');
  if (segments.length === 2) return { publisher: segments[0] as string, repo: segments[1] as string };
  return { publisher: origin.organization ?? '', repo: origin.basename ?? origin.title ?? '' };
}
