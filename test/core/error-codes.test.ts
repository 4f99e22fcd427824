/**
 * The error codes are a closed set (core/errors.ts ERROR_CODES): the compiler refuses a code
 * outside it, and this test refuses a code in it that nothing throws any more, and a code the
 * README names that is not in it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ModelHubError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { FORMAT_ERROR_HINTS } from '../../formats/errors.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe('error codes', () => {
  it('every listed code is used by the sources', () => {
    const text = ['cmd', 'core', 'reconcile', 'store', 'classify', 'formats']
      .flatMap((d) => sources(join(packageRoot(), d)))
      .filter((f) => !f.endsWith('core/errors.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = ERROR_CODES.filter((c) => !text.includes(`'${c}'`) && !text.includes(`'ERR_MODELHUB_${c}'`));
    expect(unused).toEqual([]);
  });

  it('every code the README names is listed, and the README lists every reader code with its hint', () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    const named = [...new Set([...readme.matchAll(/ERR_MODELHUB_([A-Z_]+)/g)].map((m) => m[1] as string))];
    expect(named.filter((c) => !(ERROR_CODES as readonly string[]).includes(c))).toEqual([]);
    const sentence = /Every error a reader gives has a code and a hint: ([^]*?), each prefixed/.exec(readme)?.[1] ?? '';
    const readerCodes = [...sentence.matchAll(/`([A-Z_]+)`/g)].map((m) => `ERR_MODELHUB_${m[1]}`);
    expect(readerCodes.sort()).toEqual(Object.keys(FORMAT_ERROR_HINTS).sort());
  });

  it('prefixes every code once', () => {
    expect(new ModelHubError('USAGE', 'x').code).toBe('ERR_MODELHUB_USAGE');
    expect(new ModelHubError('ERR_MODELHUB_USAGE', 'x').code).toBe('ERR_MODELHUB_USAGE');
  });
});
