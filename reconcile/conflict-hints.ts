import type { Conflict, ConflictReason } from './plan-types.js';

/** What the user can do about each kind of conflict: ModelHub itself never touches what is in the way. */
const HINTS: Record<ConflictReason, string> = {
  'foreign-file': 'move or remove what is in the way (ModelHub never touches it), or rerun with --adopt where it is a duplicate of the model',
  'foreign-symlink': 'move or remove what is in the way (ModelHub never touches it)',
  drifted: 'move or remove what is in the way (ModelHub never touches it)',
  directory: 'move or remove what is in the way (ModelHub never touches it)',
  'parent-not-directory': 'move or remove what is in the way (ModelHub never touches it)',
  'store-file-missing': 'the model is gone from the store: `modelhub scan` a copy of it to put it back, or `modelhub delete MODEL` so the next `modelhub apply` removes its links',
  'root-missing': 'install the application there, or fix the root in its Target manifest',
  'folder-is-symlink': 'apply never works through a symlinked folder below a target root: replace it by a real folder (move what it holds into it), or point the mapping at the folder it leads to',
  'unsafe-name': 'give the model a plain name with an Override (`kind: Override`, `match: { hash: … }`, `set: { name: … }`), or rename the file and scan it again',
  'foreign-config': 'ModelHub never edits a file it did not write (your own extra_model_paths.yaml): give extraModelPaths another path, or move that file away',
  'config-edited': 'ModelHub never overwrites a hand edit: remove the file so the next `modelhub apply` writes it again, or put your changes in a file of your own (ComfyUI takes several --extra-model-paths-config)',
  'config-folder-missing': 'create the folder, or give extraModelPaths a path in an existing folder',
  'name-clash': 'rename one of the models with an Override (set.name), give the deployments different `path` templates, or narrow their `select`',
};

/** One hint naming what fixes every kind of conflict present (each said once, in a stable order). */
export function conflictHint(conflicts: Conflict[]): string {
  const reasons = new Set(conflicts.map((c) => c.reason));
  const hints = (Object.keys(HINTS) as ConflictReason[]).filter((r) => reasons.has(r)).map((r) => HINTS[r]);
  return [...new Set(hints)].join('; ');
}
