/**
 * Manifests after loading and validation: every path expanded, every default filled in,
 * every reference checked. Nothing downstream re-validates these.
 */

/** Where a document came from, for messages (`file:line`). */
export interface SourceRef {
  file: string;
  line: number;
}

export type LinkStyle = 'absolute' | 'relative';

export interface TargetSpec {
  name: string;
  displayName: string;
  /** The root as written (before `~`/`$VAR` expansion), for display. */
  rootAsWritten: string;
  /** Absolute, expanded. */
  root: string;
  enabled: boolean;
  links: LinkStyle;
  /** Model type → folder relative to root (posix separators, normalized, never absolute, never `..`). */
  mappings: Record<string, string>;
  /**
   * ComfyUI's extra_model_paths.yaml that ModelHub writes and owns for this target (absolute,
   * expanded), for `--extra-model-paths-config`; undefined when not set.
   */
  extraModelPaths?: string;
  /**
   * Model type → what a model of that type must be to go to its folder (a mapping written as
   * `{ folder, base, format }`); a type without an entry takes every model. A model that does not
   * meet its type's condition is deployed nowhere in this target (reconcile/mapping.ts).
   */
  conditions?: Record<string, MappingCondition>;
  /** Folder (relative to root, normalized like mappings) → how the application lists the files in it and below it (reconcile/listing.ts). */
  listing?: Record<string, FolderListing>;
  /** Model type → the path template its links get when a Deployment gives no `path` of its own. */
  paths: Record<string, string>;
  source: SourceRef;
}

/** How an application lists one folder's files (Target `listing`); advisory, for status. */
export interface FolderListing {
  /** What the application tells files apart by: the path below the folder, the file name alone, or the name without its extension. */
  keyedBy: 'path' | 'name' | 'stem';
  /** Extensions listed (with the dot, as written); undefined: every file. */
  extensions?: string[];
  /** Extensions compared case-sensitively. */
  matchCase: boolean;
  /** Lower-case extension → what the application needs to list such files. */
  needs: Record<string, string>;
}

/** Conditions of one mapping; each list is any-of, every list present must hold. */
export interface MappingCondition {
  base?: string[];
  /** Lower-case model formats (safetensors, gguf, ckpt, pt, pth, bin). */
  format?: string[];
}

/** One condition set; every key present must hold, a list holds when any of its values does. */
export interface Selector {
  type?: string[];
  base?: string[];
  variant?: string[];
  format?: string[];
  /** Globs on the deploy name, `*` and `?`, case-insensitive. */
  name?: string[];
  /** Lower-case SHA-256 prefixes. */
  hash?: string[];
  tag?: string[];
  /**
   * Models flagged unsafe (a pickle referring to code outside torch's) are selected only when
   * this is true or the selector names them by `hash`; false selects only safe ones.
   */
  unsafe?: boolean;
}

export interface DeploymentSpec {
  name: string;
  targets: string[];
  select: Selector;
  exclude: Selector | null;
  /** Path template under the mapped folder; null when not given (the target's `paths` for the type, else `{name}`). */
  path: string | null;
  enabled: boolean;
  source: SourceRef;
}

export interface OverrideSpec {
  /** The document's name, or `file:line` when it has none. */
  label: string;
  match: { hash?: string; name?: string };
  set: { type?: string; base?: string; variant?: string; tags?: string[]; name?: string };
  source: SourceRef;
}

export interface Manifests {
  /** The manifests folder (absolute). */
  dir: string;
  /** Manifest files read, absolute, sorted. */
  files: string[];
  targets: TargetSpec[];
  deployments: DeploymentSpec[];
  overrides: OverrideSpec[];
}
