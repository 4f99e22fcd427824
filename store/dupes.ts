import { stmt } from '../core/db.js';
import type { Hub } from './hub.js';

export interface DupeModel {
  hash: string;
  name: string;
  size: number;
  autov3: string | null;
  /** Source paths and their states (`importing` left out). */
  sources: Array<{ path: string; state: string }>;
}

/** One content found at several paths: already one store entry. */
export interface SourceDupe {
  hash: string;
  name: string;
  size: number;
  paths: Array<{ path: string; state: string }>;
  /** Bytes the store saves: each linked or moved path beyond the first would otherwise be a copy. */
  savedBytes: number;
  /** Bytes still spent twice: `copied` paths are independent copies of the store file. */
  wastedBytes: number;
}

/** Different files with the same AutoV3 (the same tensor data; only the header differs). */
export interface WeightsDupe {
  autov3: string;
  models: Array<{ hash: string; name: string; size: number }>;
  /** All but the largest: the weights are stored more than once. */
  wastedBytes: number;
}

/** Different contents under one file name (informative: versions, or a name clash). */
export interface NameDupe {
  name: string;
  models: Array<{ hash: string; name: string; size: number }>;
}

export interface DupesReport {
  sourcePaths: SourceDupe[];
  sameWeights: WeightsDupe[];
  sameName: NameDupe[];
  /** savedBytes of the source groups. */
  savedBytes: number;
  /** wastedBytes of the source and same-weights groups. */
  wastedBytes: number;
}

/**
 * Group duplicates. PURE. Soft-deleted models are left out (they are on their way out of the
 * store). Groups are sorted by bytes wasted (then saved, or size), largest first.
 */
export function findDupes(models: DupeModel[]): DupesReport {
  const sourcePaths: SourceDupe[] = [];
  for (const m of models) {
    if (m.sources.length < 2) continue;
    const linked = m.sources.filter((s) => s.state === 'linked' || s.state === 'moved').length;
    const copied = m.sources.filter((s) => s.state === 'copied').length;
    sourcePaths.push({ hash: m.hash, name: m.name, size: m.size, paths: m.sources, savedBytes: Math.max(0, linked - 1) * m.size, wastedBytes: copied * m.size });
  }
  const brief = (m: DupeModel): { hash: string; name: string; size: number } => ({ hash: m.hash, name: m.name, size: m.size });
  const sameWeights: WeightsDupe[] = groupBy(models.filter((m) => m.autov3 !== null), (m) => m.autov3 as string).map(([autov3, list]) => ({
    autov3,
    models: list.map(brief),
    wastedBytes: list.reduce((n, m) => n + m.size, 0) - Math.max(...list.map((m) => m.size)),
  }));
  const sameName: NameDupe[] = groupBy(models, (m) => m.name.toLowerCase()).map(([, list]) => ({ name: list[0]!.name, models: list.map(brief) }));
  sourcePaths.sort((a, b) => b.wastedBytes - a.wastedBytes || b.savedBytes - a.savedBytes || cmp(a.hash, b.hash));
  sameWeights.sort((a, b) => b.wastedBytes - a.wastedBytes || cmp(a.autov3, b.autov3));
  sameName.sort((a, b) => sum(b.models) - sum(a.models) || cmp(a.name, b.name));
  return {
    sourcePaths,
    sameWeights,
    sameName,
    savedBytes: sourcePaths.reduce((n, g) => n + g.savedBytes, 0),
    wastedBytes: sourcePaths.reduce((n, g) => n + g.wastedBytes, 0) + sameWeights.reduce((n, g) => n + g.wastedBytes, 0),
  };
}

/** Live models with their AutoV3 and source paths. */
export function gatherDupes(hub: Hub): DupeModel[] {
  const rows = stmt(hub.db, 'SELECT id, sha256, name, file_size, autov3 FROM models WHERE deleted = 0 ORDER BY sha256').all() as Array<{
    id: number;
    sha256: string;
    name: string;
    file_size: number;
    autov3: string | null;
  }>;
  const sources = stmt(hub.db, "SELECT path, state FROM model_sources WHERE model_id = ? AND state != 'importing' ORDER BY path");
  return rows.map((r) => ({ hash: r.sha256, name: r.name, size: r.file_size, autov3: r.autov3, sources: sources.all(r.id) as DupeModel['sources'] }));
}

/** Groups of two or more models with the same key and different hashes, models in hash order. */
function groupBy(models: DupeModel[], key: (m: DupeModel) => string): Array<[string, DupeModel[]]> {
  const groups = new Map<string, DupeModel[]>();
  for (const m of models) groups.set(key(m), [...(groups.get(key(m)) ?? []), m]);
  return [...groups].filter(([, list]) => new Set(list.map((m) => m.hash)).size > 1).map(([k, list]) => [k, [...list].sort((a, b) => cmp(a.hash, b.hash))]);
}

function sum(list: Array<{ size: number }>): number {
  return list.reduce((n, m) => n + m.size, 0);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
