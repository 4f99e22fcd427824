import type { CST, Document, Node } from 'yaml';
import { yamlLibrary } from './yaml-lib.js';

/**
 * What one YAML file may cost. Every YAML file ModelHub reads (manifests, config, rule files)
 * is held to these, each checked before the work it bounds: the size before reading, the
 * document count while parsing, the depth before a document is composed, the aliases before
 * a document becomes a JavaScript value. Hand-written files stay far below them.
 */
export interface YamlLimits {
  /** Bytes in one file. */
  maxBytes: number;
  /** Documents (`---`) in one file. */
  maxDocuments: number;
  /** Nested maps and lists in one document. */
  maxDepth: number;
  /** Alias uses (`*name`) in one file. */
  maxAliases: number;
  /** Values the aliases of one file copy, counted after expansion (what an alias bomb inflates). */
  maxAliasedValues: number;
}

export const YAML_LIMITS: Readonly<YamlLimits> = {
  maxBytes: 4 * 1024 * 1024,
  maxDocuments: 10_000,
  maxDepth: 64,
  maxAliases: 1_000,
  maxAliasedValues: 100_000,
};

/** A problem at an offset of the text, before line and column are known. */
export interface OffsetProblem {
  offset: number;
  message: string;
}

/**
 * The first collection (in document order) of a parsed, not yet composed, document nested
 * deeper than `maxDepth`, or undefined. The walk is iterative: the composer recurses once per
 * level, so a document must be measured before it is composed.
 */
export function findTooDeep(doc: CST.Document, maxDepth: number): OffsetProblem | undefined {
  const stack: Array<{ token: CST.Token | null | undefined; depth: number }> = [{ token: doc.value, depth: 0 }];
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (token === null || token === undefined || !('items' in token)) continue;
    if (depth + 1 > maxDepth) return { offset: token.offset, message: tooDeep(maxDepth) };
    for (let i = token.items.length - 1; i >= 0; i--) {
      const item = token.items[i]!;
      stack.push({ token: item.value, depth: depth + 1 });
      if ('key' in item) stack.push({ token: item.key, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * While parsing: when the parser holds more than twice `maxDepth` open collections, the
 * collection that crossed `maxDepth`. The parser's cost grows with the nesting it holds, so a
 * file nested far too deep is stopped here, before it is parsed to the end.
 */
export function openedFarTooDeep(parserStack: readonly CST.Token[], maxDepth: number): OffsetProblem | undefined {
  if (parserStack.length <= 2 * maxDepth) return undefined;
  const open = parserStack.filter((t) => 'items' in t);
  return open.length > 2 * maxDepth ? { offset: open[maxDepth]!.offset, message: tooDeep(maxDepth) } : undefined;
}

function tooDeep(maxDepth: number): string {
  return `nested deeper than ${maxDepth} levels (limit ${maxDepth}); flatten the maps and lists`;
}

/** Alias bookkeeping across the documents of one file. */
export interface AliasBudget {
  aliases: number;
  values: number;
  /** Anchors of earlier documents, to say why an alias does not reach them. */
  earlierAnchors: Set<string>;
}

export function newAliasBudget(): AliasBudget {
  return { aliases: 0, values: 0, earlierAnchors: new Set() };
}

/**
 * Check every alias of a composed document: it must name an anchor set before it in the same
 * document, must not sit inside the node it names, and the file's aliases must stay within the
 * limits (counted after expansion, so an alias bomb is refused before anything expands it).
 * Returns the first problem; the document is then unusable.
 */
export function checkAliases(doc: Document.Parsed, budget: AliasBudget, limits: Pick<YamlLimits, 'maxAliases' | 'maxAliasedValues'>): OffsetProblem | undefined {
  const { isAlias, isMap, isPair, isSeq } = yamlLibrary();
  const anchors = new Map<string, Node>();
  const size = new Map<Node, number>();
  const open = new Set<Node>();
  let problem: OffsetProblem | undefined;
  /** The number of values `node` stands for once its aliases are expanded. */
  const walk = (node: unknown): number => {
    if (problem !== undefined || node === null || typeof node !== 'object') return 0;
    if (isPair(node)) return walk(node.key) + walk(node.value);
    if (isAlias(node)) return aliasSize(node);
    const n = node as Node;
    if (n.anchor !== undefined) anchors.set(n.anchor, n);
    let total = 1;
    if (isMap(n) || isSeq(n)) {
      open.add(n);
      for (const item of n.items) total += walk(item);
      open.delete(n);
    }
    size.set(n, total);
    return total;
  };
  const aliasSize = (alias: { source: string; range?: [number, number, number] | null }): number => {
    const offset = alias.range?.[0] ?? 0;
    const target = anchors.get(alias.source);
    const name = `*${alias.source}`;
    if (target === undefined) {
      problem = budget.earlierAnchors.has(alias.source)
        ? { offset, message: `alias ${name} names an anchor of an earlier document; anchors do not reach across ---, repeat the value or use one document` }
        : { offset, message: `alias ${name} names no anchor; set &${alias.source} on a value before this alias` };
      return 0;
    }
    if (open.has(target)) {
      problem = { offset, message: `alias ${name} lies inside the value it names, which would make it endless` };
      return 0;
    }
    const values = size.get(target) ?? 1;
    budget.aliases += 1;
    budget.values += values;
    if (budget.aliases > limits.maxAliases) {
      problem = { offset, message: `more than ${limits.maxAliases} aliases in one file (limit ${limits.maxAliases}); write the values out or split the file` };
    } else if (budget.values > limits.maxAliasedValues) {
      problem = { offset, message: `aliases copy more than ${limits.maxAliasedValues} values (limit ${limits.maxAliasedValues}), which looks like an alias bomb; alias smaller values` };
    }
    return values;
  };
  walk(doc.contents);
  for (const name of anchors.keys()) budget.earlierAnchors.add(name);
  return problem;
}

/** A document with nothing in it (a trailing `---`, or only comments). */
export function isEmptyDocument(doc: Document.Parsed): boolean {
  const c = doc.contents;
  if (c === null) return true;
  return yamlLibrary().isScalar(c) && c.value === null && c.range[0] === c.range[1] && c.tag === undefined && c.anchor === undefined;
}
