import { basename, dirname } from 'node:path';
import { isModelHubError } from '../core/errors.js';
import { readModelHeader } from '../formats/read.js';
import { readShardUnion } from '../formats/shards.js';
import type { ModelHeader } from '../formats/types.js';
import { inTransaction } from '../core/db.js';
import type { Hub } from './hub.js';
import { ensureAutoV3 } from './autov3.js';
import { FolderNames } from './folder-names.js';
import { findStoreFile } from './import.js';
import { getSources, replaceMetadata, saveClassification, type SourceRow, type StoredModel } from './inventory.js';
import { classifierAnswerOf, readRecordedOverrides, type ClassifierAnswer, type RecordedOverride } from './overrides.js';
import { civitaiMetadata } from '../classify/civitai-client.js';
import { lookupCivitai, type CivitaiSource, type LookupResult } from '../classify/civitai-lookup.js';
import { civitaiCache } from './civitai-cache.js';
import { classifyModel } from '../classify/classify.js';
import { gatherEvidence } from '../classify/evidence.js';
import { readSidecars, SIDECAR_KINDS, sidecarMetadata, type SidecarInfo } from '../classify/sidecars.js';
import type { Classification, ClassifyOptions } from '../classify/types.js';

/** What the classification of one stored model found, before and after. */
export interface StoredClassification {
  hash: string;
  name: string;
  before: ClassifierAnswer;
  /** The classifier's answer (an Override, when one is recorded, stays on top of it in the inventory). */
  after: ClassifierAnswer;
  changed: boolean;
  classification: Classification | null;
  /**
   * CivitAI: found (with the page), not-found, offline (not asked, nothing cached), error, or not
   * asked. `error` with found/not-found: asking again failed, and the cached answer was used.
   */
  civitai: { status: LookupResult['status'] | 'not-asked'; url?: string; error?: string };
  sidecars: string[];
  /** Why this model could not be classified again (its store file is missing or unreadable). */
  error?: string;
}

export interface ClassifyStoredOptions {
  classify: ClassifyOptions;
  /** The CivitAI client, or null: answers then come only from the cache. */
  civitai: CivitaiSource | null;
  /** Compute and report, write nothing. */
  dryRun?: boolean;
  /** Ask CivitAI again even where a fresh answer is cached. */
  refresh?: boolean;
  /** Cache lifetimes of CivitAI answers. */
  lookup?: { foundTtlDays?: number; notFoundTtlDays?: number };
  /**
   * Leave alone the models for which nothing beyond their own header is known (no sidecar, no
   * CivitAI answer): their classification from the header stands (scan, right after import).
   */
  onlyWithOutsideEvidence?: boolean;
}

/**
 * Classify models already in the inventory with everything known about them now: the header of
 * the stored file (read again, never the weights), the sidecar files beside each of their source
 * paths, the CivitAI answer (one batched lookup for all of them, cache first), and the current
 * rules. Writes the answers, the evidence and the CivitAI/sidecar metadata unless `dryRun`;
 * recorded Overrides stay in force (see saveClassification). A model whose stored file cannot be
 * read keeps its classification and reports why.
 */
export async function classifyStoredModels(hub: Hub, models: StoredModel[], opts: ClassifyStoredOptions): Promise<StoredClassification[]> {
  const lookups = await lookupCivitai(
    civitaiCache(hub.classificationDb),
    opts.civitai,
    models.map((m) => ({ sha256: m.sha256, autov3: m.autov3 })),
    { ...opts.lookup, ...(opts.refresh === true ? { refresh: true } : {}) },
  );
  await askByAutoV3(hub, models, lookups, opts);
  const known: Known = { folders: new FolderNames(), overrides: readRecordedOverrides(hub.db), sources: readSourcePaths(hub, models) };
  const out: StoredClassification[] = [];
  const withKnown = { ...opts, known };
  for (const m of models) {
    const lookup = lookups.get(m.sha256) ?? { status: 'offline' as const };
    // Nothing but its header is known of most models a scan imports: answered without a wait.
    const skip = opts.onlyWithOutsideEvidence === true && !hasOutsideAnswer(lookup) && sidecarsListed(m, known).length === 0;
    out.push(skip ? unchanged(m, lookup, known, []) : await classifyOne(hub, m, lookup, withKnown));
  }
  return out;
}

function hasOutsideAnswer(lookup: LookupResult): boolean {
  return lookup.status === 'found' || lookup.status === 'not-found';
}

/** The source paths of a model whose folder lists a sidecar of it (store/folder-names.ts). */
function sidecarsListed(m: StoredModel, known: Known): string[] {
  return (known.sources.get(m.id) ?? []).map((s) => s.path).filter((path) => {
    const name = basename(path);
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    return SIDECAR_KINDS.some((k) => known.folders.has(dirname(path), `${stem}${k.suffix}`));
  });
}

/** A model left as it is: the classifier's answer before stands after. */
function unchanged(m: StoredModel, lookup: LookupResult, known: Known, sidecars: SidecarInfo[], error?: string): StoredClassification {
  const before = classifierAnswerOf(known.overrides.get(m.id), m);
  const out: StoredClassification = { hash: m.sha256, name: m.filename, before, after: before, changed: false, classification: null, civitai: describeLookup(lookup), sidecars: sidecars.map((s) => s.path) };
  if (error !== undefined) out.error = error;
  return out;
}

