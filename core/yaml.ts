import type { CST, Document, LineCounter } from 'yaml';
import { yamlLibrary } from './yaml-lib.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { didYouMean } from './suggest.js';
import { findDuplicateKeys } from './yaml-keys.js';
import { checkAliases, findTooDeep, isEmptyDocument, newAliasBudget, openedFarTooDeep, YAML_LIMITS, type YamlLimits } from './yaml-limits.js';

/** One problem found in a YAML file, positioned for `file:line:col: message` output. */
export interface YamlProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** A parsed YAML document with what is needed to point back into its file. */
export interface YamlDoc {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain JavaScript value of the document. */
  value: unknown;
}

/**
 * Parse every document of a YAML text, within `limits` (core/yaml-limits.ts). Syntax errors,
 * duplicate keys, bad aliases and exceeded limits are returned as positioned problems, never
 * thrown; documents with problems are left out, and so are empty ones (a trailing `---`). Past
 * the document limit, or nested far past the depth limit, parsing stops and the file yields no
 * documents. Cost is linear in the text.
 */
export function parseYamlDocuments(text: string, file: string, limits: Readonly<YamlLimits> = YAML_LIMITS): { docs: YamlDoc[]; problems: YamlProblem[] } {
  const { Composer, Lexer, LineCounter, Parser } = yamlLibrary();
  const lineCounter = new LineCounter();
  // Keys are checked by findDuplicateKeys: the library's own check is quadratic in a map's size.
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
  const docs: YamlDoc[] = [];
  const problems: YamlProblem[] = [];
  const at = (offset: number, message: string): YamlProblem => ({ file, ...lineCounter.linePos(offset), message });
  const budget = newAliasBudget();
  /** Offsets of documents measured too deep: the composer gets an empty document instead. */
  const skipped = new Set<number>();
  const accept = (doc: Document.Parsed): void => {
    if (skipped.has(doc.range[0])) return;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) problems.push(at(err.pos[0], firstLine(err.message)));
      return;
    }
    if (isEmptyDocument(doc)) return;
    const found = findDuplicateKeys(doc, (offset) => lineCounter.linePos(offset).line);
    const aliasProblem = checkAliases(doc, budget, limits);
    if (aliasProblem !== undefined) found.push(aliasProblem);
    if (found.length > 0) {
      for (const p of found) problems.push(at(p.offset, p.message));
      return;
    }
    // checkAliases has bounded every alias; the library's own guard would refuse legitimate reuse.
    docs.push({ file, doc, lineCounter, value: doc.toJS({ maxAliasCount: -1 }) });
  };
  let count = 0;
  /** Hand one parsed token to the composer; false when the file must stop here. */
  const take = (token: CST.Token): boolean => {
    let next = token;
    if (token.type === 'document') {
      if (++count > limits.maxDocuments) {
        problems.push(at(token.offset, `more than ${limits.maxDocuments} documents in one file (limit ${limits.maxDocuments}); split it into several files`));
        return false;
      }
      const deep = findTooDeep(token, limits.maxDepth);
      if (deep !== undefined) {
        problems.push(at(deep.offset, deep.message));
        skipped.add(token.offset);
        next = { ...token, value: undefined };
      }
    }
    for (const doc of composer.next(next)) accept(doc);
    return true;
  };
  // The parser is fed lexeme by lexeme so that its stack (it slows down as nesting grows) is
  // bounded while it parses; findTooDeep then measures each document exactly.
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0); // what Parser.parse does before the first lexeme
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) if (!take(token)) return { docs: [], problems };
    const deepAt = openedFarTooDeep(parser.stack, limits.maxDepth);
    if (deepAt !== undefined) return { docs: [], problems: [...problems, at(deepAt.offset, deepAt.message)] };
  }
  for (const token of parser.end()) if (!take(token)) return { docs: [], problems };
  for (const doc of composer.end()) accept(doc);
  for (const err of composer.streamInfo().errors) problems.push(at(err.pos[0], firstLine(err.message)));
  return { docs, problems };
}

/** Position of the node at a JSON pointer (ajv's instancePath) or, failing that, of its nearest parent. */
export function locate(doc: YamlDoc, instancePath: string, opts: { key?: string } = {}): { line: number; col: number } {
  const { isMap, isNode, isPair, isScalar } = yamlLibrary();
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/').map(unescapePointer);
  let node: unknown = doc.doc.contents;
  let best: unknown = node;
  for (const seg of segments) {
    if (!isNode(node)) break;
    const next = (node as { get?: (k: unknown, keepScalar: boolean) => unknown }).get?.(isMapNode(node) ? seg : Number(seg), true);
    if (next === undefined) break;
    node = next;
    best = node;
  }
  if (opts.key !== undefined && isMap(best)) {
    const pair = best.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === opts.key);
    if (pair && isScalar(pair.key) && pair.key.range) return doc.lineCounter.linePos(pair.key.range[0]);
  }
  const range = isNode(best) ? best.range : undefined;
  return range ? doc.lineCounter.linePos(range[0]) : { line: 1, col: 1 };
}

