import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../classify/load-rules.js';
import { loadConfig } from '../../core/config.js';
import { parseYamlDocuments, type YamlProblem } from '../../core/yaml.js';
import { YAML_LIMITS } from '../../core/yaml-limits.js';
import { readYamlFile } from '../../core/yaml-read.js';
import { loadManifests } from '../../reconcile/manifests.js';
import { tempDir } from '../helpers/tmp.js';

const lines = (problems: YamlProblem[]): string[] => problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
const parse = (text: string) => parseYamlDocuments(text, 'f.yaml');

describe('YAML aliases', () => {
  it('expands aliases that name an anchor set before them', () => {
    const { docs, problems } = parse('common: &c { type: lora }\na: *c\nb: *c\n');
    expect(problems).toEqual([]);
    expect(docs[0]?.value).toEqual({ common: { type: 'lora' }, a: { type: 'lora' }, b: { type: 'lora' } });
  });

  it('accepts reuse that the YAML library alone would take for an attack', () => {
    const inner = 'inner: &i [1, 2]\nmid: &m [*i, *i, *i, *i, *i, *i, *i, *i, *i, *i]\n';
    const uses = Array.from({ length: 20 }, (_, k) => `k${k}: *m\n`).join('');
    expect(parse(inner + uses).problems).toEqual([]);
  });

  it('gives an undefined alias a position instead of a crash', () => {
    expect(lines(parse('kind: Target\nname: *nope\n').problems)).toEqual(['f.yaml:2:7: alias *nope names no anchor; set &nope on a value before this alias']);
  });

  it('says that an alias cannot reach into another document', () => {
    const { docs, problems } = parse('a: &x 1\n---\nb: *x\n');
    expect(lines(problems)).toEqual(['f.yaml:3:4: alias *x names an anchor of an earlier document; anchors do not reach across ---, repeat the value or use one document']);
    expect(docs.map((d) => d.value)).toEqual([{ a: 1 }]);
  });

  it('refuses an alias inside the value it names', () => {
    expect(lines(parse('a: &a [ 1, *a ]\n').problems)).toEqual(['f.yaml:1:12: alias *a lies inside the value it names, which would make it endless']);
  });

  it('refuses an alias bomb at the alias that crosses the limit, before expanding it', () => {
    const level = (name: string, of: string): string => `${name}: &${name} [${Array(9).fill(`*${of}`).join(', ')}]\n`;
    const text = `a: &a [${Array(9).fill('x').join(', ')}]\n${level('b', 'a')}${level('c', 'b')}${level('d', 'c')}${level('e', 'd')}${level('f', 'e')}${level('g', 'f')}`;
    // b..e copy 90 + 819 + 7380 + 66429 values; the first *e in f brings the total past 100000.
    expect(lines(parse(text).problems)).toEqual([
      `f.yaml:6:8: aliases copy more than ${YAML_LIMITS.maxAliasedValues} values (limit ${YAML_LIMITS.maxAliasedValues}), which looks like an alias bomb; alias smaller values`,
    ]);
  });

  it('counts copied values up to the limit exactly', () => {
    // A list of 999 values is 1000 values with itself; 100 aliases of it copy 100000.
    const list = `list: &l [${Array(999).fill('1').join(',')}]\n`;
    const uses = (n: number): string => `uses: [${Array(n).fill('*l').join(', ')}]\n`;
    expect(parse(list + uses(100)).problems).toEqual([]);
    expect(parse(list + uses(101)).problems.map((p) => p.message)).toEqual([expect.stringContaining('(limit 100000)')]);
  });

  it('counts alias uses per file up to the limit', () => {
    const text = (n: number): string => `a: &a 1\nuses: [${Array(n).fill('*a').join(', ')}]\n`;
    expect(parse(text(YAML_LIMITS.maxAliases)).problems).toEqual([]);
    expect(lines(parse(text(YAML_LIMITS.maxAliases + 1)).problems)).toEqual([
      `f.yaml:2:${8 + 4 * YAML_LIMITS.maxAliases}: more than ${YAML_LIMITS.maxAliases} aliases in one file (limit ${YAML_LIMITS.maxAliases}); write the values out or split the file`,
    ]);
  });
});

