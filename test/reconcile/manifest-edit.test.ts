/**
 * Manifest edits (the TUI's deploy and configure screens): comment- and order-preserving, a
 * file ModelHub did not write changed only in the documents concerned, every result loading
 * as valid manifests that declare what was asked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeDesired } from '../../reconcile/desired.js';
import { OWN_DEPLOY_FILE, planManifestEdit } from '../../reconcile/manifest-edit.js';
import { manifestEditDiff, writeManifestEdit } from '../../reconcile/manifest-edit-io.js';
import type { ManifestChange } from '../../reconcile/manifest-edit-types.js';
import { loadManifests } from '../../reconcile/manifests.js';
import type { DeployModel } from '../../reconcile/select.js';
import { tempDir } from '../helpers/tmp.js';

const USER_FILE = `# My targets, hand-written.
kind: Target
name: comfy
displayName: ComfyUI   # the desktop one
root: /apps/comfy/models
enabled: false   # not yet
mappings: { lora: loras, checkpoint: checkpoints }
---
# LoRAs for SDXL
kind: Deployment
name: sdxl-loras
target: comfy
select: { type: lora, base: sdxl }
---
kind: Deployment
name: checkpoints
target: comfy
select: { type: checkpoint }
exclude: { name: "*-old*" }
`;

function model(name: string, over: Partial<DeployModel> = {}): DeployModel {
  const hash = (over.hash ?? Buffer.from(name).toString('hex')).padEnd(64, '0').slice(0, 64);
  return { hash, filename: name, name, format: 'safetensors', size: 1, type: 'lora', base: 'sdxl', variant: null, tags: [], ...over };
}

function world(text = USER_FILE) {
  const dir = tempDir('modelhub-edit-');
  const file = join(dir, 'targets.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

function plan(dir: string, change: ManifestChange, models: DeployModel[] = []) {
  const manifests = loadManifests(dir, { cwd: dir });
  const texts = new Map(manifests.files.map((f) => [f, readFileSync(f, 'utf8')]));
  return planManifestEdit({ change, manifests, models, texts, cwd: dir });
}

/** Write a plan's files and load the manifests again (they must be valid). */
function save(dir: string, p: ReturnType<typeof plan>) {
  writeManifestEdit(p);
  return loadManifests(dir, { cwd: dir });
}

describe('configuring a target', () => {
  it('enables it by changing that one value in place: comments, order and the other documents keep their bytes', () => {
    const { dir, file } = world();
    const p = plan(dir, { kind: 'enable', target: 'comfy', enabled: true });
    expect(p.edits).toHaveLength(1);
    expect(p.edits[0]?.after).toBe(USER_FILE.replace('enabled: false   # not yet', 'enabled: true   # not yet'));
    expect(manifestEditDiff(p)).toEqual([`--- ${file}`, `+++ ${file}`, '@@ -3,7 +3,7 @@', ' name: comfy', ' displayName: ComfyUI   # the desktop one', ' root: /apps/comfy/models', '-enabled: false   # not yet', '+enabled: true   # not yet', ' mappings: { lora: loras, checkpoint: checkpoints }', ' ---', ' # LoRAs for SDXL']);
    expect(save(dir, p).targets[0]?.enabled).toBe(true);
  });

  it('adds the key when the document does not have it, changing only that document', () => {
    const text = USER_FILE.replace('enabled: false   # not yet\n', '');
    const { dir } = world(text);
    expect(plan(dir, { kind: 'enable', target: 'comfy', enabled: true })).toMatchObject({ edits: [], notes: ['comfy is already enabled'] });
    const p = plan(dir, { kind: 'enable', target: 'comfy', enabled: false });
    const after = p.edits[0]?.after ?? '';
    expect(after).toContain('# My targets, hand-written.\nkind: Target');
    expect(after).toContain('displayName: ComfyUI # the desktop one');
    expect(after).toMatch(/mappings: \{ lora: loras, checkpoint: checkpoints \}\nenabled: false\n/);
    expect(after.slice(after.indexOf('---\n# LoRAs'))).toBe(text.slice(text.indexOf('---\n# LoRAs')));
    expect(save(dir, p).targets[0]?.enabled).toBe(false);
  });

  it('changes the root as written, quoting it where YAML needs that', () => {
    const { dir } = world();
    const p = plan(dir, { kind: 'root', target: 'comfy', root: '~/My Apps/comfy: new' });
    expect(p.edits[0]?.after).toContain('root: "~/My Apps/comfy: new"\n');
    expect(save(dir, p).targets[0]?.rootAsWritten).toBe('~/My Apps/comfy: new');
    const plain = plan(dir, { kind: 'root', target: 'comfy', root: '$HOME/comfy/models' });
    expect(plain.edits[0]?.after).toContain('root: $HOME/comfy/models\n');
  });
});

