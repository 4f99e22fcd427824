import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, readConfigFile, readDefaults, writeCompiledDefaults } from '../../core/config.js';
import { packageRoot } from '../../core/paths.js';
import { tempDir } from '../helpers/tmp.js';

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ HOME: '/home/u', XDG_CONFIG_HOME: '/nonexistent', ...extra });

/** The message of the ERR_MODELHUB_CONFIG_INVALID that loading this config file gives. */
function invalidConfigMessage(file: string): string {
  try {
    loadConfig({ flags: { config: file }, env: env() });
  } catch (err) {
    expect((err as { code: string }).code).toBe('ERR_MODELHUB_CONFIG_INVALID');
    return (err as Error).message;
  }
  throw new Error(`expected ${file} to be an invalid config`);
}

describe('configuration', () => {
  it('ships defaults that pass their own schema', () => {
    expect(() => readConfigFile(join(packageRoot(), 'config.yaml'))).not.toThrow();
    expect(Object.keys(readConfigFile(join(packageRoot(), 'config.yaml')))).toEqual(['hub', 'manifests', 'page_size', 'symlinks', 'scan', 'confidence_threshold', 'weights', 'rules', 'external_apis']);
  });

  it('uses the shipped defaults', () => {
    const c = loadConfig({ env: env(), cwd: '/work' });
    expect(c).toMatchObject({ hub: '/home/u/modelhub', manifests: '/home/u/modelhub/manifests', page_size: 1000, symlinks: true, confidence_threshold: 0.5 });
    expect(c.external_apis.civitai.base_url).toBe('https://civitai.com/api/v1');
    expect(c.configFile).toBeNull();
  });

  it('lets flags beat environment beat config file beat defaults', () => {
    const dir = tempDir();
    const file = join(dir, 'my.yaml');
    writeFileSync(file, 'hub: ./from-file\npage_size: 50\nexternal_apis:\n  civitai:\n    enabled: false\n');
    const fromFile = loadConfig({ flags: { config: file }, env: env(), cwd: '/work' });
    expect(fromFile.hub).toBe(join(dir, 'from-file'));
    expect(fromFile.page_size).toBe(50);
    expect(fromFile.external_apis.civitai).toMatchObject({ enabled: false, base_url: 'https://civitai.com/api/v1', cache_days: 90 });
    const fromEnv = loadConfig({ flags: { config: file }, env: env({ MODELHUB_HUB: '~/env-hub' }), cwd: '/work' });
    expect(fromEnv.hub).toBe('/home/u/env-hub');
    const fromFlag = loadConfig({ flags: { config: file, hub: 'rel' }, env: env({ MODELHUB_HUB: '/env' }), cwd: '/work' });
    expect(fromFlag.hub).toBe('/work/rel');
    expect(fromFlag.manifests).toBe('/work/rel/manifests');
  });

  it('finds MODELHUB_CONFIG and the XDG config file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'modelhub'));
    writeFileSync(join(dir, 'modelhub', 'config.yaml'), 'symlinks: false\n');
    expect(loadConfig({ env: env({ XDG_CONFIG_HOME: dir }) }).symlinks).toBe(false);
    writeFileSync(join(dir, 'other.yaml'), 'confidence_threshold: 0.7\n');
    const c = loadConfig({ env: env({ XDG_CONFIG_HOME: dir, MODELHUB_CONFIG: join(dir, 'other.yaml') }) });
    expect(c.confidence_threshold).toBe(0.7);
    expect(c.symlinks).toBe(true);
  });

  it('reports every problem in a bad config with file, line and key', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'hub: /x\npage_sise: 10\nconfidence_threshold: 2\nexternal_apis:\n  civitai:\n    base_url: ftp://nope\n');
    const message = invalidConfigMessage(file);
    expect(message).toContain(`${file}:2:1: unknown key "page_sise"; did you mean "page_size"?`);
    expect(message).toContain(`${file}:3:23: confidence_threshold: must be <= 1`);
    expect(message).toContain(`${file}:6:15: external_apis.civitai.base_url: "ftp://nope" is not valid (must match ^https?://)`);
  });

  it('reports YAML syntax errors with their position', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'hub: [unclosed\npage_size: 3\n');
    expect(() => loadConfig({ flags: { config: file }, env: env() })).toThrowError(new RegExp(`${file}:\\d+:\\d+: `));
  });

  it('reports a bad alias in a config file with its position', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'hub: /x\nrules: [*mine]\n');
    expect(() => loadConfig({ flags: { config: file }, env: env() })).toThrowError(`${file}:2:9: alias *mine names no anchor; set &mine on a value before this alias`);
  });

  it('refuses config paths naming an unset variable, at their position, and the same from the environment', () => {
    const dir = tempDir();
    const file = join(dir, 'vars.yaml');
    writeFileSync(file, 'hub: $HUB_DISK/hub\nrules:\n  - ${HOME}/ok.yaml\n  - ${RULES_DIR}/mine.yaml\n');
    const message = invalidConfigMessage(file);
    expect(message.split('\n').slice(1)).toEqual([
      `${file}:1:6: hub: environment variable HUB_DISK is not set (in "$HUB_DISK/hub"); set it, or give a default: \${HUB_DISK:-/some/path}`,
      `${file}:4:5: rules[1]: environment variable RULES_DIR is not set (in "\${RULES_DIR}/mine.yaml"); set it, or give a default: \${RULES_DIR:-/some/path}`,
    ]);
    expect(loadConfig({ flags: { config: file }, env: env({ HUB_DISK: '/mnt/d', RULES_DIR: '/r' }) }).hub).toBe('/mnt/d/hub');
    expect(() => loadConfig({ env: env({ MODELHUB_HUB: '$NOPE/hub' }) })).toThrowError(expect.objectContaining({ code: 'ERR_MODELHUB_PATH_VARIABLE_UNSET', message: expect.stringContaining('NOPE is not set') }));
  });

  it('names a missing --config file', () => {
    expect(() => loadConfig({ flags: { config: '/nope/config.yaml' }, env: env() })).toThrowError('config file /nope/config.yaml does not exist');
  });
});

describe('the shipped defaults compiled at build time (dist/config-defaults.json)', () => {
  const shipped = join(packageRoot(), 'config.yaml');

  it('hold exactly what parsing config.yaml gives, and are used while its stamp matches', () => {
    const dir = tempDir();
    const written = writeCompiledDefaults(dir);
    expect(readDefaults(shipped, dir)).toEqual(readConfigFile(shipped, { validate: false }));
    // Proof the JSON is what was read: a matching stamp with other values wins.
    const compiled = JSON.parse(readFileSync(written, 'utf8')) as { stamp: string; values: Record<string, unknown> };
    writeFileSync(written, JSON.stringify({ stamp: compiled.stamp, values: { ...compiled.values, page_size: 7 } }));
    expect(readDefaults(shipped, dir).page_size).toBe(7);
  });

  it('are ignored when made from another config.yaml, unreadable or missing: the YAML is parsed', () => {
    const dir = tempDir();
    const written = writeCompiledDefaults(dir);
    const compiled = JSON.parse(readFileSync(written, 'utf8')) as { values: Record<string, unknown> };
    writeFileSync(written, JSON.stringify({ stamp: 'f'.repeat(64), values: { ...compiled.values, page_size: 7 } }));
    expect(readDefaults(shipped, dir).page_size).toBe(1000);
    writeFileSync(written, '{ not json');
    expect(readDefaults(shipped, dir).page_size).toBe(1000);
    expect(readDefaults(shipped, join(dir, 'missing')).page_size).toBe(1000);
  });
});
