import { ModelHubError } from '../core/errors.js';
import type { CivitaiVersion } from './civitai.js';

/**
 * CivitAI model versions as ModelHub reads them: one object of `GET /model-versions/by-hash/:hash`
 * or one element of the batch `POST /model-versions/by-hash`, reduced to what classification and
 * metadata use. Reading is lenient about every field except `id` and `modelId`: a field that is
 * null, missing or of the wrong type is left out, never an error.
 */

/** One file of a model version, as far as ModelHub cares. `hashes` keys as CivitAI spells them (SHA256, AutoV2, AutoV3, …), values upper-case. */
export interface CivitaiFile {
  name: string;
  sizeKB: number | undefined;
  primary: boolean;
  hashes: Record<string, string>;
  /** `files[].type`: Model, Pruned Model, VAE, Text Encoder, Config, Training Data, … (absent in answers cached before it was read). */
  type?: string;
}

/** A CivitAI model version, reduced to what classification and metadata use. */
export interface CivitaiModelVersion {
  id: number;
  modelId: number;
  /** The version's name, e.g. "8" or "v1.0". */
  name: string;
  modelName: string;
  /** `model.type`: Checkpoint, LORA, … */
  modelType: string | undefined;
  baseModel: string | undefined;
  trainedWords: string[];
  files: CivitaiFile[];
  /** `<site>/models/<modelId>?modelVersionId=<id>` */
  pageUrl: string;
  downloadUrl: string | undefined;
  /**
   * The type of the file the asked hash belongs to (a version lists its VAE, config and pruned
   * files too). Set on answers to one hash, which is how they are cached.
   */
  fileType?: string;
}

/** One answer of a lookup: the hash that was asked (upper-case) and the version it names. */
export interface VersionAnswer {
  hash: string;
  version: CivitaiModelVersion;
}

/** One answer of a batch: a version, or why the element naming this hash could not be read. */
export type BatchAnswer = VersionAnswer | { hash: string; error: ModelHubError };

export function badCivitaiResponse(where: string, why: string): ModelHubError {
  return new ModelHubError('ERR_MODELHUB_CIVITAI_BAD_RESPONSE', `unexpected answer from CivitAI to ${where}: ${why}`, {
    hint: 'check external_apis.civitai.base_url; if it is right, CivitAI may be having trouble (try again later, or pass --offline)',
  });
}

/**
 * Parse one model-version object. Throws ERR_MODELHUB_CIVITAI_BAD_RESPONSE naming `source` when
 * `id`/`modelId` are missing; other fields are optional and ignored when of the wrong type.
 */
export function parseModelVersion(raw: unknown, siteOrigin: string, source: string): CivitaiModelVersion {
  if (!isRecord(raw) || !Number.isInteger(raw.id) || !Number.isInteger(raw.modelId)) throw badCivitaiResponse(source, 'a model version without numeric id and modelId');
  const id = raw.id as number;
  const modelId = raw.modelId as number;
  const model = isRecord(raw.model) ? raw.model : {};
  return {
    id,
    modelId,
    name: readString(raw.name) ?? '',
    modelName: readString(model.name) ?? '',
    modelType: readString(model.type),
    baseModel: readString(raw.baseModel),
    trainedWords: Array.isArray(raw.trainedWords) ? raw.trainedWords.filter((w): w is string => typeof w === 'string') : [],
    files: Array.isArray(raw.files) ? raw.files.filter(isRecord).map(parseFile) : [],
    pageUrl: `${siteOrigin}/models/${modelId}?modelVersionId=${id}`,
    downloadUrl: readString(raw.downloadUrl),
  };
}

function parseFile(raw: Record<string, unknown>): CivitaiFile {
  const hashes: Record<string, string> = {};
  if (isRecord(raw.hashes)) for (const [k, v] of Object.entries(raw.hashes)) if (typeof v === 'string') hashes[k] = v.toUpperCase();
  const file: CivitaiFile = { name: readString(raw.name) ?? '', sizeKB: typeof raw.sizeKB === 'number' ? raw.sizeKB : undefined, primary: raw.primary === true, hashes };
  const type = readString(raw.type);
  if (type !== undefined) file.type = type;
  return file;
}

