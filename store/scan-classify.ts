import type { ClassifierSetup } from './classifier-setup.js';
import type { Hub } from './hub.js';
import { getModelBriefBySha, getStoredModelsBySha } from './inventory.js';
import type { StoredClassification } from './reclassify.js';
import { scanPaths, type ScanOptions, type ScanReport } from './scan.js';

/** How the CivitAI part of a scan went, for one summary line. */
export interface ScanCivitaiSummary {
  asked: boolean;
  found: number;
  notFound: number;
  errors: number;
  firstError?: string;
}

/**
 * The whole scan use case, as every interface runs it: import the files (store/scan.ts, which
 * classifies each from its header), then classify the newly imported models again where
 * sidecars or CivitAI add to their header (one batched lookup), and update the report's lines
 * with the final type and base. A dry run imports and asks nothing.
 * `setup` may be given as a loader: it is then called only when a file is to be imported, while
 * the first files hash (loading the rules costs about as much as hashing a gigabyte), and never
 * for a scan that finds nothing new.
 */
export async function scanAndClassify(
  hub: Hub,
  paths: string[],
  setup: ClassifierSetup | (() => Promise<ClassifierSetup>),
  opts: Omit<ScanOptions, 'classify' | 'prepare'>,
): Promise<{ report: ScanReport; civitai: ScanCivitaiSummary }> {
  let loaded = typeof setup === 'function' ? undefined : setup;
  const prepare = async (): Promise<void> => {
    if (typeof setup === 'function') loaded ??= await setup();
  };
  const classify: ScanOptions['classify'] = (input) => {
    if (loaded === undefined) throw new Error('scan classified a file before its classifier was prepared');
    return loaded.classifyFile(input);
  };
  const report = await scanPaths(hub, paths, { ...opts, classify, prepare });
  const enriched = opts.dryRun === true || loaded === undefined ? [] : await classifyImported(hub, report, loaded);
  return { report, civitai: summarizeCivitai(enriched, loaded?.civitai != null) };
}

async function classifyImported(hub: Hub, report: ScanReport, setup: ClassifierSetup): Promise<StoredClassification[]> {
  const hashes = [...new Set(report.files.filter((f) => f.outcome === 'imported' && f.sha256 !== undefined).map((f) => f.sha256 as string))];
  const models = getStoredModelsBySha(hub.db, hashes);
  if (models.length === 0) return [];
  // Loaded only now: until the imports are done, the scan's path to its first hash is shorter without it.
  const { classifyStoredModels } = await import('./reclassify.js');
  const results = await classifyStoredModels(hub, models, { classify: setup.options, civitai: setup.civitai, lookup: setup.lookup, onlyWithOutsideEvidence: true });
  // Only the models classified again can have changed (the rest kept their classification from the header).
  const byHash = new Map(results.filter((r) => r.classification !== null).map((r) => [r.hash, r]));
  for (const f of report.files) {
    const r = f.sha256 === undefined ? undefined : byHash.get(f.sha256);
    const now = r === undefined ? undefined : getModelBriefBySha(hub.db, r.hash);
    if (now !== undefined) Object.assign(f, { type: now.primary_type, base: now.base_model });
  }
  return results;
}

function summarizeCivitai(results: StoredClassification[], online: boolean): ScanCivitaiSummary {
  const count = (s: string): number => results.filter((r) => r.civitai.status === s).length;
  const out: ScanCivitaiSummary = { asked: online && results.length > 0, found: count('found'), notFound: count('not-found'), errors: count('error') };
  const firstError = results.find((r) => r.civitai.error !== undefined)?.civitai.error;
  if (firstError !== undefined) out.firstError = firstError;
  return out;
}
