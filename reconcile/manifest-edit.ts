import { resolve } from 'node:path';
import { Scalar, type Document, type YAMLSeq } from 'yaml';
import type { Edit, FileEdit, ManifestEditInput, ManifestEditPlan } from './manifest-edit-types.js';
import type { DeploymentSpec, Manifests, Selector, TargetSpec } from './manifest-types.js';
import { matchesSelector, selects, type DeployModel } from './select.js';
import { checkTemplate } from './template.js';
import { commentSafe, fileOf, isOwnDeployment, OWN_DEPLOY_FILE, OWN_HEADER, ownDeploymentName } from './manifest-own.js';
import { planRename } from './manifest-rename.js';
import { appendDocument, findDocument, parseYamlFile, removeDocument, rewriteDocument, scalarText, setScalar, type YamlFile } from './yaml-edit.js';
import { describeMappingMiss } from './mapping.js';

export type { FileEdit, ManifestChange, ManifestEditInput, ManifestEditPlan } from './manifest-edit-types.js';
export { OWN_DEPLOY_FILE, ownDeploymentName } from './manifest-own.js';

/**
 * Plan a change of the manifests. PURE: from the loaded manifests and the files' texts to the
 * files' new texts, never touching the disk. The GitOps rule holds: deployments change only
 * through the manifests, and a file ModelHub did not write changes only in the documents the
 * change concerns (see yaml-edit.ts). What cannot be done by an edit is refused in words.
 */
export function planManifestEdit(input: ManifestEditInput): ManifestEditPlan {
  const plan: ManifestEditPlan = { change: input.change, edits: [], refused: [], notes: [] };
  const texts = new Map(input.texts);
  const edit = (file: string, fn: (f: YamlFile) => string): void => {
    texts.set(file, fn(parseYamlFile(texts.get(file) ?? '')));
  };
  const c = input.change;
  if (c.kind === 'rename') planRename({ ...input, change: c }, plan, edit);
  else planTargetChange(input, plan, edit);
  for (const [file, after] of texts) {
    const before = input.texts.get(file) ?? null;
    if (after !== before) plan.edits.push({ file, before, after } satisfies FileEdit);
  }
  return plan;
}

function planTargetChange(input: ManifestEditInput, plan: ManifestEditPlan, edit: Edit): void {
  const c = input.change;
  if (c.kind === 'rename') return;
  const target = input.manifests.targets.find((t) => t.name === c.target);
  if (target === undefined) {
    plan.refused.push(`no target named "${c.target}" in ${input.manifests.dir}`);
    return;
  }
  if (c.kind === 'enable' || c.kind === 'root') {
    const value = c.kind === 'enable' ? c.enabled : c.root;
    if ((c.kind === 'enable' ? target.enabled : target.rootAsWritten) === value) plan.notes.push(`${target.name} is already ${c.kind === 'enable' ? (c.enabled ? 'enabled' : 'disabled') : `rooted at ${c.root}`}`);
    else edit(fileOf(target, input.cwd), (f) => setScalar(f, findDocument(f, 'Target', target.name), c.kind === 'enable' ? 'enabled' : 'root', value));
  } else if (c.kind === 'deploy') planDeploy(input, target, c.path, plan, edit);
  else planUndeploy(input, target, plan, edit);
}

function planDeploy(input: ManifestEditInput, target: TargetSpec, path: string | undefined, plan: ManifestEditPlan, edit: Edit): void {
  const badPath = path === undefined ? undefined : checkTemplate(path);
  if (badPath !== undefined) {
    plan.refused.push(badPath);
    return;
  }
  const add: DeployModel[] = [];
  for (const m of input.models) {
    const by = declaringDeployments(input.manifests, target.name, m);
    const miss = describeMappingMiss(target, m);
    if (!(m.type in target.mappings)) plan.refused.push(`${m.name}: target ${target.name} has no folder for type ${m.type} (add one under mappings in ${fileOf(target, input.cwd)})`);
    else if (miss !== undefined) plan.refused.push(`${m.name}: target ${target.name}'s ${miss} (change the mapping in ${fileOf(target, input.cwd)})`);
    else if (by.length > 0) plan.notes.push(`${m.name} is already declared for ${target.name} (deployment ${by.map((d) => `${d.name} at ${d.source.file}:${d.source.line}`).join(', ')}); undeploy it first to deploy it at another path`);
    else add.push(m);
  }
  if (add.length === 0) return;
  if (!target.enabled) plan.notes.push(`target ${target.name} is disabled: its links appear once it is enabled (enabled: true in ${fileOf(target, input.cwd)}, or c in the terminal UI)`);
  const name = ownDeploymentName(target.name, path);
  const own = input.manifests.deployments.find((d) => d.name === name);
  if (own === undefined) {
    const file = resolve(input.manifests.dir, OWN_DEPLOY_FILE);
    const hashes = add.map((m) => `    - ${scalarText(m.hash.slice(0, 12))} # ${commentSafe(m.name)}`).join('\n');
    const pathLine = path === undefined ? '' : `path: ${scalarText(path)}\n`;
    edit(file, (f) => appendDocument(f.text === '' ? OWN_HEADER : f.text, `kind: Deployment\nname: ${name}\ntarget: ${target.name}\n${pathLine}select:\n  hash:\n${hashes}\n`));
    return;
  }
  if ((own.path ?? undefined) !== path) {
    const shown = (p: string | null | undefined): string => (p === null || p === undefined ? "no path (the target's paths, else {name})" : `path ${p}`);
    plan.refused.push(`deployment ${name} (${own.source.file}:${own.source.line}) has ${shown(own.path)}, not ${shown(path)}; edit it there`);
    return;
  }
  const why = ownRefusal(own, target.name);
  if (why !== undefined) {
    plan.refused.push(why);
    return;
  }
  edit(fileOf(own, input.cwd), (f) => rewriteDocument(f, findDocument(f, 'Deployment', name), (d) => pushHashes(d, ['select', 'hash'], add)));
}

