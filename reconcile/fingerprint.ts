import { createHash } from 'node:crypto';
import type { Manifests } from './manifest-types.js';
import type { InventoryModel, OverrideRecord } from './overrides.js';
import type { RecordedFile } from './file-types.js';
import type { RecordedDir, RecordedLink } from './plan-types.js';

export interface FingerprintInput {
  manifests: Manifests;
  models: InventoryModel[];
  overrideRecords: OverrideRecord[];
  recorded: RecordedLink[];
  recordedDirs: RecordedDir[];
  /** Files ModelHub wrote (deploy_files); fed only when there are any. */
  recordedFiles?: RecordedFile[];
  storeDir: string;
  options: { target: string | null; adopt: boolean };
  /** The companion copies in the store, by model hash (their links are planned from them). */
  companions?: ReadonlyMap<string, ReadonlyArray<{ role: string; name: string }>>;
}

/**
 * A SHA-256 over everything a plan was computed from except the target folders themselves
 * (apply re-checks every path against the plan's expectations instead): the normalized
 * manifests (values, not line numbers), the inventory rows deployments select on, the recorded
 * links, folders and files, and the plan options. A saved plan whose fingerprint no longer matches
 * freshly gathered inputs is stale.
 */
export function fingerprintInputs(input: FingerprintInput): string {
  const hash = createHash('sha256');
  const feed = (label: string, value: unknown): void => {
    hash.update(label);
    hash.update('\0');
    hash.update(typeof value === 'string' ? value : JSON.stringify(value));
    hash.update('\n');
  };
  feed('v', 1);
  feed('options', input.options);
  feed('store', input.storeDir);
  feed('targets', input.manifests.targets.map(({ source: _s, ...t }) => t));
  feed('deployments', input.manifests.deployments.map(({ source: _s, ...d }) => d));
  feed('override docs', input.manifests.overrides.map(({ source: _s, ...o }) => o));
  // Rows as tab-separated lines, fed in one piece each: 10,000 rows cost milliseconds.
  const rows = (list: Array<Array<string | number | boolean | null>>): string => list.map((r) => r.map((v) => String(v)).join('\t')).join('\n');
  feed('models', rows(input.models.map((m) => [m.hash, m.filename, m.name, m.format, m.size, m.type, m.base, m.variant, m.deleted, m.unsafe === true])));
  feed('origins', rows(input.models.map((m) => (m.origin === undefined ? [m.hash] : [m.hash, m.origin.path, m.origin.root, m.origin.folders.join('\u0000'), m.origin.organization ?? null, m.origin.basename ?? null, m.origin.title ?? null]))));
  feed('overrides', rows(input.overrideRecords.map((o) => [o.hash, o.type, o.base, o.variant, o.deployName, o.tags.join(',')])));
  feed('links', rows(input.recorded.map((r) => [r.target, r.path, r.linkTarget, r.hash, r.deployment, r.dev, r.ino, r.declaredPath ?? null, ...(typeof r.companionOf === 'string' ? [r.companionOf] : [])])));
  feed('dirs', rows(input.recordedDirs.map((d) => [d.target, d.path])));
  if (input.recordedFiles !== undefined && input.recordedFiles.length > 0) feed('files', rows(input.recordedFiles.map((f) => [f.target, f.path, f.purpose, f.sha256])));
  if (input.companions !== undefined && input.companions.size > 0) feed('companions', rows([...input.companions].flatMap(([hash, list]) => list.map((c) => [hash, c.role, c.name]))));
  return hash.digest('hex');
}
