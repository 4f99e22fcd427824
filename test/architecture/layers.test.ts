/**
 * The layers of ../shared/DESIGN.md stay true: no arrow against them, no import cycle of any
 * kind (runtime or type-only, inside a folder too). Read from the sources, so it fails the
 * moment a change breaks a rule.
 */
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { findCycles, layerOf, readImportGraph } from './import-graph.js';

/** Who may import whom ("may use"): everything may use core/, and a layer itself. */
const ALLOWED: Record<string, string[]> = {
  // `modelhub tui` (cmd/tui.ts) starts the terminal UI; tui/ never imports cmd/.
  cmd: ['tui', 'reconcile', 'store', 'classify', 'formats', 'core'],
  tui: ['reconcile', 'store', 'classify', 'formats', 'core'],
  web: ['reconcile', 'store', 'classify', 'formats', 'core'],
  reconcile: ['store', 'classify', 'formats', 'core'],
  store: ['classify', 'formats', 'core'],
  classify: ['formats', 'core'],
  formats: ['core'],
  core: [],
};

const graph = readImportGraph(packageRoot());

describe('the import graph', () => {
  it('reads the sources', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('cmd/main.ts')).toBeDefined();
  });

  it('has no arrow against the layers', () => {
    const wrong: string[] = [];
    for (const [from, deps] of graph) {
      const layer = layerOf(from);
      for (const to of deps) {
        const target = layerOf(to);
        if (target !== layer && !(ALLOWED[layer] ?? []).includes(target)) wrong.push(`${from} → ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps classify/ pure of the inventory: no module of it opens or queries a database', () => {
    expect([...graph].filter(([from, deps]) => layerOf(from) === 'classify' && deps.includes('core/db.ts')).map(([from]) => from)).toEqual([]);
  });

  it('has no import cycle, runtime or type-only', () => {
    expect(findCycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });
});
