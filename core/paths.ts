import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelHubError } from './errors.js';

let cachedRoot: string | undefined;

/**
 * The directory holding ModelHub's package.json, whether the code runs from its TypeScript
 * sources (tests) or from the compiled `dist/` tree: data files (config.yaml, schemas/,
 * manifests/, classify/rules/) are resolved from here, never copied into dist/.
 */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && readPackageName(pkg) === 'modelhub') return (cachedRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ModelHub's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function readPackageName(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** `${VAR}`, `${VAR:-default}` or `$VAR`. */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** A variable a path names that the environment leaves unset (or empty), with no default. */
export interface UnsetVariable {
  name: string;
  /** Set, but to the empty string. */
  empty: boolean;
}

/**
 * The first variable in `input` that `env` leaves unset or empty and that has no `:-default`,
 * or undefined when every variable expands.
 */
export function findUnsetVariable(input: string, env: NodeJS.ProcessEnv = process.env): UnsetVariable | undefined {
  for (const m of input.matchAll(VARIABLE)) {
    const name = (m[1] ?? m[3])!;
    const hasDefault = m[2] !== undefined;
    const value = env[name];
    if (!hasDefault && (value === undefined || value === '')) return { name, empty: value === '' };
  }
  return undefined;
}

/** The message for an unset variable: names it, the path it is in, and both ways out. */
export function describeUnsetVariable(input: string, unset: UnsetVariable): string {
  const state = unset.empty ? 'is empty' : 'is not set';
  return `environment variable ${unset.name} ${state} (in ${JSON.stringify(input)}); set it, or give a default: \${${unset.name}:-/some/path}`;
}

/**
 * Expand `~`, `$VAR`, `${VAR}` and `${VAR:-default}` (the default, taken literally, when VAR is
 * unset or empty) in a user-written path, then make it absolute against `base`. A variable that
 * is unset or empty with no default throws ERR_MODELHUB_PATH_VARIABLE_UNSET naming it, because a
 * path that silently lost a part points somewhere else (`${COMFY_ROOT}/models` is not `/models`).
 * Callers that know where the path was written check findUnsetVariable first and report there.
 */
export function expandPath(input: string, base: string, env: NodeJS.ProcessEnv = process.env): string {
  const unset = findUnsetVariable(input, env);
  if (unset !== undefined) {
    throw new ModelHubError('PATH_VARIABLE_UNSET', describeUnsetVariable(input, unset), { hint: `export ${unset.name}=..., or write \${${unset.name}:-DEFAULT} in the path` });
  }
  let out = input.replace(VARIABLE, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const value = env[braced ?? bare ?? ''];
    return value === undefined || value === '' ? (fallback ?? '') : value;
  });
  if (out === '~' || out.startsWith('~/')) out = join(env.HOME ?? homedir(), out.slice(1));
  return isAbsolute(out) ? resolve(out) : resolve(base, out);
}
