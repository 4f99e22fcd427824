/**
 * The plan as data: a closed set of actions, each with the state the path must still be in
 * for the action to run (`expect`) and a reason for display. `plan --json`, `plan --out`,
 * the human renderer and `apply` all consume this one structure.
 *
 * Reasons (`reason` on changes and conflicts) are for display only, as in Terraform: the
 * applier, its guards and the saved-plan comparison never read them. Whatever apply acts on is
 * a field of the action itself (`action`, `how`, `recorded`, `linkTarget`, `expect`, …), so
 * rewording or adding a reason can never change what apply does.
 */
import type { FileChange } from './file-types.js';
import type { OverrideChange } from './overrides.js';

/** A link ModelHub recorded in deploy_links after making it. */
export interface RecordedLink {
  target: string;
  path: string;
  linkTarget: string;
  hash: string;
  deployment: string | null;
  /**
   * Device and inode of the link, lstat-ed right after apply made it: ownership needs the same
   * inode, not only the same text (a copy made with `cp -a` has the text, not the inode). null
   * for links recorded before ModelHub kept inodes: unknown (see reconcile/ownership.ts).
   */
  dev: number | null;
  ino: number | null;
  /**
   * The declared path this link stands for when `--adopt` took the user's own link or file at
   * another path under the same mapped folder (`loras/flux/x` for a declared `loras/x`); absent
   * or null: the link is at its declared path.
   */
  declaredPath?: string | null;
  /** A companion link (a preview or metadata file beside a model's link): the path of that model link. */
  companionOf?: string | null;
}

/** A folder ModelHub created (deploy_dirs), removed again when it becomes empty. */
export interface RecordedDir {
  target: string;
  path: string;
}

/** What is at a path on disk, observed without following the final symlink. */
export type Observed =
  | { kind: 'absent' }
  /** `dev`/`ino` (the link's own, lstat) are observed at recorded paths, where ownership is decided. */
  | { kind: 'symlink'; text: string; dev?: number; ino?: number }
  | { kind: 'file'; size: number; mtimeMs: number; ino: number; sha256?: string }
  | { kind: 'dir' }
  | { kind: 'other' }
  /** A parent of the path is not a folder (ENOTDIR). */
  | { kind: 'blocked' };

export interface ActualState {
  /** Every desired and recorded path. Paths not in the map are treated as absent. */
  paths: Map<string, Observed>;
  /** Desired store files that are not regular files in the store. */
  missingStoreFiles: Set<string>;
  /** Targets (by name) whose root folder does not exist. */
  missingRoots: Set<string>;
  /**
   * Folders below a target root (the root itself excluded) that are symlinks, with their text.
   * Nothing behind one is observed, and apply never works through one.
   */
  symlinkedFolders: Map<string, string>;
  /** Temporary links an interrupted apply left behind (`.NAME.modelhub-tmp-…` pointing into the store). */
  leftovers: Array<{ target: string; path: string; text: string }>;
  /**
   * By declared path: the user's own copy of the declared model found elsewhere under the same
   * mapped folder while the declared path is empty (see reconcile/adopt-nearby.ts).
   */
  nearby?: Map<string, NearbyFind>;
}

/**
 * A copy of a declared model at another path under the declared link's mapped folder.
 * `link`: a symlink reaching the model's store file (same dev, ino); `hardlink`: a regular file
 * that is the store file's inode; `ejected`: a copy `modelhub eject` made; `file`: a regular file
 * of the model's size, `identical` only once its SHA-256 was compared (`--adopt`).
 */
export interface NearbyFind {
  path: string;
  kind: 'link' | 'hardlink' | 'ejected' | 'file';
  identical: boolean;
  /** What is at `path` (with the link's own dev/ino), for the plan's expectation. */
  expect: Observed;
}

export type Expect = Observed;

interface Base {
  target: string;
  /** Absolute path of the link. */
  path: string;
  /** Path relative to the target root, for display. */
  relPath: string;
  model: { hash: string; name: string };
  /**
   * Set on a companion link (a model's preview or metadata file linked beside its link): the
   * path of the model's link it belongs to. Recorded with the link; its ownership is a link's.
   */
  companionOf?: string;
}

/**
 * A companion link the plan leaves out, for display: something not ModelHub's is at its path
 * (a user's own preview: never replaced, never a conflict), its store copy is missing, or two
 * links in one folder would give it. The model's own link is planned as usual.
 */
export interface CompanionNote {
  target: string;
  path: string;
  relPath: string;
  model: { hash: string; name: string };
  companionOf: string;
  found: string;
}

export type CreateReason = 'declared' | 'missing';
export type ReplaceReason = 'model-changed' | 'link-changed';
export type DeleteReason = 'not-declared' | 'target-disabled' | 'target-removed' | 'deployment-disabled' | 'model-deleted' | 'leftover-temp';
export type AdoptReason = 'unrecorded-link' | 'record-outdated' | 'duplicate-file' | 'nearby-link' | 'nearby-file';
export type ForgetReason = 'gone' | 'changed-by-user' | 'ejected';
export type ConflictReason = 'foreign-file' | 'foreign-symlink' | 'drifted' | 'directory' | 'parent-not-directory' | 'store-file-missing' | 'root-missing' | 'name-clash' | 'folder-is-symlink' | 'unsafe-name' | 'foreign-config' | 'config-edited' | 'config-folder-missing';

