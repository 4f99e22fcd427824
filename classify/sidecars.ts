import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../core/errors.js';
import { evidenceFromCivitai, type CivitaiVersion } from './civitai.js';
import type { RuleSet } from './ruleset.js';
import type { Evidence } from './types.js';

/** The metadata files other tools leave next to a model, and who writes them. */
export const SIDECAR_KINDS = [
  { suffix: '.civitai.info', tool: 'Civitai Helper' },
  { suffix: '.cm-info.json', tool: 'Stability Matrix' },
  { suffix: '.metadata.json', tool: 'ComfyUI-Lora-Manager' },
] as const;

const MAX_SIDECAR_BYTES = 4 * 1024 * 1024;

/** What a sidecar says about a model, normalised across the three tools' formats. */
export interface SidecarInfo {
  path: string;
  tool: string;
  modelType?: string;
  baseModel?: string;
  modelName?: string;
  versionName?: string;
  modelId?: number;
  versionId?: number;
  trainedWords?: string[];
  /** The SHA-256 the sidecar claims the model has (upper- or lower-case hex), when it records one. */
  sha256?: string;
}

/**
 * Read the sidecars next to `modelPath` (`<stem>.civitai.info`, `<stem>.cm-info.json`,
 * `<stem>.metadata.json`). Missing files are skipped; unreadable, oversized or malformed ones
 * are returned as `problems` (never thrown): a broken sidecar must not stop a scan.
 */
export async function readSidecars(modelPath: string): Promise<{ sidecars: SidecarInfo[]; problems: string[] }> {
  const name = basename(modelPath);
  const dot = name.lastIndexOf('.');
  const stem = join(dirname(modelPath), dot > 0 ? name.slice(0, dot) : name);
  const sidecars: SidecarInfo[] = [];
  const problems: string[] = [];
  for (const kind of SIDECAR_KINDS) {
    const path = `${stem}${kind.suffix}`;
    const text = await readSmallFile(path).catch((err: unknown) => {
      problems.push(`${path}: ${(err as Error).message}`);
      return undefined;
    });
    if (text === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      problems.push(`${path}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    if (!isObject(json)) {
      problems.push(`${path}: not a JSON object`);
      continue;
    }
    sidecars.push({ path, tool: kind.tool, ...parseSidecar(kind.suffix, json) });
  }
  return { sidecars, problems };
}

/** Map one sidecar's JSON onto SidecarInfo. Each tool names the same facts differently. */
export function parseSidecar(suffix: string, json: Record<string, unknown>): Omit<SidecarInfo, 'path' | 'tool'> {
  if (suffix === '.cm-info.json') {
    return compact({
      modelType: str(json.ModelType),
      baseModel: str(json.BaseModel),
      modelName: str(json.ModelName),
      versionName: str(json.VersionName),
      modelId: num(json.ModelId),
      versionId: num(json.VersionId),
      trainedWords: strings(json.TrainedWords),
      sha256: str(isObject(json.Hashes) ? json.Hashes.SHA256 : undefined),
    });
  }
  if (suffix === '.metadata.json') {
    const civitai = isObject(json.civitai) ? fromCivitaiVersion(json.civitai) : {};
    return compact({ ...civitai, baseModel: str(json.base_model) ?? civitai.baseModel, modelName: str(json.model_name) ?? civitai.modelName, sha256: str(json.sha256) });
  }
  return fromCivitaiVersion(json);
}

/** A CivitAI model-version object (what `.civitai.info` holds, and Lora-Manager's `civitai` key). */
function fromCivitaiVersion(v: Record<string, unknown>): Omit<SidecarInfo, 'path' | 'tool'> {
  const model = isObject(v.model) ? v.model : {};
  const files = Array.isArray(v.files) ? v.files.filter(isObject) : [];
  const primary = files.find((f) => f.primary === true) ?? files[0];
  const hashes = primary !== undefined && isObject(primary.hashes) ? primary.hashes : {};
  return compact({
    modelType: str(model.type),
    baseModel: str(v.baseModel),
    modelName: str(model.name),
    versionName: str(v.name),
    modelId: num(v.modelId),
    versionId: num(v.id),
    trainedWords: strings(v.trainedWords),
    sha256: str(hashes.SHA256),
  });
}

/**
 * Evidence (method `sidecar`, full strength) from the sidecars whose recorded SHA-256, if any,
 * matches the model's: a sidecar left over from another file is not evidence.
 */
export function evidenceFromSidecars(sidecars: SidecarInfo[], sha256: string | undefined, rules: RuleSet): Evidence[] {
  const out: Evidence[] = [];
  for (const s of sidecars) {
    if (s.sha256 !== undefined && sha256 !== undefined && s.sha256.toLowerCase() !== sha256.toLowerCase()) continue;
    const version: CivitaiVersion = {};
    if (s.modelType !== undefined) version.modelType = s.modelType;
    if (s.baseModel !== undefined) version.baseModel = s.baseModel;
    for (const e of evidenceFromCivitai(version, rules)) {
      out.push({ ...e, method: 'sidecar', rule: `sidecar:${s.tool}`, observed: `${basename(s.path)} (${s.tool}): ${[s.modelType, s.baseModel].filter(Boolean).join(', ')}` });
    }
  }
  return out;
}

/** The sidecar facts worth keeping in the inventory (metadata source `sidecar`). */
export function sidecarMetadata(sidecars: SidecarInfo[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sidecars) {
    const tag = basename(s.path).endsWith('.civitai.info') ? 'civitai_info' : basename(s.path).endsWith('.cm-info.json') ? 'cm_info' : 'lora_manager';
    for (const [k, v] of Object.entries(s)) {
      if (k === 'path' || k === 'tool' || v === undefined) continue;
      out[`${tag}.${k}`] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    out[`${tag}.file`] = s.path;
  }
  return out;
}

async function readSmallFile(path: string): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw new Error(`cannot open (${errnoCode(err) ?? 'error'})`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_SIDECAR_BYTES) throw new Error(`${st.size} bytes, over the ${MAX_SIDECAR_BYTES}-byte limit for sidecars`);
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
