/**
 * The seams between the deployment commands and the domain (issue 10): one way to load the
 * manifests with their options, a plan that carries what its views show, reasons that never
 * steer apply, a pure status, and observation through the fs interface.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('one way to load manifests with their options', () => {
  it('validate accepts a base that a rule file in the config declares, as plan does', async () => {
    const root = tempDir();
    const manifests = join(root, 'manifests');
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'o.yaml'), 'kind: Override\nmatch: { name: "model*" }\nset: { base: kandinsky5 }\n');
    const refused = await cli(['--hub', join(root, 'hub'), '--manifests', manifests, 'validate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('o.yaml:3:14: set.base: unknown base "kandinsky5"');
    writeFileSync(join(root, 'k.yaml'), 'version: 1\nbases:\n  - { id: kandinsky5, description: Kandinsky 5 }\n');
    writeFileSync(join(root, 'config.yaml'), 'rules: [k.yaml]\n');
    const ok = await cli(['--config', join(root, 'config.yaml'), '--hub', join(root, 'hub'), '--manifests', manifests, 'validate']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Manifests valid: 0 targets, 0 deployments, 1 override in 1 file');
  });
});
