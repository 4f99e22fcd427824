import { dirname, isAbsolute, posix, resolve } from 'node:path';
import { isWithin, resolveReal } from '../core/fs-identity.js';
import { checkLinkName, quoteName } from '../core/names.js';
import { describeUnsetVariable, expandPath, findUnsetVariable } from '../core/paths.js';
import { IMAGE_BASES, KNOWN_LLM_BASES, isKnownBase } from '../core/vocabulary.js';
import type { YamlProblem } from '../core/yaml.js';
import type { DeploymentSpec, MappingCondition, OverrideSpec, Selector, TargetSpec } from './manifest-types.js';
import { didYouMean } from '../core/suggest.js';
import { checkTemplate } from './template.js';
import { resolveListing } from './listing-resolve.js';
import { checkExtraPathsTarget } from './extra-paths.js';

/** A manifest document with the absolute path of its file and whether it passed the schema. */
export interface CheckedDoc {
  /** The file as problems name it. */
  file: string;
  absFile: string;
  value: Record<string, unknown>;
  /** Whether the schema accepted it. Checks here also run on rejected documents, as far as their shape allows. */
  valid: boolean;
  /** Where the node at a JSON pointer (or its nearest parent) starts in the file. */
  locate(pointer: string): { line: number; col: number };
}

export interface ResolveOptions {
  env: NodeJS.ProcessEnv;
  /** The hub's store (`<hub>/models`); no target may deploy inside it. */
  storeDir?: string | undefined;
  /** The hub folder; no root or mapped folder may resolve to it. */
  hubDir?: string | undefined;
  /** The manifests folder: no file ModelHub writes (extraModelPaths) may lie in it, where it would be read as a manifest. */
  manifestsDir?: string | undefined;
  /** Names of every Target document, including those that failed the schema (no cascading "unknown target"). */
  targetNames: Set<string>;
  /** Bases declared by the user's classification rule files (config `rules`), valid beside the built-in ones. */
  extraBases?: ReadonlySet<string> | undefined;
}

const SELECTOR_KEYS = ['type', 'base', 'variant', 'format', 'name', 'hash', 'tag'] as const;

/**
 * Turn schema-valid documents into specs (paths expanded, defaults filled in) and check what a
 * schema cannot: duplicate names, references, folders escaping their root, templates, bases.
 * The checks also run on documents the schema rejected, wherever the value they look at has
 * the right shape, so one run reports everything. Specs of documents with problems are left out.
 */
export function resolveManifestDocs(docs: CheckedDoc[], opts: ResolveOptions): { targets: TargetSpec[]; deployments: DeploymentSpec[]; overrides: OverrideSpec[]; problems: YamlProblem[] } {
  const problems: YamlProblem[] = [];
  const targets: TargetSpec[] = [];
  const deployments: DeploymentSpec[] = [];
  const overrides: OverrideSpec[] = [];
  const firstSeen = new Map<string, CheckedDoc>();
  /** Every resolved spec, with or without problems, for the cross-document checks. */
  const allTargets: TargetSpec[] = [];
  const allDeployments: DeploymentSpec[] = [];
  for (const d of docs) {
    const report = (pointer: string, message: string): void => {
      const pos = d.locate(pointer);
      problems.push({ file: d.file, line: pos.line, col: pos.col, message });
    };
    const kind = String(d.value.kind);
    const name = typeof d.value.name === 'string' ? d.value.name : undefined;
    if (name !== undefined) {
      const key = `${kind}:${name}`;
      const first = firstSeen.get(key);
      if (first !== undefined) report('/name', `duplicate ${kind} name "${name}" (first defined at ${first.file}:${first.locate('/name').line})`);
      else firstSeen.set(key, d);
    }
    const before = problems.length;
    if (kind === 'Target') {
      const t = resolveTarget(d, opts, report);
      allTargets.push(t);
      if (d.valid && problems.length === before) targets.push(t);
    } else if (kind === 'Deployment') {
      const dep = resolveDeployment(d, opts, report);
      allDeployments.push(dep);
      if (d.valid && problems.length === before) deployments.push(dep);
    } else if (kind === 'Override') {
      const o = resolveOverride(d, report, opts.extraBases);
      if (d.valid && problems.length === before) overrides.push(o);
    }
  }
  problems.push(...checkTypesReachTargets(docs, allDeployments, allTargets));
  problems.push(...checkExtraPathsUnique(allTargets));
  return { targets, deployments, overrides, problems };
}

type Report = (pointer: string, message: string) => void;

