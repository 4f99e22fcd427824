import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { formatProblems, locate, parseYamlDocuments, type YamlProblem } from '../core/yaml.js';
import { YamlParseCache } from '../core/yaml-cache.js';
import { readYamlFile } from '../core/yaml-read.js';
import type { Manifests } from './manifest-types.js';
import { resolveManifestDocs, type CheckedDoc } from './manifest-resolve.js';
import { manifestValidator, validateManifestDoc } from './manifest-schema.js';

export interface LoadManifestsOptions {
  env?: NodeJS.ProcessEnv;
  /** Problems name files relative to this folder when they lie inside it. */
  cwd?: string;
  /** The hub's store folder; a target deploying inside it is a problem. */
  storeDir?: string;
  /** The hub folder; a root or mapped folder resolving to it is a problem. */
  hubDir?: string;
  /** Bases declared by the user's classification rule files, valid beside the built-in ones. */
  extraBases?: ReadonlySet<string>;
  /** Where parsed manifest texts are cached (see YamlParseCache); none: every file is parsed. */
  cacheFile?: string;
}

/**
 * Read every `*.yaml`/`*.yml` below `dir` (any depth, sorted, dot-folders skipped), validate each
 * document against schemas/manifest.schema.json and check references across documents. Each
 * file is held to the YAML limits (core/yaml-limits.ts); a file past one is a problem.
 * Every problem in every file is collected first; then, if there are any, ONE
 * ERR_MODELHUB_MANIFESTS_INVALID is thrown whose message lists them as `file:line:col: message`
 * (grouped by file) and whose `details` is the problem list. An empty folder is valid.
 *
 * With `cacheFile`, a file whose exact text was parsed before is not parsed again (see
 * YamlParseCache); its documents are still validated and checked like any other. Should one of
 * them have a problem, everything is read again without the cache, so every problem is positioned
 * by a real parse.
 */
export function loadManifests(dir: string, opts: LoadManifestsOptions = {}): Manifests {
  assertFolder(dir);
  const files = findManifestFiles(dir);
  const cache = opts.cacheFile === undefined ? undefined : YamlParseCache.open(opts.cacheFile);
  let read = readManifestFiles(dir, files, opts, cache);
  if (read.problems.length > 0 && read.fromCache) read = readManifestFiles(dir, files, opts, undefined);
  cache?.save();
  const { problems, manifests } = read;
  if (problems.length > 0) {
    const cwd = opts.cwd ?? process.cwd();
    const order = new Map(files.map((f) => [displayPath(f, cwd), files.indexOf(f)]));
    problems.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.col - b.col);
    throw manifestsInvalid(problems);
  }
  return manifests;
}

/** Parse (or take from `cache`), validate and resolve `files`; `fromCache`: some document came from the cache. */
function readManifestFiles(dir: string, files: string[], opts: LoadManifestsOptions, cache: YamlParseCache | undefined): { manifests: Manifests; problems: YamlProblem[]; fromCache: boolean } {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const problems: YamlProblem[] = [];
  const checked: CheckedDoc[] = [];
  const targetNames = new Set<string>();
  let fromCache = false;
  const take = (doc: CheckedDoc, found: YamlProblem[]): void => {
    const value = doc.value as unknown;
    if (value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'Target' && typeof (value as { name?: unknown }).name === 'string') targetNames.add((value as { name: string }).name);
    problems.push(...found);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) checked.push(doc);
  };
  for (const absFile of files) {
    const shown = displayPath(absFile, cwd);
    const read = readYamlFile(absFile, shown);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    const hit = cache?.get(read.text);
    if (hit !== undefined) {
      fromCache = true;
      for (const c of hit) {
        // A cached document has only its first line: a schema problem sends the caller to a real parse.
        const valid = manifestValidator()(c.value);
        const found = valid ? [] : [{ file: shown, line: c.line, col: 1, message: 'does not match the manifest schema' }];
        take({ file: shown, absFile, value: c.value as Record<string, unknown>, valid, locate: () => ({ line: c.line, col: 1 }) }, found);
      }
      continue;
    }
    const parsed = parseYamlDocuments(read.text, shown);
    problems.push(...parsed.problems);
    if (parsed.problems.length === 0) cache?.put(read.text, parsed.docs.map((doc) => ({ value: doc.value, line: locate(doc, '').line })));
    for (const doc of parsed.docs) {
      const found = validateManifestDoc(doc);
      take({ file: shown, absFile, value: doc.value as Record<string, unknown>, valid: found.length === 0, locate: (pointer) => locate(doc, pointer) }, found);
    }
  }
  const resolved = resolveManifestDocs(checked, { env, storeDir: opts.storeDir, hubDir: opts.hubDir, manifestsDir: dir, targetNames, extraBases: opts.extraBases });
  problems.push(...resolved.problems);
  return { manifests: { dir, files, targets: resolved.targets, deployments: resolved.deployments, overrides: resolved.overrides }, problems, fromCache };
}

/** The one error for invalid manifests (also used by `validate --json`). */
export function manifestsInvalid(problems: YamlProblem[]): ModelHubError {
  const files = new Set(problems.map((p) => p.file)).size;
  return new ModelHubError(
    'MANIFESTS_INVALID',
    `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} manifest file${files === 1 ? '' : 's'}:\n${formatProblems(problems)}`,
    { hint: 'fix the manifests above; `modelhub validate` checks them without touching anything', details: problems },
  );
}

function assertFolder(dir: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    throw new ModelHubError('MANIFESTS_NOT_FOUND', `no manifests folder at ${dir}`, {
      path: dir,
      hint: '`modelhub init` creates one with the default targets, or pass --manifests DIR (or set MODELHUB_MANIFESTS)',
    });
  }
  if (!isDir) {
    throw new ModelHubError('MANIFESTS_NOT_FOUND', `manifests path ${dir} is not a folder`, { path: dir, hint: 'pass --manifests DIR (or set MODELHUB_MANIFESTS) to a folder of *.yaml files' });
  }
}

/** A file name as problems show it: relative to the working folder when inside it. */
function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * Every `*.yaml`/`*.yml` file below `dir` (absolute paths, sorted): any depth, symlinks followed
 * (a folder reached twice is walked once), names starting with a dot and node_modules folders
 * skipped. A walk of its own: every `plan` lists the manifests, and a glob library costs more to
 * load than the walk takes.
 */
export function findManifestFiles(dir: string): string[] {
  const files: string[] = [];
  const walked = new Set<string>();
  const walk = (folder: string): void => {
    const st = statSync(folder);
    const id = `${st.dev}:${st.ino}`;
    if (walked.has(id)) return;
    walked.add(id);
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const followed = entry.isSymbolicLink() ? statSync(path, { throwIfNoEntry: false }) : entry;
      if (followed === undefined) continue; // a broken symlink is no manifest
      if (followed.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (followed.isFile() && /\.ya?ml$/.test(entry.name)) files.push(path);
    }
  };
  walk(dir);
  return files.sort();
}
