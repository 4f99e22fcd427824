/**
 * Files ModelHub writes and owns beside its links (today: ComfyUI's extra_model_paths.yaml for a
 * Target with `extraModelPaths`), as plan data. A closed set of actions, like the links': each
 * carries the state its path must still be in (`expect`) and, where it writes, the whole text,
 * so apply, the saved-plan comparison and both views read the action alone. Ownership is the
 * content: a file is ModelHub's while deploy_files records its path and its bytes still hash to
 * the recorded SHA-256.
 */

/** What a file is for (the only kind so far). */
export type FilePurpose = 'comfyui-extra-model-paths';

/** A file ModelHub wrote, as deploy_files records it. */
export interface RecordedFile {
  target: string;
  path: string;
  purpose: FilePurpose;
  /** SHA-256 of the text ModelHub wrote. */
  sha256: string;
}

/** A file the manifests ask for. */
export interface DesiredFile {
  target: string;
  /** Absolute. */
  path: string;
  purpose: FilePurpose;
  content: string;
  sha256: string;
  /** What the text declares, for display (ComfyUI: the folder keys). */
  summary: string[];
}

/** What is at a file's path (never following a final symlink); `folder-missing`: the folder it goes in is not there. */
export type ObservedFile =
  | { kind: 'absent' }
  | { kind: 'file'; sha256: string }
  | { kind: 'symlink'; text: string }
  | { kind: 'dir' | 'other' | 'folder-missing' };

/** What apply requires at the path before acting: nothing there, or a regular file with these bytes. */
export type FileExpect = { kind: 'absent' } | { kind: 'file'; sha256: string };

interface FileBase {
  target: string;
  path: string;
  purpose: FilePurpose;
  expect: FileExpect;
}

/**
 * `write-file`: create the file (nothing there). `rewrite-file`: replace ModelHub's unchanged
 * file by the new text. `record-file`: the text is already exactly the declared one (an apply
 * that ended between writing and recording): only recorded.
 */
export interface WriteFileChange extends FileBase {
  action: 'write-file' | 'rewrite-file' | 'record-file';
  reason: 'declared' | 'missing' | 'mappings-changed' | 'unrecorded-file' | 'record-outdated';
  content: string;
  sha256: string;
  summary: string[];
}

/** `remove-file`: ModelHub's unchanged file is no longer declared. `forget-file`: drop the record, disk untouched (gone, or edited by hand). */
export interface DropFileChange extends FileBase {
  action: 'remove-file' | 'forget-file';
  reason: 'not-declared' | 'target-disabled' | 'target-removed' | 'gone' | 'changed-by-user';
  /** The recorded SHA-256. */
  sha256: string;
}

export type FileChange = WriteFileChange | DropFileChange;
export type FileAction = FileChange['action'];
export const FILE_ACTIONS: readonly FileAction[] = ['write-file', 'rewrite-file', 'record-file', 'remove-file', 'forget-file'];
