import { dirname } from 'node:path';
import { stmt, type DB } from '../core/db.js';
import { chooseNamingSource, readSourcePlaces } from './naming-source.js';

/** The GGUF header keys deployments read (model_metadata, source `header`). */
const GGUF_KEYS = { 'general.organization': 'organization', 'general.basename': 'basename', 'general.name': 'title' } as const;

/**
 * Where a model came from, as deployments see it: its naming source (for `{dir}`, `{publisher}`,
 * `{repo}`), the folders of all its sources and a GGUF's naming keys (to pair a vision projector
 * with its language model).
 */
export interface ModelOrigin {
  /** The naming source path (absolute) and the folder the scan that found it was given (null: unknown). */
  path: string;
  root: string | null;
  /** The folder of every source path, sorted. */
  folders: string[];
  /** GGUF `general.organization`, `general.basename`, `general.name`, where the header has them. */
  organization?: string;
  basename?: string;
  title?: string;
}

/** Every model's origin, by model id (models without a recorded source have none). Two queries. */
export function readModelOrigins(db: DB): Map<number, ModelOrigin> {
  const out = new Map<number, ModelOrigin>();
  for (const [id, sources] of readSourcePlaces(db)) {
    const naming = chooseNamingSource(sources);
    if (naming === undefined) continue;
    out.set(id, { path: naming.path, root: naming.root, folders: sources.length === 1 ? [dirname(naming.path)] : [...new Set(sources.map((s) => dirname(s.path)))].sort() });
  }
  const keys = Object.keys(GGUF_KEYS);
  const rows = stmt(db, `SELECT model_id, key, value FROM model_metadata WHERE source = 'header' AND key IN (${keys.map(() => '?').join(', ')})`).all(...keys) as Array<{
    model_id: number;
    key: keyof typeof GGUF_KEYS;
    value: string | null;
  }>;
  for (const r of rows) {
    const origin = out.get(r.model_id);
    const value = r.value?.trim();
    if (origin !== undefined && value !== undefined && value !== '') origin[GGUF_KEYS[r.key]] = value;
  }
  return out;
}
