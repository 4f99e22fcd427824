import type { ClassifierSetup } from './classifier-setup.js';
import { ensureAutoV3 } from './autov3.js';
import type { Hub } from './hub.js';
import { findStoreFile } from './import.js';
import { civitaiWasAsked, getEvidence, getMetadata, getSources, type ModelRow } from './inventory.js';
import { resolveModelRef } from './model-ref.js';
import { classifyStoredModels } from './reclassify.js';

/**
 * Every fact the inventory holds about one model (`modelhub show`): identity and hashes, the
 * classification with its recorded evidence, the store file (null when it is missing), every
 * source path and the metadata. Reads only.
 */
export async function readModelFacts(hub: Hub, m: ModelRow) {
  return {
    ...modelIdentity(m),
    type: m.primary_type,
    base: m.base_model,
    variant: m.sub_type,
    confidence: m.confidence,
    unsafe: m.unsafe === 1,
    deleted: m.deleted === 1,
    added: m.created_at,
    updated: m.updated_at,
    storeFile: findStoreFile(hub.layout, m.sha256) ?? null,
    paths: getSources(hub.db, m.id),
    metadata: getMetadata(hub.db, m.id),
    evidence: getEvidence(hub.db, m.id),
  };
}

export type ModelFacts = Awaited<ReturnType<typeof readModelFacts>>;

/** Who a model is: its hashes, name, size and format (the head of every view of one model). */
export function modelIdentity(m: ModelRow) {
  return { hash: m.sha256, autov2: m.autov2, autov3: m.autov3, name: m.name, size: m.file_size, format: m.format, container: m.container };
}

/** A safetensors model without its AutoV3 yet (computed when first needed): `show` computes it, from a writable hub. */
export function lacksAutoV3(m: ModelRow): boolean {
  return m.container === 'safetensors' && m.autov3 === null;
}

/** The model with its AutoV3 computed and recorded (store/autov3.ts); unchanged when its store file cannot give it. */
export async function withAutoV3(hub: Hub, m: ModelRow): Promise<ModelRow> {
  const autov3 = (await ensureAutoV3(hub, [m.sha256])).get(m.sha256);
  return autov3 === undefined ? m : { ...m, autov3 };
}

/** `show` asks CivitAI first when it may (online, CivitAI enabled) and never asked about this model. */
export function shouldAskCivitaiFirst(hub: Hub, m: ModelRow, mayAsk: boolean): boolean {
  return mayAsk && !civitaiWasAsked(hub.db, m.id);
}

/**
 * Ask CivitAI about one model and record the answer with its classification (cache first, as
 * reclassify does); returns the model as it now stands and the lookup's failure, if any.
 */
export async function classifyWithCivitai(hub: Hub, m: ModelRow, setup: ClassifierSetup): Promise<{ model: ModelRow; lookupError?: string }> {
  const [r] = await classifyStoredModels(hub, [m], { classify: setup.options, civitai: setup.civitai, lookup: setup.lookup });
  const model = resolveModelRef(hub.db, m.sha256);
  return r?.civitai.status === 'error' ? { model, lookupError: r.civitai.error ?? '' } : { model };
}