/** Special wording for some errors of one schema; undefined falls back to the general wording. */
export type DescribeError = (err: ErrorObject) => string | undefined;

/**
 * Run an ajv validator over a document and turn every error into a positioned problem worded
 * for people: one message per offending value, unknown keys and enum values with a "did you
 * mean" suggestion (the validator must be compiled with `verbose: true` for those; createAjv
 * does that).
 */
export function validateDoc(validate: ValidateFunction, doc: YamlDoc, opts: { value?: unknown; describe?: DescribeError } = {}): YamlProblem[] {
  if (validate('value' in opts ? opts.value : doc.value)) return [];
  return pruneAjvErrors(validate.errors ?? []).map((err) => {
    const key = err.keyword === 'additionalProperties' ? String(err.params.additionalProperty) : undefined;
    const pos = locate(doc, err.instancePath, key === undefined ? {} : { key });
    return { file: doc.file, line: pos.line, col: pos.col, message: opts.describe?.(err) ?? describeAjvError(err) };
  });
}

/** Human wording for one ajv error, naming the key it concerns. */
export function describeAjvError(err: ErrorObject): string {
  const where = errorPlace(err);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(err.params.additionalProperty);
      const known = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return `${where}unknown key "${key}"${didYouMean(key, known)}`;
    }
    case 'required':
      return `${where}missing required key "${String(err.params.missingProperty)}"`;
    case 'enum': {
      const allowed = (err.params.allowedValues as unknown[]).map(String);
      const hint = err.data === undefined ? '' : didYouMean(String(err.data), allowed);
      return `${where}must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${hint}`;
    }
    case 'type':
      return `${where}must be ${String(err.params.type)}`;
    case 'const':
      return `${where}must be ${JSON.stringify(err.params.allowedValue)}`;
    case 'pattern':
      return `${where}${JSON.stringify(err.data)} is not valid (must match ${String(err.params.pattern)})`;
    case 'minProperties':
      return `${where}must not be empty`;
    default:
      return `${where}${err.message ?? err.keyword}`;
  }
}

/** `select.type[1]: ` for an error's place, or nothing at the top level. */
export function errorPlace(err: ErrorObject): string {
  return err.instancePath === '' ? '' : `${pointerToPath(err.instancePath)}: `;
}

/** `file:line:col: message` lines, grouped by file in the order first seen. */
export function formatProblems(problems: YamlProblem[]): string {
  const byFile = new Map<string, YamlProblem[]>();
  for (const p of problems) {
    const list = byFile.get(p.file);
    if (list === undefined) byFile.set(p.file, [p]);
    else list.push(p);
  }
  const lines: string[] = [];
  for (const list of byFile.values()) {
    for (const p of list.sort((a, b) => a.line - b.line || a.col - b.col)) lines.push(`${p.file}:${p.line}:${p.col}: ${p.message}`);
  }
  return lines.join('\n');
}

/**
 * ajv with `allErrors` reports every failing branch of an anyOf/oneOf/if (string | list, the kind
 * union). Keep what a user can act on: drop the combinators, drop a "must be <type>" where the
 * same value (or something inside it) has a more specific error, merge the type errors of one
 * value, and drop exact duplicates.
 */
function pruneAjvErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['anyOf', 'oneOf', 'if', 'allOf'].includes(e.keyword));
  const out: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const err of specific.length > 0 ? specific : errors) {
    if (err.keyword === 'type') {
      if (specific.some((o) => o.keyword !== 'type' && !isShapeEnum(o) && within(o, err))) continue;
      const types = specific.filter((o) => o.keyword === 'type' && o.instancePath === err.instancePath).map((o) => String(o.params.type));
      const id = `${err.instancePath}|type`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ ...err, params: { type: [...new Set(types)].join(' or ') } });
      continue;
    }
    if (isShapeEnum(err) && specific.some((o) => o !== err && within(o, err))) continue;
    const id = `${err.instancePath}|${err.keyword}|${JSON.stringify(err.params)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(err);
  }
  return out;
}

/** An enum error on a list or map: the value has the other shape of a string-or-list. */
function isShapeEnum(err: ErrorObject): boolean {
  return err.keyword === 'enum' && typeof err.data === 'object' && err.data !== null;
}

/** Whether `inner` concerns the same value as `outer`, or something inside it. */
function within(inner: ErrorObject, outer: ErrorObject): boolean {
  return inner.instancePath === outer.instancePath || inner.instancePath.startsWith(`${outer.instancePath}/`);
}

function isMapNode(node: unknown): boolean {
  return yamlLibrary().isMap(node);
}

function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function pointerToPath(pointer: string): string {
  return pointer
    .slice(1)
    .split('/')
    .map(unescapePointer)
    .map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