/**
 * Map the elements of a batch answer back to the hashes asked (upper-case SHA-256s), by each
 * element's `files[].hashes.SHA256`; position means nothing. A null element is skipped. An
 * element that cannot be read answers the asked hashes it lists with its error, unless a
 * readable element answers them too. When several elements list one hash (a VAE comes in its
 * own version and in every checkpoint version that names it as its VAE), the element where
 * that file is primary wins, then the lowest version id: the order of the answer never matters.
 */
export function pickAnswers(elements: unknown[], asked: string[], parse: (raw: unknown) => CivitaiModelVersion): BatchAnswer[] {
  const wanted = new Set(asked);
  const best = new Map<string, { version: CivitaiModelVersion; file: CivitaiFile }>();
  const unreadable = new Map<string, ModelHubError>();
  for (const raw of elements) {
    if (raw === null) continue;
    let version: CivitaiModelVersion;
    try {
      version = parse(raw);
    } catch (err) {
      if (!(err instanceof ModelHubError)) throw err;
      for (const h of listedSha256s(raw)) if (wanted.has(h)) unreadable.set(h, err);
      continue;
    }
    for (const file of version.files) {
      const h = file.hashes.SHA256;
      if (h === undefined || !wanted.has(h)) continue;
      const held = best.get(h);
      if (held === undefined || ranksBefore({ version, file }, held)) best.set(h, { version, file });
    }
  }
  const out: BatchAnswer[] = [];
  for (const hash of wanted) {
    const b = best.get(hash);
    const error = unreadable.get(hash);
    if (b !== undefined) out.push({ hash, version: forFile(b.version, b.file) });
    else if (error !== undefined) out.push({ hash, error });
  }
  return out;
}

function ranksBefore(a: { version: CivitaiModelVersion; file: CivitaiFile }, b: { version: CivitaiModelVersion; file: CivitaiFile }): boolean {
  if (a.file.primary !== b.file.primary) return a.file.primary;
  return a.version.id < b.version.id;
}

/** The SHA256s an element lists, read without trusting its shape. */
function listedSha256s(raw: unknown): string[] {
  if (!isRecord(raw) || !Array.isArray(raw.files)) return [];
  return raw.files.flatMap((f) => (isRecord(f) && isRecord(f.hashes) && typeof f.hashes.SHA256 === 'string' ? [f.hashes.SHA256.toUpperCase()] : []));
}

/** The version as the answer about one of its files: that file's type rides along (see fileType). */
export function forFile(version: CivitaiModelVersion, file: CivitaiFile | undefined): CivitaiModelVersion {
  const { fileType: _previous, ...rest } = version;
  return file?.type === undefined ? rest : { ...rest, fileType: file.type };
}

/** What classify/civitai.ts needs: the model and file types, the base and a label "<model> v<version> (#<id>)". */
export function toCivitaiVersion(v: CivitaiModelVersion): CivitaiVersion {
  const out: CivitaiVersion = { modelType: v.modelType, baseModel: v.baseModel, label: `${v.modelName || `model ${v.modelId}`}${v.name ? ` v${v.name}` : ''} (#${v.id})` };
  if (v.fileType !== undefined) out.fileType = v.fileType;
  return out;
}

/** Metadata rows (source "civitai") for a model: ids, names, trained words, page URL. Empty values are left out. */
export function civitaiMetadata(v: CivitaiModelVersion): Record<string, string> {
  const all: Record<string, string | undefined> = {
    'civitai.model_id': String(v.modelId),
    'civitai.version_id': String(v.id),
    'civitai.model_name': v.modelName,
    'civitai.version_name': v.name,
    'civitai.type': v.modelType,
    'civitai.file_type': v.fileType,
    'civitai.base_model': v.baseModel,
    'civitai.trained_words': v.trainedWords.join(', '),
    'civitai.url': v.pageUrl,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
