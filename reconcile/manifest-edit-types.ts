import type { InventoryModel } from '../store/overrides.js';
import type { Manifests } from './manifest-types.js';
import type { DeployModel } from './select.js';
import type { YamlFile } from './yaml-edit.js';

/** What an interface asks of the manifests (the TUI's deploy and configure screens, `modelhub deploy`, `undeploy`, `rename`). */
export type ManifestChange =
  /** Declare these models for the target (by hash, in ModelHub's own deployment for it and the path template, `{name}` when not given). */
  | { kind: 'deploy'; target: string; models: Array<{ hash: string; name: string }>; path?: string }
  /** Stop declaring these models for the target. */
  | { kind: 'undeploy'; target: string; models: Array<{ hash: string; name: string }> }
  /** Give the model this deploy name (an Override's `set.name`). */
  | { kind: 'rename'; model: { hash: string; name: string }; name: string }
  | { kind: 'enable'; target: string; enabled: boolean }
  | { kind: 'root'; target: string; root: string };

/** One manifest file to write: its text now, and the text after the change. */
export interface FileEdit {
  file: string;
  /** null: the file does not exist yet. */
  before: string | null;
  after: string;
}

/** A planned change of the manifests: the files it rewrites, and what it could not do. */
export interface ManifestEditPlan {
  change: ManifestChange;
  edits: FileEdit[];
  /** What was asked but cannot be done by an edit (each a sentence naming the file and document). */
  refused: string[];
  /** What needed no edit (already declared, already enabled, …). */
  notes: string[];
}

export interface ManifestEditInput {
  change: ManifestChange;
  manifests: Manifests;
  /** The models the change names, as deployments see them (Overrides applied). */
  models: DeployModel[];
  /** The text of every manifest file, by absolute path. */
  texts: ReadonlyMap<string, string>;
  /** The folder `source.file` of a spec is relative to. */
  cwd: string;
  /** The inventory's models (before Overrides): which Overrides match a model (`rename`). */
  inventory?: InventoryModel[];
}

/** Replace the text of `file` (empty when it does not exist) with what `fn` makes of it. */
export type Edit = (file: string, fn: (f: YamlFile) => string) => void;