describe('adding models to a target', () => {
  const a = model('a.safetensors', { type: 'checkpoint' });
  const b = model('b.safetensors', { type: 'checkpoint' });
  const pony = model('pony.safetensors', { base: 'pony' });

  it("writes ModelHub's own deployment for the target, by hash with the name as a comment, in a file of its own", () => {
    const { dir } = world(USER_FILE.replace('select: { type: checkpoint }', 'select: { type: checkpoint, base: flux }'));
    const p = plan(dir, { kind: 'deploy', target: 'comfy', models: [a] }, [a]);
    expect(p.edits.map((e) => e.file)).toEqual([join(dir, OWN_DEPLOY_FILE)]);
    expect(p.edits[0]?.before).toBeNull();
    expect(p.edits[0]?.after).toMatch(/^# Deployments made with ModelHub[^]*\nkind: Deployment\nname: modelhub-comfy\ntarget: comfy\nselect:\n {2}hash:\n {4}- "612e73616665" # a.safetensors\n$/);
    expect(p.notes).toEqual([`target comfy is disabled: its links appear once it is enabled (enabled: true in ${join(dir, 'targets.yaml')}, or c in the terminal UI)`]);
    const m = save(dir, p);
    const next = plan(dir, { kind: 'deploy', target: 'comfy', models: [b] }, [b]);
    expect(next.edits[0]?.after).toContain('    - "612e73616665" # a.safetensors\n    - "622e73616665" # b.safetensors\n');
    const enabled = { ...m, targets: m.targets.map((t) => ({ ...t, enabled: true })) };
    const declared = computeDesired({ manifests: enabled, models: [a, b], storeDir: '/hub/models' }).links.map((l) => l.model.name);
    expect(declared).toEqual(['a.safetensors']);
  });

  it('says what is declared already, and refuses a type the target has no folder for', () => {
    const { dir } = world();
    const llm = model('q.gguf', { type: 'llm', base: 'llama' });
    const p = plan(dir, { kind: 'deploy', target: 'comfy', models: [model('x.safetensors'), llm] }, [model('x.safetensors'), llm]);
    expect(p.edits).toEqual([]);
    expect(p.notes).toEqual(['x.safetensors is already declared for comfy (deployment sdxl-loras at targets.yaml:10); undeploy it first to deploy it at another path']);
    expect(p.refused[0]).toContain('q.gguf: target comfy has no folder for type llm');
    expect(plan(dir, { kind: 'deploy', target: 'forge', models: [] }).refused).toEqual([`no target named "forge" in ${dir}`]);
    expect(plan(dir, { kind: 'deploy', target: 'comfy', models: [pony] }, [pony]).edits).toHaveLength(1);
  });
});

describe('removing models from a target', () => {
  it("takes a hash out of ModelHub's own deployment, and removes the document with the last one", () => {
    const { dir } = world();
    const a = model('a.safetensors', { base: 'pony' });
    const b = model('b.safetensors', { base: 'pony' });
    save(dir, plan(dir, { kind: 'deploy', target: 'comfy', models: [a, b] }, [a, b]));
    const own = join(dir, OWN_DEPLOY_FILE);
    const one = plan(dir, { kind: 'undeploy', target: 'comfy', models: [a] }, [a]);
    expect(one.edits.map((e) => e.file)).toEqual([own]);
    expect(one.edits[0]?.after).not.toContain('a.safetensors');
    expect(one.edits[0]?.after).toContain('- "622e73616665" # b.safetensors');
    save(dir, one);
    const last = plan(dir, { kind: 'undeploy', target: 'comfy', models: [b] }, [b]);
    expect(last.edits[0]?.after).not.toContain('kind: Deployment');
    expect(last.edits[0]?.after).toMatch(/^# Deployments made with ModelHub/);
    expect(save(dir, last).deployments.map((d) => d.name)).toEqual(['sdxl-loras', 'checkpoints']);
  });

  it("excludes it from the user's own deployment, changing only that document", () => {
    const { dir } = world();
    const x = model('x.safetensors');
    const p = plan(dir, { kind: 'undeploy', target: 'comfy', models: [x] }, [x]);
    const after = p.edits[0]?.after ?? '';
    expect(after.slice(0, after.indexOf('---'))).toBe(USER_FILE.slice(0, USER_FILE.indexOf('---')));
    expect(after).toContain('select: { type: lora, base: sdxl }\nexclude:\n  hash:\n    - "782e73616665" # x.safetensors\n');
    expect(after.endsWith(USER_FILE.slice(USER_FILE.lastIndexOf('---')))).toBe(true);
    const m = save(dir, p);
    expect(m.deployments[0]?.exclude).toEqual({ hash: ['782e73616665'] });
  });

  it('refuses where an exclude with other conditions would change its meaning', () => {
    const { dir } = world();
    const c = model('c.safetensors', { type: 'checkpoint' });
    const p = plan(dir, { kind: 'undeploy', target: 'comfy', models: [c] }, [c]);
    expect(p.edits).toEqual([]);
    expect(p.refused[0]).toContain('deployment checkpoints');
    expect(plan(dir, { kind: 'undeploy', target: 'comfy', models: [model('q.gguf', { type: 'llm' })] }, [model('q.gguf', { type: 'llm' })]).notes).toEqual(['q.gguf is not declared for comfy']);
  });
});

describe('saving', () => {
  it('refuses a file that changed since its diff was shown, and writes nothing', () => {
    const { dir, file } = world();
    const p = plan(dir, { kind: 'enable', target: 'comfy', enabled: true });
    writeFileSync(file, `${USER_FILE}# edited meanwhile\n`);
    expect(() => writeManifestEdit(p)).toThrow(/changed since its diff was shown; nothing was saved/);
    expect(readFileSync(file, 'utf8')).toBe(`${USER_FILE}# edited meanwhile\n`);
  });
});
