import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inTransaction, stmt } from '../core/db.js';
import { storeHashOf, type Hub } from './hub.js';
import type { InventoryDoc, InventoryDocModel } from './inventory-doc.js';
import { refreshModelName } from './model-name.js';
import { readRecordedOverrides } from './overrides.js';

/** What a source path in the document is on this machine. */
export type PathFact = { kind: 'store-link'; hash: string } | { kind: 'file'; size: number } | { kind: 'absent' } | { kind: 'other' };

/** A local model as the merge sees it. */
export interface LocalModel {
  hash: string;
  name: string;
  type: string;
  /** A manifests Override governs its classification (model_overrides). */
  overridden: boolean;
  /** `source\0key` of every metadata entry it has. */
  metadata: Set<string>;
}

export interface ImportInput {
  doc: InventoryDoc;
  local: Map<string, LocalModel>;
  /** Every source path recorded locally, for any model. */
  knownPaths: Set<string>;
  /** What the document's source paths of known models are here. */
  pathFacts: Map<string, PathFact>;
  /** Store folders with no inventory row (the file is here; `scan` can register it). */
  orphans: Set<string>;
}

export interface ModelMerge {
  hash: string;
  name: string;
  /** Taken from the document: the local model is unclassified (`unknown`) and not overridden. */
  classification: { type: string; base: string; variant: string | null; confidence: number } | null;
  /** Metadata entries (source, key) the local model lacks. */
  metadata: Array<{ source: string; key: string; value: string | null }>;
  /** Source paths added: true on this machine and not recorded here yet. */
  sources: Array<{ path: string; state: 'linked' | 'copied' }>;
  /** Source paths not added, and why. */
  skippedSources: Array<{ path: string; state: string; why: string }>;
}

export interface ImportPlan {
  /** Models of the document this inventory has (with or without anything to add). */
  matched: number;
  merges: ModelMerge[];
  /** Models of the document this store does not have: reported, never inserted. */
  unknown: Array<{ hash: string; name: string; size: number; inStore: boolean }>;
  summary: { models: number; matched: number; classified: number; metadata: number; sources: number; unknown: number };
}

/**
 * Merge a document into the inventory, by hash. PURE. Local data always wins: for a model this
 * inventory has, only what it lacks is added — its classification when it is `unknown` (and
 * no Override governs it), metadata entries (source and key) it does not have, and source
 * paths that are true on this machine (a `linked` path that is a symlink into this store at that
 * model, a `copied` path that is a file of the model's size) and recorded for no model here.
 * `moved` paths, deletion flags, overrides and deployments are never imported. A model this
 * store does not have is reported and never inserted: the inventory describes the store.
 */
export function planImport(input: ImportInput): ImportPlan {
  const merges: ModelMerge[] = [];
  const unknown: ImportPlan['unknown'] = [];
  let matched = 0;
  for (const m of input.doc.models) {
    const local = input.local.get(m.hash);
    if (local === undefined) {
      unknown.push({ hash: m.hash, name: m.name, size: m.size, inStore: input.orphans.has(m.hash) });
      continue;
    }
    matched++;
    const merge = mergeModel(m, local, input);
    if (merge.classification !== null || merge.metadata.length > 0 || merge.sources.length > 0 || merge.skippedSources.length > 0) merges.push(merge);
  }
  return {
    matched,
    merges,
    unknown,
    summary: {
      models: input.doc.models.length,
      matched,
      classified: merges.filter((m) => m.classification !== null).length,
      metadata: merges.reduce((n, m) => n + m.metadata.length, 0),
      sources: merges.reduce((n, m) => n + m.sources.length, 0),
      unknown: unknown.length,
    },
  };
}

function mergeModel(m: InventoryDocModel, local: LocalModel, input: ImportInput): ModelMerge {
  const merge: ModelMerge = { hash: m.hash, name: local.name, classification: null, metadata: [], sources: [], skippedSources: [] };
  if (local.type === 'unknown' && !local.overridden && m.type !== 'unknown') merge.classification = { type: m.type, base: m.base, variant: m.variant, confidence: m.confidence };
  for (const [source, entries] of Object.entries(m.metadata)) {
    for (const [key, value] of Object.entries(entries)) if (!local.metadata.has(`${source}\0${key}`)) merge.metadata.push({ source, key, value });
  }
  for (const s of m.sources) {
    if (input.knownPaths.has(s.path)) continue;
    const fact = input.pathFacts.get(s.path) ?? { kind: 'absent' };
    if (s.state === 'moved') merge.skippedSources.push({ ...s, why: 'a moved path is history of the machine that exported it' });
    else if (s.state === 'linked' && fact.kind === 'store-link' && fact.hash === m.hash) merge.sources.push({ path: s.path, state: 'linked' });
    else if (s.state === 'copied' && fact.kind === 'file' && fact.size === m.size) merge.sources.push({ path: s.path, state: 'copied' });
    else merge.skippedSources.push({ ...s, why: describeFact(fact, s.state) });
  }
  return merge;
}