describe('YAML documents', () => {
  it('reports every duplicate key with the line of the first', () => {
    expect(lines(parse('a: 1\nb: { x: 1, x: 2 }\na: 3\n1: one\n"1": two\n').problems)).toEqual([
      'f.yaml:2:12: duplicate key "x" (first at line 2); the keys of a map must be unique',
      'f.yaml:3:1: duplicate key "a" (first at line 1); the keys of a map must be unique',
    ]);
  });

  it('leaves out empty documents such as a trailing ---, but not an explicit null', () => {
    expect(parse('a: 1\n---\n').docs.map((d) => d.value)).toEqual([{ a: 1 }]);
    expect(parse('---\n# only a comment\n---\n').docs).toEqual([]);
    expect(parse('--- ~\n').docs.map((d) => d.value)).toEqual([null]);
  });

  it('reads up to the document limit and refuses one more, at its position', () => {
    const n = YAML_LIMITS.maxDocuments;
    expect(parse('---\nx: 1\n'.repeat(n)).docs).toHaveLength(n);
    const over = parse('---\nx: 1\n'.repeat(n + 1));
    expect(over.docs).toEqual([]);
    expect(lines(over.problems)).toEqual([`f.yaml:${2 * n + 1}:1: more than ${n} documents in one file (limit ${n}); split it into several files`]);
  });

});

describe('YAML nesting', () => {
  const max = YAML_LIMITS.maxDepth;
  const flow = (levels: number): string => `a: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}\n`;

  it('reads a document nested to the limit and refuses one level more, at the collection that crosses it', () => {
    expect(parse(flow(max)).problems).toEqual([]);
    expect(lines(parse(flow(max + 1)).problems)).toEqual([`f.yaml:1:${4 + max - 1}: nested deeper than ${max} levels (limit ${max}); flatten the maps and lists`]);
  });

  it('measures block maps and lists too, and only the deep document is left out', () => {
    // Each line opens a list and a map: two levels.
    const block = Array.from({ length: Math.ceil((max + 1) / 2) }, (_, i) => `${'  '.repeat(i)}- k${i}:`).join('\n');
    const { docs, problems } = parse(`ok: 1\n---\n${block} x\n---\nok: 2\n`);
    expect(problems.map((p) => p.message)).toEqual([`nested deeper than ${max} levels (limit ${max}); flatten the maps and lists`]);
    expect(docs.map((d) => d.value)).toEqual([{ ok: 1 }, { ok: 2 }]);
  });

  it('refuses deep nesting far past the stack instead of overflowing it', () => {
    expect(parse(flow(10_000)).problems.map((p) => p.message)).toEqual([`nested deeper than ${max} levels (limit ${max}); flatten the maps and lists`]);
  });

  it('stops parsing a file nested far too deep, at the collection that crossed the limit', () => {
    // Never closed, then more documents: none of them is parsed once the nesting runs away.
    const { docs, problems } = parse(`${'['.repeat(1_000_000)}\n---\nbad: [\n---\nok: 1\n`);
    expect(lines(problems)).toEqual([`f.yaml:1:${max + 1}: nested deeper than ${max} levels (limit ${max}); flatten the maps and lists`]);
    expect(docs).toEqual([]);
  });
});

