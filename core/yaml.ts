import { isMap, isNode, isPair, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { ErrorObject, ValidateFunction } from 'ajv';

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
 * Parse every document of a YAML text. Syntax errors are returned as problems (with the
 * parser's own position), never thrown; documents with syntax errors are left out.
 */
export function parseYamlDocuments(text: string, file: string): { docs: YamlDoc[]; problems: YamlProblem[] } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(parsed) ? parsed : [];
  const docs: YamlDoc[] = [];
  const problems: YamlProblem[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = lineCounter.linePos(err.pos[0]);
        problems.push({ file, line: pos.line, col: pos.col, message: firstLine(err.message) });
      }
      continue;
    }
    if (doc.contents === null) continue; // an empty document (e.g. a trailing `---`)
    docs.push({ file, doc, lineCounter, value: doc.toJS({ maxAliasCount: 100 }) });
  }
  return { docs, problems };
}

/** Position of the node at a JSON pointer (ajv's instancePath) or, failing that, of its nearest parent. */
export function locate(doc: YamlDoc, instancePath: string, opts: { key?: string } = {}): { line: number; col: number } {
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

/** Run an ajv validator over a document and turn every error into a positioned, readable problem. */
export function validateDoc(validate: ValidateFunction, doc: YamlDoc, value: unknown = doc.value): YamlProblem[] {
  if (validate(value)) return [];
  const errors = pruneAjvErrors(validate.errors ?? []);
  return errors.map((err) => {
    const key = err.keyword === 'additionalProperties' ? String(err.params.additionalProperty) : undefined;
    const pos = locate(doc, err.instancePath, key === undefined ? {} : { key });
    return { file: doc.file, line: pos.line, col: pos.col, message: describeAjvError(err) };
  });
}

/** Human wording for one ajv error, naming the key it concerns. */
export function describeAjvError(err: ErrorObject): string {
  const where = err.instancePath === '' ? '' : `${pointerToPath(err.instancePath)}: `;
  switch (err.keyword) {
    case 'additionalProperties':
      return `${where}unknown key "${String(err.params.additionalProperty)}"`;
    case 'required':
      return `${where}missing required key "${String(err.params.missingProperty)}"`;
    case 'enum':
      return `${where}must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${where}must be ${String(err.params.type)}`;
    case 'const':
      return `${where}must be ${JSON.stringify(err.params.allowedValue)}`;
    default:
      return `${where}${err.message ?? err.keyword}`;
  }
}

/** `file:line:col: message` lines, grouped by file in the order first seen. */
export function formatProblems(problems: YamlProblem[]): string {
  const byFile = new Map<string, YamlProblem[]>();
  for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  const lines: string[] = [];
  for (const list of byFile.values()) {
    for (const p of list.sort((a, b) => a.line - b.line || a.col - b.col)) lines.push(`${p.file}:${p.line}:${p.col}: ${p.message}`);
  }
  return lines.join('\n');
}

/**
 * ajv with `allErrors` reports every branch of a oneOf/anyOf; keep the errors that say
 * something a user can act on, and drop exact duplicates.
 */
function pruneAjvErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  const out: ErrorObject[] = [];
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  for (const err of specific.length > 0 ? specific : errors) {
    const id = `${err.instancePath}|${describeAjvError(err)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(err);
  }
  return out;
}

function isMapNode(node: unknown): boolean {
  return isMap(node);
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
