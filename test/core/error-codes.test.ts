/**
 * The error codes are a closed set (core/errors.ts ERROR_CODES): the compiler refuses a code
 * outside it, and this test refuses a code in it that nothing throws any more.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ModelHubError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';

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

  it('prefixes every code once', () => {
    expect(new ModelHubError('USAGE', 'x').code).toBe('ERR_MODELHUB_USAGE');
    expect(new ModelHubError('ERR_MODELHUB_USAGE', 'x').code).toBe('ERR_MODELHUB_USAGE');
  });
});
