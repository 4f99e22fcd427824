import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * Expand `~`, `$VAR` and `${VAR}` in a user-written path, then make it absolute against `base`.
 * An unset variable expands to the empty string, as in a shell.
 */
export function expandPath(input: string, base: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = input.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a: string | undefined, b: string | undefined) => env[a ?? b ?? ''] ?? '');
  if (out === '~' || out.startsWith('~/')) out = join(env.HOME ?? homedir(), out.slice(1));
  return isAbsolute(out) ? resolve(out) : resolve(base, out);
}