function resolveTarget(d: CheckedDoc, opts: ResolveOptions, report: Report): TargetSpec {
  const v = d.value;
  const rootAsWritten = typeof v.root === 'string' ? v.root : '';
  const unset = findUnsetVariable(rootAsWritten, opts.env);
  if (unset !== undefined) report('/root', `root: ${describeUnsetVariable(rootAsWritten, unset)}`);
  // Without a root (none written, or a variable missing) there is no place to judge.
  const known = rootAsWritten !== '' && unset === undefined;
  const root = unset === undefined ? expandPath(rootAsWritten, dirname(d.absFile), opts.env) : rootAsWritten;
  const rootProblem = known ? forbiddenPlace(root, opts) : undefined;
  if (rootProblem !== undefined) report('/root', `root ${root} ${rootProblem}; deploy into application folders only`);
  const mappings: Record<string, string> = {};
  const conditions: Record<string, MappingCondition> = {};
  for (const [type, mapping] of Object.entries(isRecord(v.mappings) ? v.mappings : {})) {
    const folder = typeof mapping === 'string' ? mapping : isRecord(mapping) && typeof mapping.folder === 'string' ? mapping.folder : undefined;
    if (folder === undefined) continue;
    const pointer = typeof mapping === 'string' ? `/mappings/${type}` : `/mappings/${type}/folder`;
    // A folder with a problem stays in the (then discarded) spec so cross-checks do not cascade.
    const rel = checkMappingFolder(`mappings.${type}`, folder, (message) => report(pointer, message));
    mappings[type] = rel ?? folder;
    const folderProblem = rel === undefined || !known || rel === '' ? undefined : forbiddenPlace(resolve(root, rel), opts);
    if (folderProblem !== undefined) report(pointer, `mappings.${type}: ${resolve(root, rel!)} ${folderProblem}`);
    if (isRecord(mapping)) {
      const cond = resolveMappingCondition(type, mapping, report, opts.extraBases);
      if (cond !== undefined) conditions[type] = cond;
    }
  }
  const spec: TargetSpec = {
    name: String(v.name),
    displayName: typeof v.displayName === 'string' ? v.displayName : String(v.name),
    rootAsWritten,
    root,
    enabled: v.enabled !== false,
    links: v.links === 'relative' ? 'relative' : 'absolute',
    mappings,
    ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
    paths: resolveTargetPaths(v.paths, mappings, report),
    source: { file: d.file, line: d.locate('').line },
  };
  if (isRecord(v.listing)) spec.listing = resolveListing(v.listing, (folder, say) => checkMappingFolder('listing', folder, say), report);
  if (typeof v.extraModelPaths === 'string') {
    const file = resolveExtraModelPaths(v.extraModelPaths, spec, { ...opts, baseDir: dirname(d.absFile) }, report);
    if (file !== undefined) spec.extraModelPaths = file;
  }
  return spec;
}

/**
 * A target's `extraModelPaths` expanded like its root, or undefined after reporting why not: an
 * unset variable, a place no deployment may write (the store, the hub itself), a path inside the
 * target's own root (where links go), or a target ComfyUI's file cannot describe.
 */
function resolveExtraModelPaths(written: string, t: TargetSpec, opts: ResolveOptions & { baseDir: string }, report: Report): string | undefined {
  const unset = findUnsetVariable(written, opts.env);
  if (unset !== undefined) {
    report('/extraModelPaths', `extraModelPaths: ${describeUnsetVariable(written, unset)}`);
    return undefined;
  }
  const file = expandPath(written, opts.baseDir, opts.env);
  const problems: Array<{ type?: string; message: string }> = [];
  const place = forbiddenPlace(file, opts);
  if (place !== undefined) problems.push({ message: `extraModelPaths: ${file} ${place}` });
  else if (t.root !== '' && isWithin(resolveReal(file), resolveReal(t.root))) problems.push({ message: `extraModelPaths: ${file} lies inside the target's root ${t.root}, where the links go; put it beside the root (or anywhere else)` });
  else if (opts.manifestsDir !== undefined && isWithin(resolveReal(file), resolveReal(opts.manifestsDir))) problems.push({ message: `extraModelPaths: ${file} lies inside the manifests folder ${opts.manifestsDir}, where it would be read as a manifest; put it beside ComfyUI` });
  problems.push(...checkExtraPathsTarget(t));
  for (const p of problems) report(p.type === undefined ? '/extraModelPaths' : `/mappings/${p.type}`, p.message);
  return problems.length === 0 ? file : undefined;
}