/** What classifying many models reads once for all of them. */
interface Known {
  /** Each source folder listed once: a sidecar is opened only where its folder lists it. */
  folders: FolderNames;
  overrides: Map<number, RecordedOverride>;
  /** Each model's sources whose import finished. */
  sources: Map<number, Array<Pick<SourceRow, 'path' | 'state'>>>;
}

/** The sources of every model, read in one read transaction (not one per query). */
function readSourcePaths(hub: Hub, models: StoredModel[]): Known['sources'] {
  return hub.db.transaction(() => new Map(models.map((m) => [m.id, getSources(hub.db, m.id).filter((s) => s.state !== 'importing')]))).deferred();
}

/**
 * CivitAI did not know these safetensors files by SHA-256 and their AutoV3 was never computed:
 * compute it now (store/autov3.ts) and ask by it (the SHA-256 answers just cached are reused).
 */
async function askByAutoV3(hub: Hub, models: StoredModel[], lookups: Map<string, LookupResult>, opts: ClassifyStoredOptions): Promise<void> {
  if (opts.civitai === null) return;
  const missed = models.filter((m) => m.container === 'safetensors' && m.autov3 === null && lookups.get(m.sha256)?.status === 'not-found');
  if (missed.length === 0) return;
  const autov3 = await ensureAutoV3(hub, missed.map((m) => m.sha256), { record: opts.dryRun !== true });
  const items = missed.filter((m) => autov3.has(m.sha256)).map((m) => ({ sha256: m.sha256, autov3: autov3.get(m.sha256) as string }));
  if (items.length === 0) return;
  const again = await lookupCivitai(civitaiCache(hub.classificationDb), opts.civitai, items, { ...opts.lookup });
  for (const [hash, result] of again) lookups.set(hash, result);
}

async function classifyOne(hub: Hub, m: StoredModel, lookup: LookupResult, opts: ClassifyStoredOptions & { known: Known }): Promise<StoredClassification> {
  const sources = opts.known.sources.get(m.id) ?? [];
  const sidecars: SidecarInfo[] = [];
  for (const path of sidecarsListed(m, opts.known)) sidecars.push(...(await readSidecars(path)).sidecars);
  if (opts.onlyWithOutsideEvidence === true && sidecars.length === 0 && !hasOutsideAnswer(lookup)) return unchanged(m, lookup, opts.known, sidecars);
  const h = await readStoredHeader(hub, m);
  if (h.header === undefined) return unchanged(m, lookup, opts.known, sidecars, h.error ?? 'unreadable');
  const base = unchanged(m, lookup, opts.known, sidecars);
  const before = base.before;
  // A shard's siblings are beside its source path (as files or as links into the store), not in its store folder.
  const place = sources.find((s) => s.state === 'linked' || s.state === 'copied');
  const header = place === undefined ? h.header : await readShardUnion(place.path, h.header);
  const extra = gatherEvidence({ sidecars, sha256: m.sha256, civitai: lookup }, opts.classify.rules);
  const c = classifyModel({ fileName: m.filename, size: m.file_size, header, extraEvidence: extra }, opts.classify);
  const after = { type: c.type, base: c.base, variant: c.variant, confidence: c.confidence };
  if (!opts.dryRun) {
    inTransaction(hub.db, () => {
      saveClassification(hub.db, m.id, c);
      if (lookup.status === 'found') replaceMetadata(hub.db, m.id, 'civitai', { ...civitaiMetadata(lookup.version), 'civitai.status': 'found' });
      else if (lookup.status === 'not-found') replaceMetadata(hub.db, m.id, 'civitai', { 'civitai.status': 'not-found' });
      replaceMetadata(hub.db, m.id, 'sidecar', sidecarMetadata(sidecars));
    });
  }
  const changed = before.type !== after.type || before.base !== after.base || before.variant !== after.variant;
  return { ...base, after, changed, classification: c };
}

async function readStoredHeader(hub: Hub, m: StoredModel): Promise<{ header?: ModelHeader; error?: string }> {
  const file = findStoreFile(hub.layout, m.sha256);
  if (file === undefined) return { error: `${m.filename}: the store file models/${m.sha256}/ is missing (run \`modelhub verify\`)` };
  try {
    return { header: await readModelHeader(file) };
  } catch (err) {
    if (isModelHubError(err)) return { error: `${basename(file)}: ${err.message}` };
    throw err;
  }
}

function describeLookup(r: LookupResult): StoredClassification['civitai'] {
  switch (r.status) {
    case 'found':
      return { status: 'found', url: r.version.pageUrl, ...(r.failed === undefined ? {} : { error: r.failed.message }) };
    case 'not-found':
      return { status: 'not-found', ...(r.failed === undefined ? {} : { error: r.failed.message }) };
    case 'error':
      return { status: 'error', error: r.error.message };
    default:
      return { status: r.status };
  }
}
