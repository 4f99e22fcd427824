/** What an interface asks of the manifests (the TUI's deploy and configure screens, `modelhub deploy`). */
export type ManifestChange =
  /** Declare these models for the target (by hash, in ModelHub's own deployment for it). */
  | { kind: 'deploy'; target: string; models: Array<{ hash: string; name: string }> }
  /** Stop declaring these models for the target. */
  | { kind: 'undeploy'; target: string; models: Array<{ hash: string; name: string }> }
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
