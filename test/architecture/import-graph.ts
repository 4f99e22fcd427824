/**
 * The import graph of ModelHub's own sources, read from the files as text: every static
 * `import … from`, `export … from` and dynamic `import('…')` of a relative module, type-only
 * imports included (a type-only ring is still a ring a reader has to untangle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const SOURCE_FOLDERS = ['cmd', 'tui', 'web', 'reconcile', 'store', 'classify', 'formats', 'core'] as const;
export type Layer = (typeof SOURCE_FOLDERS)[number];

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Module → the modules it imports (paths relative to the package root, with extension). */
export function readImportGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of SOURCE_FOLDERS) {
    for (const file of listSources(join(root, folder))) {
      const text = readFileSync(file, 'utf8');
      const deps = new Set<string>();
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2];
        if (spec === undefined || !spec.startsWith('.')) continue;
        deps.add(relative(root, toSource(resolve(dirname(file), spec))));
      }
      graph.set(relative(root, file), [...deps].sort());
    }
  }
  return graph;
}

/** The layer (top folder) a module belongs to. */
export function layerOf(module: string): string {
  return module.split('/')[0] ?? '';
}

/** Every elementary cycle's first occurrence, found by depth-first search (each as a list of modules). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function listSources(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'rules') out.push(...listSources(p));
    else if (/\.(ts|tsx|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** `./x.js` in source means `./x.ts` (or .tsx); `.mjs` stays. */
function toSource(path: string): string {
  if (path.endsWith('.mjs')) return path;
  const base = path.replace(/\.(js|ts|tsx)$/, '');
  for (const ext of ['.ts', '.tsx']) {
    try {
      readFileSync(base + ext);
      return base + ext;
    } catch {
      // try the next extension
    }
  }
  return path;
}
