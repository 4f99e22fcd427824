import { describe, expect, it } from 'vitest';
import { parseYamlDocuments, type YamlProblem } from '../../core/yaml.js';
import { YAML_LIMITS } from '../../core/yaml-limits.js';

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
