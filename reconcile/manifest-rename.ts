import { extname, resolve } from 'node:path';
import type { YAMLMap } from 'yaml';
import type { Edit, ManifestChange, ManifestEditInput, ManifestEditPlan } from './manifest-edit-types.js';
import { checkLinkName, quoteName } from '../core/names.js';
import { commentSafe, fileOf, OWN_DEPLOY_FILE, OWN_HEADER } from './manifest-own.js';
import type { OverrideSpec } from './manifest-types.js';
import { computeOverrideEffects } from './overrides.js';
import { appendDocument, findDocument, rewriteDocument, scalarText, type YamlFile } from './yaml-edit.js';

type RenameChange = Extract<ManifestChange, { kind: 'rename' }>;

/** The name of the Override `modelhub rename` writes for a model. */
export function renameOverrideName(hash: string): string {
  return `modelhub-rename-${hash.slice(0, 12)}`;
}

/**
 * Plan `rename`: the Override whose `set.name` is in force for the model is changed where it is,
 * when it names this model by hash alone; one that names models by a glob is refused (a rename
 * would change every model it matches, or lose to it); with none, an Override matching the
 * model's hash is appended to ModelHub's own file. The new name must be a link name
 * (core/names.ts) ending in the model's file extension.
 */
export function planRename(input: ManifestEditInput & { change: RenameChange }, plan: ManifestEditPlan, edit: Edit): void {
  const c = input.change;
  const m = input.models.find((x) => x.hash === c.model.hash);
  if (m === undefined) {
    plan.refused.push(`${c.model.name} (${c.model.hash.slice(0, 12)}) is deleted; run \`modelhub restore\` first`);
    return;
  }
  const bad = checkRename(c.name, m.name);
  if (bad !== undefined) {
    plan.refused.push(`${quoteName(c.name)} ${bad}`);
    return;
  }
  if (m.name === c.name) {
    plan.notes.push(`${m.name} is already its deploy name`);
    return;
  }
  const setter = nameSetters(input, m.hash).at(-1);
  if (setter !== undefined && !namesByHashOnly(setter, m.hash)) {
    plan.refused.push(`Override ${setter.label} (${setter.source.file}:${setter.source.line}) sets the name of every model it matches (match ${JSON.stringify(setter.match)}); edit it there, or narrow its match so a rename can name this model alone`);
    return;
  }
  if (setter !== undefined) {
    edit(fileOf(setter, input.cwd), (f) => rewriteDocument(f, overrideIndex(f, setter), (d) => (d.getIn(['set']) as YAMLMap).set('name', c.name)));
    return;
  }
  const file = resolve(input.manifests.dir, OWN_DEPLOY_FILE);
  const doc = `kind: Override\nname: ${renameOverrideName(m.hash)}\nmatch:\n  hash: ${m.hash.slice(0, 12)} # ${commentSafe(m.name)}\nset:\n  name: ${scalarText(c.name)}\n`;
  edit(file, (f) => appendDocument(f.text === '' ? OWN_HEADER : f.text, doc));
}

/** Why `name` cannot replace `current` as a link name, or undefined: the link-name rules, and the same extension (apps list model files by it). */
export function checkRename(name: string, current: string): string | undefined {
  const why = checkLinkName(name);
  if (why !== undefined) return why;
  const ext = extname(current);
  if (ext !== '' && extname(name).toLowerCase() !== ext.toLowerCase()) return `does not end in ${ext}, the model's extension: applications list model files by their extension`;
  return undefined;
}

/** The Overrides that set a name and match the model, in manifest order (the last is in force). */
function nameSetters(input: ManifestEditInput, hash: string): OverrideSpec[] {
  const inv = input.inventory?.find((x) => x.hash === hash);
  return input.manifests.overrides.filter((o) => o.set.name !== undefined && (inv === undefined ? namesByHashOnly(o, hash) : computeOverrideEffects([inv], [o]).has(hash)));
}

function namesByHashOnly(o: OverrideSpec, hash: string): boolean {
  return o.match.name === undefined && o.match.hash !== undefined && hash.startsWith(o.match.hash);
}

/** The document an Override came from: by its name, else by the line its content starts on. */
function overrideIndex(f: YamlFile, o: OverrideSpec): number {
  const named = findDocument(f, 'Override', o.label);
  if (named >= 0) return named;
  const lineOf = (offset: number): number => f.text.slice(0, offset).split('\n').length;
  return f.docs.findIndex((d) => d.contents !== null && lineOf(d.contents.range?.[0] ?? 0) === o.source.line);
}
