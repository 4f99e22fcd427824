import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/**
 * What one YAML file may cost. Every YAML file ModelHub reads (manifests, config, rule files)
 * is held to these, each checked before the work it bounds: the size before reading, the
 * document count while parsing, the aliases before a document becomes a JavaScript value.
 * Hand-written files stay far below them.
 */
export interface YamlLimits {
  /** Bytes in one file. */
  maxBytes: number;
  /** Documents (`---`) in one file. */
  maxDocuments: number;
  /** Alias uses (`*name`) in one file. */
  maxAliases: number;
  /** Values the aliases of one file copy, counted after expansion (what an alias bomb inflates). */
  maxAliasedValues: number;
}

export const YAML_LIMITS: Readonly<YamlLimits> = {
  maxBytes: 4 * 1024 * 1024,
  maxDocuments: 10_000,
  maxAliases: 1_000,
  maxAliasedValues: 100_000,
};

/** A problem at an offset of the text, before line and column are known. */
export interface OffsetProblem {
  offset: number;
  message: string;
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
  return isScalar(c) && c.value === null && c.range[0] === c.range[1] && c.tag === undefined && c.anchor === undefined;
}
