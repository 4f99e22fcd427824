import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, parseAllDocuments, type Document } from 'yaml';

/**
 * Editing a YAML file of several documents without disturbing what is not edited. Every
 * document keeps its own bytes unless it is the one changed; a changed scalar is replaced in
 * place (the rest of its line, comments included, stays as written); only a structural change
 * (a key added, a list grown) re-prints its one document through the `yaml` Document API,
 * which keeps its comments and key order. Each edit is checked by parsing the result again:
 * every other document must read exactly as before.
 */

export interface YamlFile {
  text: string;
  docs: Document.Parsed[];
}

export function parseYamlFile(text: string): YamlFile {
  return { text, docs: parseAllDocuments(text) as Document.Parsed[] };
}

/** The index of the first document whose `kind` and `name` are these, or -1. */
export function findDocument(file: YamlFile, kind: string, name: string): number {
  return file.docs.findIndex((d) => d.get('kind') === kind && d.get('name') === name);
}

/** Where document i starts and ends in the text: the documents partition the file. */
function span(file: YamlFile, i: number): [number, number] {
  const start = i === 0 ? 0 : (file.docs[i]?.range[0] ?? file.text.length);
  const end = i + 1 < file.docs.length ? (file.docs[i + 1]?.range[0] ?? file.text.length) : file.text.length;
  return [start, end];
}

/**
 * Set the top-level scalar `key` of document i to `value`: in place when the key is there and
 * holds a scalar, else through the Document API (the key is added at the end of the mapping).
 */
export function setScalar(file: YamlFile, i: number, key: string, value: string | boolean): string {
  const doc = file.docs[i] as Document.Parsed;
  const node = isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
  if (isScalar(node) && node.range !== undefined && node.range !== null) {
    const [from, to] = node.range;
    return checked(file, i, `${file.text.slice(0, from)}${scalarText(value)}${file.text.slice(to)}`, (v) => ({ ...v, [key]: value }));
  }
  return rewriteDocument(file, i, (d) => d.set(key, value));
}

/**
 * Change document i through the Document API and print it again in its place; the other
 * documents keep their bytes. `edit` works on a copy.
 */
export function rewriteDocument(file: YamlFile, i: number, edit: (doc: Document.Parsed) => void): string {
  const doc = (file.docs[i] as Document.Parsed).clone() as Document.Parsed;
  edit(doc);
  const [from, to] = span(file, i);
  const printed = doc.toString();
  const text = `${file.text.slice(0, from)}${printed}${file.text.slice(to)}`;
  return checked(file, i, text, () => doc.toJS() as Record<string, unknown>);
}

/**
 * The text with document i removed (its `---` line with it). The comment lines above the first
 * document stay: they may speak for the whole file.
 */
export function removeDocument(file: YamlFile, i: number): string {
  const [spanFrom, to] = span(file, i);
  const from = i === 0 ? (file.docs[0]?.range[0] ?? spanFrom) : spanFrom;
  const text = `${file.text.slice(0, from)}${file.text.slice(to)}`;
  const after = parseAllDocuments(text).filter((d) => d.contents !== null);
  const expected = file.docs.filter((_, j) => j !== i).map((d) => d.toJS());
  if (!isDeepStrictEqual(after.map((d) => d.toJS()), expected)) throw new Error('removing a YAML document changed another one');
  return text;
}

/** A new document appended at the end of the file, after a `---` unless the file holds only comments. */
export function appendDocument(text: string, document: string): string {
  if (text.split('\n').every((l) => l.trim() === '' || l.trimStart().startsWith('#'))) return `${text}${document}`;
  return `${text.endsWith('\n') ? text : `${text}\n`}---\n${document}`;
}

/** A scalar as YAML: plain where that reads back as the same string, else double-quoted. */
export function scalarText(value: string | boolean): string {
  if (typeof value === 'boolean') return String(value);
  const plain = /^[A-Za-z0-9_~./$][A-Za-z0-9_~./$ +@=-]*$/.test(value) && !value.endsWith(' ') && !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9.][0-9._eE+-]*)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** Refuse an edit that changed anything but document i, or document i otherwise than expected. */
function checked(file: YamlFile, i: number, text: string, expect: (v: Record<string, unknown>) => Record<string, unknown>): string {
  const after = parseAllDocuments(text);
  const ok =
    after.length === file.docs.length &&
    after.every((d, j) => d.errors.length === 0 && isDeepStrictEqual(d.toJS(), j === i ? expect(file.docs[i]?.toJS() as Record<string, unknown>) : file.docs[j]?.toJS()));
  if (!ok) throw new Error('a YAML edit changed more than the document it was meant for');
  return text;
}
