import { realpathSync } from 'node:fs';
import { basename, sep } from 'node:path';
import type { LookupResult } from '../classify/civitai-lookup.js';
import type { SidecarInfo } from '../classify/sidecars.js';
import type { Evidence } from '../classify/types.js';
import { errnoCode, isModelHubError } from '../core/errors.js';
import type { ModelHeader } from '../formats/types.js';
import type { ClassifierSetup } from './classifier-setup.js';

export interface InspectResult {
  path: string;
  format: string | null;
  container?: string;
  size?: number;
  tensors?: number;
  sha256?: string;
  type?: string;
  base?: string;
  variant?: string | null;
  confidence?: number;
  evidence?: Evidence[];
  civitai?: { status: string; url?: string; error?: string };
  unsafe?: string[];
  bytesRead?: number;
  error?: { code: string; message: string; hint?: string };
}

interface Read {
  path: string;
  header: ModelHeader;
  /** What is classified: the header, with its sibling shards' tensors for a sharded model. */
  classHeader: ModelHeader;
  sha256?: string;
  autov3?: string;
  sidecars: SidecarInfo[];
}

/**
 * Read headers and classify files where they are, without importing them (`modelhub inspect`,
 * the TUI): the one evidence pipeline for files outside the store. Nothing is hashed unless
 * `hash`; CivitAI (when online) is asked only for files whose hash is known without
 * hashing (a link into a store, a sidecar that records it, kohya's `sshs_model_hash`) or with
 * `hash`. Sidecar files next to each file count as evidence. `cacheFile`: the hub's
 * classification.db, used as the CivitAI cache when it exists.
 */
export async function inspectFiles(paths: string[], setup: ClassifierSetup, opts: { hash?: boolean; cacheFile?: string }): Promise<InspectResult[]> {
  const { readModelHeader } = await import('../formats/read.js');
  const { formatFromPath } = await import('../core/vocabulary.js');
  const { readSidecars } = await import('../classify/sidecars.js');
  const { gatherEvidence } = await import('../classify/evidence.js');
  const { readShardUnion } = await import('../formats/shards.js');
  const results: InspectResult[] = [];
  const reads: Read[] = [];
  for (const path of paths) {
    try {
      const header = await readModelHeader(path);
      const { sidecars } = await readSidecars(path);
      const r: Read = { path, header, classHeader: await readShardUnion(path, header), sidecars };
      const sha = shaFromStorePath(path) ?? sidecars.find((s) => s.sha256 !== undefined)?.sha256?.toLowerCase();
      if (sha !== undefined) r.sha256 = sha;
      const sshs = header.metadata.sshs_model_hash;
      if (typeof sshs === 'string' && /^[0-9a-f]{64}$/i.test(sshs)) r.autov3 = sshs.toLowerCase();
      reads.push(r);
      results.push({ path, format: header.format });
    } catch (err) {
      if (!isModelHubError(err)) throw err;
      const e: InspectResult['error'] = { code: err.code, message: err.message };
      if (err.hint !== undefined) e.hint = err.hint;
      results.push({ path, format: formatFromPath(path) ?? null, error: e });
    }
  }
  if (opts.hash === true) await hashAll(reads);
  const civitai = await askCivitai(setup, reads, opts.cacheFile);
  for (const r of reads) {
    const out = results.find((x) => x.path === r.path && x.error === undefined) as InspectResult;
    const lookup = r.sha256 === undefined ? undefined : civitai.get(r.sha256);
    const extra = gatherEvidence({ sidecars: r.sidecars, sha256: r.sha256, civitai: lookup?.answer }, setup.options.rules);
    const c = setup.classifyFile({ fileName: basename(r.path), size: r.header.size, header: r.classHeader, extraEvidence: extra });
    Object.assign(out, {
      container: r.header.container,
      size: r.header.size,
      tensors: r.header.tensors.length,
      ...(r.sha256 === undefined ? {} : { sha256: r.sha256 }),
      type: c.type,
      base: c.base,
      variant: c.variant,
      confidence: c.confidence,
      evidence: c.evidence,
      ...(lookup === undefined ? {} : { civitai: lookup.summary }),
      bytesRead: r.header.bytesRead,
      ...(r.header.unsafeGlobals && r.header.unsafeGlobals.length > 0 ? { unsafe: r.header.unsafeGlobals } : {}),
    });
  }
  return results;
}

/** A file inside a hub's store (directly or through a link) carries its SHA-256 in its folder name. */
function shaFromStorePath(path: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ELOOP') return undefined;
    throw err;
  }
  const parts = real.split(sep);
  const folder = parts.at(-2) ?? '';
  return parts.at(-3) === 'models' && /^[0-9a-f]{64}$/.test(folder) ? folder : undefined;
}

async function hashAll(reads: Read[]): Promise<void> {
  const { hashMany } = await import('./hash.js');
  const results = await hashMany(reads.map((r) => ({ path: r.path, ...(r.header.container === 'safetensors' ? { autov3Offset: r.header.dataOffset } : {}) })));
  results.forEach((res, i) => {
    const r = reads[i] as Read;
    if ('error' in res) return;
    r.sha256 = res.sha256;
    if (res.autov3 !== undefined) r.autov3 = res.autov3;
  });
}

/** One batched CivitAI lookup for the files with a known hash, through the hub's cache when there is a hub. */
async function askCivitai(setup: ClassifierSetup, reads: Read[], cacheFile: string | undefined) {
  const out = new Map<string, { answer: LookupResult; summary: NonNullable<InspectResult['civitai']> }>();
  const known = reads.filter((r) => r.sha256 !== undefined);
  if (known.length === 0) return out;
  const { lookupCivitai } = await import('../classify/civitai-lookup.js');
  const { civitaiCache } = await import('./civitai-cache.js');
  const db = await cacheDb(cacheFile);
  try {
    const answers = await lookupCivitai(civitaiCache(db), setup.civitai, known.map((r) => ({ sha256: r.sha256 as string, autov3: r.autov3 ?? null })), setup.lookup);
    for (const [sha, a] of answers) {
      const summary: NonNullable<InspectResult['civitai']> = a.status === 'found' ? { status: 'found', url: a.version.pageUrl } : a.status === 'error' ? { status: 'error', error: a.error.message } : { status: a.status };
      out.set(sha, { answer: a, summary });
    }
  } finally {
    db.close();
  }
  return out;
}

/** The hub's classification.db when it exists (the shared cache); otherwise a throw-away one in memory. */
async function cacheDb(file: string | undefined) {
  const { existsSync } = await import('node:fs');
  const { openDatabase } = await import('../core/db.js');
  const { CLASSIFICATION_MIGRATIONS } = await import('./migrations.js');
  return openDatabase(file !== undefined && existsSync(file) ? file : ':memory:', CLASSIFICATION_MIGRATIONS);
}