function planUndeploy(input: ManifestEditInput, target: TargetSpec, plan: ManifestEditPlan, edit: Edit): void {
  const ownFile = resolve(input.manifests.dir, OWN_DEPLOY_FILE);
  for (const m of input.models) {
    const by = declaringDeployments(input.manifests, target.name, m);
    if (by.length === 0) plan.notes.push(`${m.name} is not declared for ${target.name}`);
    for (const d of by) {
      const file = fileOf(d, input.cwd);
      if (isOwnDeployment(d, target.name, ownFile, input.cwd) && ownRefusal(d, target.name) === undefined) {
        edit(file, (f) => {
          const i = findDocument(f, 'Deployment', d.name);
          const seq = f.docs[i]?.getIn(['select', 'hash']) as YAMLSeq | undefined;
          const left = (seq?.items ?? []).filter((item) => !isPrefixOf(item, m.hash));
          return left.length === 0 ? removeDocument(f, i) : rewriteDocument(f, i, (doc) => dropHashes(doc, m.hash));
        });
      } else if (d.exclude !== null && !onlyHashes(d.exclude)) {
        plan.refused.push(`${m.name}: deployment ${d.name} (${file}:${d.source.line}) selects it, and its exclude has other conditions (all must hold), so a hash cannot be added to it; change that deployment by hand`);
      } else edit(file, (f) => rewriteDocument(f, findDocument(f, 'Deployment', d.name), (doc) => pushHashes(doc, ['exclude', 'hash'], [m])));
    }
  }
}

/** Enabled deployments into `target` that select `m` (and do not exclude it). */
function declaringDeployments(manifests: Manifests, target: string, m: DeployModel): DeploymentSpec[] {
  return manifests.deployments.filter((d) => d.enabled && d.targets.includes(target) && selects(d.select, m) && !(d.exclude !== null && matchesSelector(d.exclude, m)));
}

/** Why ModelHub's own deployment cannot take more hashes (it was changed by hand), if it cannot. */
function ownRefusal(d: DeploymentSpec, target: string): string | undefined {
  if (!d.enabled) return `deployment ${d.name} is disabled (enabled: false in ${d.source.file}); enable it or remove that line`;
  if (d.targets.length !== 1 || d.targets[0] !== target || !onlyHashes(d.select)) return `deployment ${d.name} (${d.source.file}:${d.source.line}) was changed by hand to more than a list of hashes for ${target}; edit it there`;
  return undefined;
}

function onlyHashes(sel: Selector): boolean {
  const keys = Object.keys(sel);
  return keys.length === 1 && keys[0] === 'hash';
}

/** Append the models' hash prefixes (12 hex digits, the file name as a comment) to the list at `path`, creating it. */
function pushHashes(doc: Document.Parsed, path: string[], models: DeployModel[]): void {
  if (!doc.hasIn(path)) doc.setIn(path, doc.createNode([]));
  const seq = doc.getIn(path) as YAMLSeq;
  for (const m of models) {
    const s = new Scalar(m.hash.slice(0, 12));
    s.comment = ` ${commentSafe(m.name)}`;
    seq.items.push(s);
  }
  seq.flow = false;
}

function dropHashes(doc: Document.Parsed, hash: string): void {
  const seq = doc.getIn(['select', 'hash']) as YAMLSeq;
  seq.items = seq.items.filter((item) => !isPrefixOf(item, hash));
}

/** Whether a list item (a hash prefix) names the model with this SHA-256. */
function isPrefixOf(item: unknown, hash: string): boolean {
  return hash.startsWith(String(item instanceof Scalar ? item.value : item).toLowerCase());
}

