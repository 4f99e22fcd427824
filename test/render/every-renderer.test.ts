/**
 * Every renderer in cmd/render/ is pinned by a snapshot here: a new view without one fails
 * this test (the README's "How to extend" asks for it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';

describe('cmd/render/', () => {
  it('has a snapshot test in test/render/ for every renderer', () => {
    const renderers = readdirSync(join(packageRoot(), 'cmd/render')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    const dir = join(packageRoot(), 'test/render');
    const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(renderers.filter((r) => !tests.includes(`'../../cmd/render/${r}.js'`))).toEqual([]);
  });
});