/** The `base` / `format` conditions of a mapping written as an object; unknown bases reported at their position. */
function resolveMappingCondition(type: string, mapping: Record<string, unknown>, report: Report, extraBases: ReadonlySet<string> | undefined): MappingCondition | undefined {
  const cond: MappingCondition = {};
  const listOf = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((x): x is string => typeof x === 'string');
  if (mapping.base !== undefined) {
    cond.base = listOf(mapping.base);
    cond.base.forEach((b, i) => {
      const pointer = Array.isArray(mapping.base) ? `/mappings/${type}/base/${i}` : `/mappings/${type}/base`;
      if (!knownBase(b, extraBases)) report(pointer, `mappings.${type}.base: unknown base "${b}"${didYouMean(b, [...IMAGE_BASES, ...KNOWN_LLM_BASES])}`);
    });
  }
  if (mapping.format !== undefined) cond.format = listOf(mapping.format).map((f) => f.toLowerCase());
  return cond.base === undefined && cond.format === undefined ? undefined : cond;
}

/** A target's per-type path templates: each a template checkTemplate accepts, for a type the target maps. */
function resolveTargetPaths(raw: unknown, mappings: Record<string, string>, report: Report): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [type, template] of Object.entries(isRecord(raw) ? raw : {})) {
    if (typeof template !== 'string') continue;
    const problem = checkTemplate(template);
    if (problem !== undefined) report(`/paths/${type}`, `paths.${type}: ${problem}`);
    else if (!(type in mappings)) report(`/paths/${type}`, `paths.${type}: the target maps no folder for ${type}; add one under mappings`);
    paths[type] = template;
  }
  return paths;
}

/**
 * Why links may not go into `path`, or undefined. Judged on the resolved path (the real path of
 * its longest existing part, the rest appended), so an alias symlink cannot smuggle a root into
 * the hub: `/` itself, the hub folder itself, and anything inside the store are refused. A folder
 * beside the store inside the hub, or one that holds the hub, is allowed.
 */
export function forbiddenPlace(path: string, opts: { storeDir?: string | undefined; hubDir?: string | undefined }): string | undefined {
  const real = resolveReal(path);
  const via = real === path ? '' : `resolves to ${real}, `;
  if (real === '/') return 'resolves to /';
  if (opts.hubDir !== undefined && real === resolveReal(opts.hubDir)) return real === path ? `is the hub ${opts.hubDir} itself` : `resolves to the hub ${opts.hubDir} itself`;
  if (opts.storeDir !== undefined && isWithin(real, resolveReal(opts.storeDir))) return `${via}${via === '' ? 'lies inside' : 'inside'} the hub's store ${opts.storeDir}`;
  return undefined;
}

/** A mapping folder normalized (posix, no trailing slash, '' for the root), or undefined after reporting why not. */
function checkMappingFolder(label: string, folder: string, report: (message: string) => void): string | undefined {
  if (isAbsolute(folder) || folder.startsWith('~') || /^[A-Za-z]:/.test(folder)) {
    report(`${label}: "${folder}" must be a folder relative to the root`);
    return undefined;
  }
  if (folder.includes('\\')) {
    report(`${label}: "${folder}" must use / between folders`);
    return undefined;
  }
  if (folder.split('/').includes('..')) {
    report(`${label}: "${folder}" escapes the target root (..); to reach a folder beside models/, make root the application folder`);
    return undefined;
  }
  const normalized = posix.normalize(folder).replace(/\/+$/, '');
  return normalized === '.' ? '' : normalized;
}

function resolveDeployment(d: CheckedDoc, opts: ResolveOptions, report: Report): DeploymentSpec {
  const v = d.value;
  let targets: string[] = [];
  let pointers: string[] = [];
  if (v.target !== undefined && v.targets !== undefined) report('/targets', 'give either target or targets, not both');
  else if (typeof v.target === 'string') [targets, pointers] = [[v.target], ['/target']];
  else if (Array.isArray(v.targets)) [targets, pointers] = [v.targets.filter((t): t is string => typeof t === 'string'), v.targets.map((_, i) => `/targets/${i}`)];
  else if (v.target === undefined && v.targets === undefined) report('', 'missing required key "target" (or "targets")');
  targets.forEach((t, i) => {
    if (!opts.targetNames.has(t)) report(pointers[i] ?? '', `unknown target "${t}"${didYouMean(t, opts.targetNames)}${opts.targetNames.size === 0 ? ' (no Target documents found)' : ''}`);
  });
  const template = typeof v.path === 'string' ? v.path : null;
  const templateProblem = template === null ? undefined : checkTemplate(template);
  if (templateProblem !== undefined) report('/path', templateProblem);
  const select = resolveSelector(isRecord(v.select) ? v.select : {}, '/select', report, opts.extraBases);
  const exclude = isRecord(v.exclude) ? resolveSelector(v.exclude, '/exclude', report, opts.extraBases) : null;
  if (isRecord(v.exclude) && v.exclude.unsafe !== undefined) report('/exclude/unsafe', 'exclude.unsafe: unsafe models are left out unless select says `unsafe: true`; remove this key');
  return { name: String(v.name), targets, select, exclude, path: template, enabled: v.enabled !== false, source: { file: d.file, line: d.locate('').line } };
}