describe('YAML files', () => {
  const MiB4 = YAML_LIMITS.maxBytes;

  it('reads a file of the size limit and refuses one byte more without reading it', () => {
    const dir = tempDir();
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `a: ${'x'.repeat(MiB4 - 4)}\n`);
    const read = readYamlFile(file, 'big.yaml');
    expect('text' in read && read.text.length).toBe(MiB4);
    truncateSync(file, MiB4 + 1); // the extra byte is a NUL: refused on size, never read
    expect(readYamlFile(file, 'big.yaml')).toEqual({
      problem: { file: 'big.yaml', line: 1, col: 1, message: `${MiB4 + 1} bytes, larger than a YAML file may be (limit ${MiB4} bytes); split it into several files` },
    });
  });

  it('refuses Latin-1, UTF-16 and binary files as not UTF-8, at the first byte that is not', () => {
    const dir = tempDir();
    const read = (bytes: Buffer): unknown => {
      writeFileSync(join(dir, 'f.yaml'), bytes);
      const r = readYamlFile(join(dir, 'f.yaml'), 'f.yaml');
      return 'problem' in r ? `${r.problem.file}:${r.problem.line}:${r.problem.col}: ${r.problem.message}` : r.text;
    };
    expect(read(Buffer.from('kind: Target\nname: café ✓\n'))).toBe('kind: Target\nname: café ✓\n');
    expect(read(Buffer.from('kind: Target\nname: café\n', 'latin1'))).toBe('f.yaml:2:10: not UTF-8 text (byte 0xE9, as in Latin-1 or binary data); save the file as UTF-8');
    expect(read(Buffer.from('\ufeffkind: Target\n', 'utf16le'))).toBe('f.yaml:1:1: not UTF-8 text (it starts with a UTF-16 byte order mark); save the file as UTF-8');
    expect(read(Buffer.from('kind: Target\n', 'utf16le'))).toBe('f.yaml:1:2: not UTF-8 text (a NUL byte: UTF-16 or binary data); save the file as UTF-8');
    expect(read(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('f.yaml:1:1: not UTF-8 text (byte 0x89, as in Latin-1 or binary data); save the file as UTF-8');
    // Well-formed bytes that are still not UTF-8: an overlong "/" and an encoded surrogate.
    expect(read(Buffer.from([0x61, 0x3a, 0x20, 0xc0, 0xaf]))).toMatch(/^f\.yaml:1:4: not UTF-8 text \(byte 0xC0/);
    expect(read(Buffer.from([0x61, 0x3a, 0x20, 0xed, 0xa0, 0x80]))).toMatch(/^f\.yaml:1:4: not UTF-8 text \(byte 0xED/);
  });

  it('holds manifests, config files and rule files to the same limits', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'manifests'));
    const big = (name: string): string => {
      const file = join(dir, name);
      writeFileSync(file, '');
      truncateSync(file, MiB4 + 1);
      return file;
    };
    big('manifests/huge.yaml');
    const limit = `larger than a YAML file may be (limit ${MiB4} bytes)`;
    expect(() => loadManifests(join(dir, 'manifests'), { cwd: dir })).toThrowError(expect.objectContaining({ code: 'ERR_MODELHUB_MANIFESTS_INVALID', message: expect.stringContaining(`manifests/huge.yaml:1:1: ${MiB4 + 1} bytes, ${limit}`) }));
    const config = big('config.yaml');
    expect(() => loadConfig({ flags: { config }, env: { HOME: dir } })).toThrowError(expect.objectContaining({ code: 'ERR_MODELHUB_CONFIG_INVALID', message: expect.stringContaining(`${config}:1:1: ${MiB4 + 1} bytes, ${limit}`) }));
    const rules = big('rules.yaml');
    expect(() => loadRuleSet([rules])).toThrowError(expect.objectContaining({ code: 'ERR_MODELHUB_RULES_INVALID', message: expect.stringContaining(`${rules}:1:1: ${MiB4 + 1} bytes, ${limit}`) }));
    writeFileSync(join(dir, 'manifests/huge.yaml'), Buffer.from('kind: Target\nname: café\n', 'latin1'));
    expect(() => loadManifests(join(dir, 'manifests'), { cwd: dir })).toThrowError('manifests/huge.yaml:2:10: not UTF-8 text');
    writeFileSync(rules, `bases: ${'['.repeat(YAML_LIMITS.maxDepth)}${']'.repeat(YAML_LIMITS.maxDepth)}\n`);
    expect(() => loadRuleSet([rules])).toThrowError(`${rules}:1:${7 + YAML_LIMITS.maxDepth}: nested deeper than ${YAML_LIMITS.maxDepth} levels`);
    writeFileSync(config, '---\n'.repeat(YAML_LIMITS.maxDocuments + 1));
    expect(() => loadConfig({ flags: { config }, env: { HOME: dir } })).toThrowError(`${config}:${YAML_LIMITS.maxDocuments + 1}:1: more than ${YAML_LIMITS.maxDocuments} documents`);
  });
});