/** Make a missing link. */
export interface CreateChange extends Base {
  action: 'create';
  reason: CreateReason;
  linkTarget: string;
  deployment: string;
  expect: Expect;
  /**
   * Display only: a copy of the model the user already has under the same mapped folder, which
   * `--adopt` would take as this link instead of adding a second entry beside it.
   */
  nearby?: { path: string; relPath: string; kind: NearbyFind['kind']; identical: boolean };
}

/** Re-point an owned link (it points at what ModelHub recorded, which is no longer what is declared). */
export interface ReplaceChange extends Base {
  action: 'replace';
  reason: ReplaceReason;
  linkTarget: string;
  deployment: string;
  previous: { hash: string; linkTarget: string };
  expect: Expect;
}

/** Remove an owned link that is no longer declared (or a temporary link an interrupted apply left). */
export interface DeleteChange extends Base {
  action: 'delete';
  reason: DeleteReason;
  /**
   * true: deploy_links records the link; apply removes it only if it is still the recorded one
   * (same text, same inode) and then forgets the record. false: a temporary link an interrupted
   * apply left, never recorded; removed only if its name is apply's temporary pattern and it
   * points into the store, and no record is touched.
   */
  recorded: boolean;
  expect: Expect;
}

/**
 * Take over what already is at a desired path. `record`: a symlink holding exactly the desired
 * text, only recorded. `relink`: an unrecorded symlink resolving to the desired store file, made
 * to hold the desired text. `replace-file` (--adopt): a regular file whose content hash equals
 * the model's, replaced by the link.
 */
export interface AdoptChange extends Base {
  action: 'adopt';
  reason: AdoptReason;
  how: 'record' | 'relink' | 'replace-file';
  linkTarget: string;
  deployment: string;
  expect: Expect;
  /**
   * `--adopt` took the user's copy at `path`, another path under the mapped folder than the
   * declared one: the link stays at `path` and is recorded as standing for `declaredPath`.
   */
  declaredPath?: string;
  /** `declaredPath` relative to the target root, for display. */
  declaredRelPath?: string;
}

/** Drop a record without touching the disk: the link is gone, or the user took the path over. */
export interface ForgetChange extends Base {
  action: 'forget';
  reason: ForgetReason;
  expect: Expect;
}

export type Change = CreateChange | ReplaceChange | DeleteChange | AdoptChange | ForgetChange;
export type ChangeAction = Change['action'];

/** Something in the way that ModelHub does not own: listed, never touched; blocks apply. */
export interface Conflict {
  target: string;
  path: string;
  relPath: string;
  reason: ConflictReason;
  model?: { hash: string; name: string };
  /** What is there, in words (e.g. `symlink -> /elsewhere`, `file, 1.2 GB`). */
  found?: string;
  /** `name-clash`: every (target, model) claiming the path, with the deployments behind each. */
  claims?: Array<{ target: string; hash: string; name: string; deployments: string[] }>;
}

export interface PlanTarget {
  name: string;
  displayName: string;
  root: string;
  /** false when disabled in the manifests; null when the manifests no longer name it. */
  enabled: boolean | null;
  /** The mapped folders, relative to root (for grouping in the human view). */
  folders: string[];
  declared: number;
  inSync: number;
  /**
   * The declared links that need nothing, relative to root, in the desired links' order: not
   * actions (a saved plan is compared on its actions only), but context the human view shows
   * around a folder's diff, so every view renders from the plan alone.
   */
  inSyncPaths: string[];
}

export interface PlanSummary {
  create: number;
  replace: number;
  delete: number;
  adopt: number;
  forget: number;
  conflict: number;
  inSync: number;
  dirs: number;
  overrides: number;
  /** File actions (write, rewrite, record, remove, forget) of the files ModelHub owns. */
  files: number;
  /** Companion links to make (create, adopt, relink) and to remove (delete, forget); not in the counts above. */
  companions?: { link: number; remove: number };
}

export interface Plan {
  formatVersion: 1;
  /** Hash of the inputs (manifests, inventory, recorded links and folders, options). */
  fingerprint: string;
  options: { target: string | null; adopt: boolean };
  targets: PlanTarget[];
  changes: Change[];
  conflicts: Conflict[];
  /** Folders ModelHub created that hold no declared link any more: removed if empty, deepest first. */
  dirs: RecordedDir[];
  /** Inventory updates for Overrides. */
  overrides: OverrideChange[];
  /** The files ModelHub writes beside its links (ComfyUI's extra_model_paths.yaml): see file-types.ts. */
  files: FileChange[];
  /**
   * Targets whose every link would be removed because nothing is declared for them any more
   * (not because they were disabled): apply refuses these without --allow-empty.
   */
  emptyTargets: string[];
  /**
   * Declared links of models flagged unsafe (a pickle referring to code outside what torch
   * uses; selected by `unsafe: true` or by hash), for a warning. Display only.
   */
  unsafe: Array<{ target: string; path: string; relPath: string; model: { hash: string; name: string } }>;
  /**
   * Declared links held by a real copy `modelhub eject` made (at the declared path, or at
   * `path` elsewhere under its mapped folder): left alone, neither a change nor a conflict.
   * Display only.
   */
  ejected?: Array<{ target: string; path: string; relPath: string; declaredRelPath: string; model: { hash: string; name: string } }>;
  /** Companion links left out, and why (display only). */
  companionNotes?: CompanionNote[];
  summary: PlanSummary;
}
