import type { DeployOverview } from '../reconcile/deploy-overview.js';
import type { ManifestChange, ManifestEditPlan } from '../reconcile/manifest-edit-types.js';
import type { BrowseRow } from '../store/browse.js';
import type { DeletePlan } from '../store/delete.js';
import type { ModelDetails } from '../store/model-details-types.js';
import type { KeyName } from './keys.js';

/**
 * Effects are data: the reducer asks for them (State.pending) and the effect runner at the edge
 * carries them out through the domain, answering with events. Background jobs (marked `job`
 * in the runner) report progress and end with `done` or `failed`.
 */
export type Effect =
  | { kind: 'load-rows' }
  | { kind: 'load-details'; hash: string }
  | { kind: 'load-deploy' }
  | { kind: 'scan'; path: string; symlinks: boolean }
  | { kind: 'reclassify'; hashes: string[] }
  | { kind: 'preview-delete'; hashes: string[] }
  | { kind: 'delete'; hashes: string[] }
  | { kind: 'hash-files'; hashes: string[] }
  /** Apply the plan that was shown, refused when a fresh plan has another fingerprint. */
  | { kind: 'apply'; fingerprint: string }
  | { kind: 'preview-edit'; change: ManifestChange }
  | { kind: 'save-edit'; plan: ManifestEditPlan }
  | { kind: 'export'; path: string }
  | { kind: 'copy'; hash: string; what: CopyWhat; target?: string }
  | { kind: 'quit' };

export type CopyWhat = 'path' | 'hash' | 'ln';

/** A block of lines to show after a job (reclassify's before → after, hash files written, …). */
export interface Report {
  title: string;
  lines: string[];
}

export type Event =
  | { type: 'key'; key: KeyName }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'rows'; rows: BrowseRow[] }
  | { type: 'details'; details: ModelDetails }
  | { type: 'deploy'; overview: DeployOverview }
  | { type: 'delete-preview'; plan: DeletePlan }
  | { type: 'edit-preview'; plan: ManifestEditPlan; diff: string[] }
  /** A running job's progress line. */
  | { type: 'progress'; text: string }
  /** A job ended well; `report` opens a view of its lines. */
  | { type: 'done'; message: string; report?: Report }
  /** A job or a read failed: the message goes to the status line. */
  | { type: 'failed'; message: string }
  /** Something to say in the status line (what was copied, …). */
  | { type: 'notice'; message: string }
  /** Another process changed the hub or the manifests. */
  | { type: 'hub-changed' };

/** Effects that run in the background as a job (one at a time, with a progress line). */
export const JOB_EFFECTS: ReadonlySet<Effect['kind']> = new Set(['scan', 'reclassify', 'delete', 'hash-files', 'apply', 'save-edit', 'export']);