function resolveSelector(raw: Record<string, unknown>, pointer: string, report: Report, extraBases: ReadonlySet<string> | undefined): Selector {
  const out: Selector = {};
  for (const key of SELECTOR_KEYS) {
    const value = raw[key];
    if (value === undefined) continue;
    const list = (Array.isArray(value) ? value : [value]).filter((x): x is string => typeof x === 'string');
    if (key === 'base') {
      list.forEach((b, i) => {
        if (!knownBase(b, extraBases)) report(Array.isArray(value) ? `${pointer}/base/${i}` : `${pointer}/base`, `${pointer.slice(1)}.base: unknown base "${b}"${didYouMean(b, [...IMAGE_BASES, ...KNOWN_LLM_BASES])}`);
      });
    }
    out[key] = key === 'hash' || key === 'format' ? list.map((s) => s.toLowerCase()) : list;
  }
  if (typeof raw.unsafe === 'boolean') out.unsafe = raw.unsafe;
  return out;
}

function resolveOverride(d: CheckedDoc, report: Report, extraBases: ReadonlySet<string> | undefined): OverrideSpec {
  const v = d.value;
  const set = (isRecord(v.set) ? v.set : {}) as OverrideSpec['set'];
  const match = (isRecord(v.match) ? v.match : {}) as OverrideSpec['match'];
  if (typeof set.base === 'string' && !knownBase(set.base, extraBases)) report('/set/base', `set.base: unknown base "${set.base}"${didYouMean(set.base, [...IMAGE_BASES, ...KNOWN_LLM_BASES])}`);
  const nameProblem = typeof set.name === 'string' ? checkLinkName(set.name) : undefined;
  if (nameProblem !== undefined) report('/set/name', `set.name: ${quoteName(set.name!)} ${nameProblem}`);
  const line = d.locate('').line;
  const label = typeof v.name === 'string' ? v.name : `${d.file}:${line}`;
  return { label, match: { ...match, ...(typeof match.hash === 'string' ? { hash: match.hash.toLowerCase() } : {}) }, set: { ...set }, source: { file: d.file, line } };
}

/** A deployment selecting a type that none of its targets maps would silently deploy nothing. */
function checkTypesReachTargets(docs: CheckedDoc[], deployments: DeploymentSpec[], targets: TargetSpec[]): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const byName = new Map(targets.map((t) => [t.name, t]));
  const docOf = new Map<string, CheckedDoc>();
  for (const x of docs) {
    const key = `${x.file}\n${String(x.value.name)}`;
    if (x.value.kind === 'Deployment' && !docOf.has(key)) docOf.set(key, x);
  }
  for (const dep of deployments) {
    const types = dep.select.type;
    const resolved = dep.targets.map((t) => byName.get(t));
    if (types === undefined || resolved.some((t) => t === undefined)) continue;
    const d = docOf.get(`${dep.source.file}\n${dep.name}`);
    types.forEach((type, i) => {
      if (resolved.some((t) => t !== undefined && type in t.mappings)) return;
      const pointer = dep.select.type!.length > 1 || Array.isArray((d?.value.select as Record<string, unknown> | undefined)?.type) ? `/select/type/${i}` : '/select/type';
      const pos = d === undefined ? { line: dep.source.line, col: 1 } : d.locate(pointer);
      problems.push({ file: dep.source.file, line: pos.line, col: pos.col, message: `select.type: "${type}" has no mapping in target${dep.targets.length > 1 ? 's' : ''} ${dep.targets.join(', ')}; add one under mappings` });
    });
  }
  return problems;
}

/** Two targets writing one extraModelPaths file would overwrite each other's section. */
function checkExtraPathsUnique(targets: TargetSpec[]): YamlProblem[] {
  const first = new Map<string, TargetSpec>();
  const problems: YamlProblem[] = [];
  for (const t of targets) {
    if (t.extraModelPaths === undefined) continue;
    const seen = first.get(t.extraModelPaths);
    if (seen === undefined) first.set(t.extraModelPaths, t);
    else problems.push({ file: t.source.file, line: t.source.line, col: 1, message: `extraModelPaths: ${t.extraModelPaths} is also the file of target ${seen.name} (${seen.source.file}:${seen.source.line}); give each target its own file (ComfyUI takes several --extra-model-paths-config)` });
  }
  return problems;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function knownBase(base: string, extra: ReadonlySet<string> | undefined): boolean {
  return isKnownBase(base) || (extra?.has(base) ?? false);
}
