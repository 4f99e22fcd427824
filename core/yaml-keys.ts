import type { Document } from 'yaml';
import { yamlLibrary } from './yaml-lib.js';
import type { OffsetProblem } from './yaml-limits.js';

/**
 * Every key of a composed document that repeats an earlier key of the same map, compared as
 * the YAML library does (scalars by value, other keys by identity) but with one set per map,
 * so the cost is linear: the library's own check compares each key with all before it.
 * Aliases are not followed; `lineOf` turns an offset into the line the message names.
 */
export function findDuplicateKeys(doc: Document.Parsed, lineOf: (offset: number) => number): OffsetProblem[] {
  const { isMap, isPair, isScalar, isSeq } = yamlLibrary();
  const problems: OffsetProblem[] = [];
  const walk = (node: unknown): void => {
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    } else if (isMap(node)) {
      const seen = new Map<unknown, number>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && key.range) {
          const first = seen.get(key.value);
          if (first === undefined) seen.set(key.value, key.range[0]);
          else problems.push({ offset: key.range[0], message: `duplicate key ${JSON.stringify(String(key.value))} (first at line ${lineOf(first)}); the keys of a map must be unique` });
        }
        walk(pair);
      }
    }
  };
  walk(doc.contents);
  return problems;
}
