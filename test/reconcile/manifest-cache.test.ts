import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { YamlProblem } from '../../core/yaml.js';
import { loadManifests } from '../../reconcile/manifests.js';

let root: string;
let dir: string;
let cacheFile: string;
const env = { HOME: '/home/tester' };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'modelhub-manifest-cache-'));
  dir = join(root, 'manifests');
  mkdirSync(dir);
  cacheFile = join(root, 'manifests.cache.json');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const TARGET = 'kind: Target\nname: comfy\nroot: ~/comfy\nmappings:\n  lora: loras\n';
const DEPLOY = 'kind: Deployment\nname: all\ntarget: comfy\nselect: {}\n';

function load(opts: { cache?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  return loadManifests(dir, { env: opts.env ?? env, cwd: dir, ...(opts.cache === false ? {} : { cacheFile }) });
}

function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (err) {
    return (err as { details: YamlProblem[] }).details.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
  }
  throw new Error('expected the manifests to be invalid');
}

interface CacheShape {
  parser: string;
  files: Record<string, Array<{ value: Record<string, unknown>; line: number }>>;
}
const readCache = (): CacheShape => JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheShape;

describe('the cache of parsed manifests', () => {
  it('gives the same manifests as a parse, keeps each text once, and drops texts no longer read', () => {
    writeFileSync(join(dir, 'a.yaml'), `${TARGET}---\n${DEPLOY}`);
    const parsed = load({ cache: false });
    expect(existsSync(cacheFile)).toBe(false);
    expect(load()).toEqual(parsed);
    expect(Object.values(readCache().files)).toEqual([[{ value: expect.objectContaining({ kind: 'Target' }), line: 1 }, { value: expect.objectContaining({ kind: 'Deployment' }), line: 7 }]]);
    expect(load()).toEqual(parsed);
    writeFileSync(join(dir, 'a.yaml'), `${TARGET}---\n${DEPLOY.replace('all', 'everything')}`);
    expect(load().deployments.map((d) => d.name)).toEqual(['everything']);
    expect(Object.keys(readCache().files)).toHaveLength(1);
  });

  it('is read: a cached text is not parsed again', () => {
    writeFileSync(join(dir, 'a.yaml'), `${TARGET}---\n${DEPLOY}`);
    load();
    // The cache is the only place this name can come from: proof the text was not parsed again.
    const cache = readCache();
    const docs = Object.values(cache.files)[0]!;
    docs[1]!.value.name = 'from-cache';
    writeFileSync(cacheFile, JSON.stringify(cache));
    expect(load().deployments.map((d) => d.name)).toEqual(['from-cache']);
  });

  it('validates what it reads back: a cached value the schema refuses sends every file to a real parse', () => {
    writeFileSync(join(dir, 'a.yaml'), `${TARGET}---\n${DEPLOY}`);
    load();
    const cache = readCache();
    Object.values(cache.files)[0]![0]!.value.mappings = { notatype: 'x' };
    writeFileSync(cacheFile, JSON.stringify(cache));
    expect(load().targets[0]?.mappings).toEqual({ lora: 'loras' });
  });

  it('positions a problem found in a cached file exactly as a parse would', () => {
    writeFileSync(join(dir, 'a.yaml'), 'kind: Target\nname: comfy\nroot: ${COMFY_ROOT}/app\nmappings:\n  lora: loras\n');
    load({ env: { ...env, COMFY_ROOT: '/srv' } });
    expect(existsSync(cacheFile)).toBe(true);
    const unset = { HOME: '/home/tester' };
    const withCache = problemsOf(() => load({ env: unset }));
    expect(withCache).toEqual(problemsOf(() => load({ env: unset, cache: false })));
    expect(withCache[0]).toMatch(/^a\.yaml:3:\d+: /);
  });

  it('ignores a cache that is not JSON, not its shape or from another parser, and rewrites it', () => {
    writeFileSync(join(dir, 'a.yaml'), TARGET);
    for (const junk of ['{not json', '[]', JSON.stringify({ parser: 'someone else', files: {} }), JSON.stringify({ parser: 'x', files: { k: [{ line: 'one' }] } })]) {
      writeFileSync(cacheFile, junk);
      expect(load().targets.map((t) => t.name)).toEqual(['comfy']);
      expect(Object.keys(readCache().files)).toHaveLength(1);
    }
  });

  it('never writes through a symlink or over anything but its own regular file', () => {
    writeFileSync(join(dir, 'a.yaml'), TARGET);
    const elsewhere = join(root, 'someone-elses.json');
    writeFileSync(elsewhere, 'keep me');
    symlinkSync(elsewhere, cacheFile);
    expect(load().targets).toHaveLength(1);
    expect(readFileSync(elsewhere, 'utf8')).toBe('keep me');
    rmSync(cacheFile);
    mkdirSync(cacheFile);
    expect(load().targets).toHaveLength(1);
  });

  it('keeps no text whose values JSON cannot carry (.nan), nor one with problems', () => {
    writeFileSync(join(dir, 'a.yaml'), `${TARGET}x-note: .nan\n`);
    problemsOf(() => load());
    expect(existsSync(cacheFile)).toBe(false);
    writeFileSync(join(dir, 'a.yaml'), 'kind: Target\nname: [unclosed\n');
    problemsOf(() => load());
    expect(existsSync(cacheFile)).toBe(false);
  });

  it('writes nothing when the folder it belongs in is missing', () => {
    writeFileSync(join(dir, 'a.yaml'), TARGET);
    cacheFile = join(root, 'no-hub-here', 'manifests.cache.json');
    expect(load().targets).toHaveLength(1);
    expect(existsSync(join(root, 'no-hub-here'))).toBe(false);
  });
});
