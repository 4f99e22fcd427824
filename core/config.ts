import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { schemaValidator } from './ajv.js';
import { ModelHubError, errnoCode } from './errors.js';
import { describeUnsetVariable, expandPath, findUnsetVariable, packageRoot } from './paths.js';
import { formatProblems, locate, parseYamlDocuments, validateDoc, type YamlDoc, type YamlProblem } from './yaml.js';
import { readYamlFile } from './yaml-read.js';

/** The keys of a config file, as written in YAML (see the top-level config.yaml). */
export interface ConfigValues {
  hub: string;
  manifests: string | null;
  page_size: number;
  symlinks: boolean;
  scan: { settle_seconds: number };
  confidence_threshold: number;
  weights: Record<'tensors' | 'civitai' | 'metadata' | 'sidecar' | 'filename' | 'size', number>;
  rules: string[];
  external_apis: {
    civitai: { enabled: boolean; base_url: string; timeout_seconds: number; requests_per_second: number; cache_days: number; not_found_cache_days: number };
  };
}

/** The configuration every command runs with: paths absolute, every source merged. */
export interface Config extends ConfigValues {
  hub: string;
  manifests: string;
  /** The user config file that was read, if any. */
  configFile: string | null;
}

/** What the command line said; undefined means "not given". */
export interface ConfigFlags {
  hub?: string | undefined;
  config?: string | undefined;
  manifests?: string | undefined;
}

export interface LoadConfigOptions {
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Merge defaults (config.yaml shipped with ModelHub), the user's config file, environment and
 * flags, in rising precedence. A user config file is validated against
 * schemas/config.schema.json; every problem is reported as `file:line:col` in one error.
 */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const flags = opts.flags ?? {};
  const defaultsFile = join(packageRoot(), 'config.yaml');
  const defaults = readDefaults(defaultsFile) as unknown as ConfigValues;
  let merged = resolvePaths(defaults as unknown as Record<string, unknown>, dirname(defaultsFile), env) as unknown as ConfigValues;

  const userFile = findUserConfig(flags, env, cwd);
  if (userFile !== null) {
    const user = readConfigFile(userFile, { env });
    merged = deepMerge(merged, resolvePaths(user, dirname(userFile), env)) as ConfigValues;
  }
  const hub = pick(flags.hub, env.MODELHUB_HUB, cwd, env) ?? merged.hub;
  const manifests = pick(flags.manifests, env.MODELHUB_MANIFESTS, cwd, env) ?? merged.manifests ?? join(hub, 'manifests');
  const civitaiUrl = env.MODELHUB_CIVITAI_URL;
  if (civitaiUrl !== undefined && civitaiUrl !== '') merged.external_apis.civitai.base_url = civitaiUrl;
  return { ...merged, hub, manifests, configFile: userFile };
}

/**
 * The shipped defaults (config.yaml). `npm run build` writes them as JSON stamped with the
 * SHA-256 of config.yaml's text (dist/config-defaults.json); that copy is used while the stamp
 * matches the file as it is now, so a command without a user config file loads no YAML parser.
 * They are checked against the schema by the test suite, not on every run.
 */
export function readDefaults(file: string, compiledDir = compiledDefaultsDir()): Record<string, unknown> {
  const stamp = createHash('sha256').update(readFileSync(file)).digest('hex');
  try {
    const compiled = JSON.parse(readFileSync(join(compiledDir, COMPILED_DEFAULTS), 'utf8')) as { stamp?: unknown; values?: unknown };
    if (compiled.stamp === stamp && isPlainObject(compiled.values)) return compiled.values;
  } catch {
    // not built, or unreadable: parse the YAML instead
  }
  return readConfigFile(file, { validate: false });
}

const COMPILED_DEFAULTS = 'config-defaults.json';

function compiledDefaultsDir(): string {
  return join(packageRoot(), 'dist');
}