function describeFact(fact: PathFact, state: string): string {
  switch (fact.kind) {
    case 'absent':
      return 'nothing is at that path here';
    case 'store-link':
      return 'a link into this store at another model';
    case 'file':
      return state === 'linked' ? 'a file here, not a link into this store' : `a file of another size (${fact.size} bytes) here`;
    default:
      return `not a ${state === 'linked' ? 'link into this store' : 'file'} here`;
  }
}

/** Read what planImport needs from the inventory and the disk. */
export function gatherImport(hub: Hub, doc: InventoryDoc): ImportInput {
  const db = hub.db;
  const overrides = readRecordedOverrides(db);
  const rows = stmt(db, 'SELECT id, sha256, filename, primary_type FROM models').all() as Array<{ id: number; sha256: string; filename: string; primary_type: string }>;
  const keys = stmt(db, 'SELECT source, key FROM model_metadata WHERE model_id = ?');
  const wanted = new Set(doc.models.map((m) => m.hash));
  const local = new Map<string, LocalModel>();
  for (const r of rows) {
    if (!wanted.has(r.sha256)) continue;
    const metadata = new Set((keys.all(r.id) as Array<{ source: string; key: string }>).map((k) => `${k.source}\0${k.key}`));
    local.set(r.sha256, { hash: r.sha256, name: r.filename, type: r.primary_type, overridden: overrides.has(r.id), metadata });
  }
  const knownPaths = new Set((stmt(db, 'SELECT path FROM model_sources').all() as Array<{ path: string }>).map((r) => r.path));
  const pathFacts = new Map<string, PathFact>();
  for (const m of doc.models) {
    if (!local.has(m.hash)) continue;
    for (const s of m.sources) if (s.state !== 'moved' && !knownPaths.has(s.path)) pathFacts.set(s.path, observePathFact(hub, s.path));
  }
  const orphans = new Set<string>();
  for (const m of doc.models) if (!local.has(m.hash) && lstatSync(join(hub.layout.modelsDir, m.hash), { throwIfNoEntry: false })?.isDirectory() === true) orphans.add(m.hash);
  return { doc, local, knownPaths, pathFacts, orphans };
}

function observePathFact(hub: Hub, path: string): PathFact {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st === undefined) return { kind: 'absent' };
  if (st.isSymbolicLink()) {
    const hash = storeHashOf(hub.layout, resolve(dirname(path), readlinkSync(path)));
    return hash === undefined ? { kind: 'other' } : { kind: 'store-link', hash };
  }
  if (st.isFile()) return { kind: 'file', size: st.size };
  return { kind: 'other' };
}

/**
 * Write a merge plan into the inventory, in one transaction. Inserts never replace: a source
 * path or metadata entry that appeared since the plan keeps its local value.
 */
export function executeImport(hub: Hub, plan: ImportPlan, opts: { file: string }): void {
  const db = hub.db;
  inTransaction(db, () => {
    for (const m of plan.merges) {
      const row = stmt(db, 'SELECT id, primary_type FROM models WHERE sha256 = ?').get(m.hash) as { id: number; primary_type: string } | undefined;
      if (row === undefined) continue;
      if (m.classification !== null && row.primary_type === 'unknown') {
        const c = m.classification;
        stmt(db, "UPDATE models SET primary_type = ?, base_model = ?, sub_type = ?, confidence = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(c.type, c.base, c.variant, c.confidence, row.id);
        const { next } = stmt(db, 'SELECT COALESCE(MAX(seq), -1) + 1 AS next FROM model_evidence WHERE model_id = ?').get(row.id) as { next: number };
        stmt(db, 'INSERT INTO model_evidence (model_id, seq, method, observed, type, base, variant, weight, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          row.id,
          next,
          'import',
          `inventory file ${opts.file}`,
          c.type,
          c.base,
          c.variant,
          c.confidence,
          null,
        );
      }
      for (const e of m.metadata) stmt(db, 'INSERT OR IGNORE INTO model_metadata (model_id, source, key, value) VALUES (?, ?, ?, ?)').run(row.id, e.source, e.key, e.value);
      for (const s of m.sources) stmt(db, 'INSERT INTO model_sources (model_id, path, state) VALUES (?, ?, ?) ON CONFLICT (path) DO NOTHING').run(row.id, s.path, s.state);
      if (m.sources.length > 0) refreshModelName(db, row.id);
    }
  });
}