/** Write the shipped defaults as stamped JSON for readDefaults (run by `npm run build`). */
export function writeCompiledDefaults(dir = compiledDefaultsDir()): string {
  const file = join(packageRoot(), 'config.yaml');
  const stamp = createHash('sha256').update(readFileSync(file)).digest('hex');
  const out = join(dir, COMPILED_DEFAULTS);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${out}.tmp`, `${JSON.stringify({ stamp, values: readConfigFile(file, { validate: false }) }, null, 2)}\n`);
  renameSync(`${out}.tmp`, out);
  return out;
}

function pick(flag: string | undefined, envValue: string | undefined, cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const raw = flag ?? (envValue === '' ? undefined : envValue);
  return raw === undefined ? undefined : expandPath(raw, cwd, env);
}

function findUserConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv, cwd: string): string | null {
  const explicit = flags.config ?? (env.MODELHUB_CONFIG === '' ? undefined : env.MODELHUB_CONFIG);
  if (explicit !== undefined) {
    const file = expandPath(explicit, cwd, env);
    if (!existsSync(file)) {
      throw new ModelHubError('CONFIG_NOT_FOUND', `config file ${file} does not exist`, {
        path: file,
        hint: flags.config !== undefined ? 'check the --config path' : 'check MODELHUB_CONFIG, or unset it to use the defaults',
      });
    }
    return file;
  }
  const xdg = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : expandPath('~/.config', cwd, env);
  const implicit = join(xdg, 'modelhub', 'config.yaml');
  return existsSync(implicit) ? implicit : null;
}

/**
 * Read and validate one config file; an empty file is an empty config. With `env`, a path
 * naming an unset variable is a problem at its position too.
 */
export function readConfigFile(file: string, opts: { validate?: boolean; env?: NodeJS.ProcessEnv } = {}): Record<string, unknown> {
  let read: ReturnType<typeof readYamlFile>;
  try {
    read = readYamlFile(file);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EISDIR') throw new ModelHubError('CONFIG_INVALID', `config file ${file} is a directory`, { path: file });
    if (code === 'EACCES') throw new ModelHubError('CONFIG_INVALID', `config file ${file} is not readable (permission denied)`, { path: file });
    throw err;
  }
  const { docs, problems } = 'problem' in read ? { docs: [], problems: [read.problem] } : parseYamlDocuments(read.text, file);
  const all: YamlProblem[] = [...problems];
  if (docs.length > 1) all.push({ file, line: 1, col: 1, message: 'a config file holds one YAML document, found several' });
  const doc = docs[0];
  if (doc !== undefined && opts.validate !== false) all.push(...validateDoc(configValidator(), doc));
  if (doc !== undefined && opts.env !== undefined) all.push(...unsetVariableProblems(doc, opts.env));
  if (all.length > 0) {
    throw new ModelHubError('CONFIG_INVALID', `invalid config file ${file}:\n${formatProblems(all)}`, {
      path: file,
      hint: 'see config.yaml in the ModelHub package for every key and its default',
      details: all,
    });
  }
  return (doc?.value ?? {}) as Record<string, unknown>;
}

function configValidator() {
  return schemaValidator('config');
}

/** The config's paths (hub, manifests, rules) that name a variable the environment leaves unset. */
function unsetVariableProblems(doc: YamlDoc, env: NodeJS.ProcessEnv): YamlProblem[] {
  if (!isPlainObject(doc.value)) return [];
  const v = doc.value;
  const paths: Array<[string, string, unknown]> = [
    ['/hub', 'hub', v.hub],
    ['/manifests', 'manifests', v.manifests],
    ...(Array.isArray(v.rules) ? v.rules.map((r, i): [string, string, unknown] => [`/rules/${i}`, `rules[${i}]`, r]) : []),
  ];
  const problems: YamlProblem[] = [];
  for (const [pointer, key, value] of paths) {
    const unset = typeof value === 'string' ? findUnsetVariable(value, env) : undefined;
    if (unset === undefined) continue;
    problems.push({ file: doc.file, ...locate(doc, pointer), message: `${key}: ${describeUnsetVariable(value as string, unset)}` });
  }
  return problems;
}

function resolvePaths<T extends Record<string, unknown>>(values: T, base: string, env: NodeJS.ProcessEnv): T {
  const out: Record<string, unknown> = { ...values };
  for (const key of ['hub', 'manifests'] as const) {
    const v = out[key];
    if (typeof v === 'string') out[key] = expandPath(v, base, env);
  }
  if (Array.isArray(out.rules)) out.rules = (out.rules as string[]).map((r) => expandPath(r, base, env));
  return out as T;
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
