/**
 * Companion files deployed beside their model's links, on real folders through the CLI: each
 * link gets the model's previews and metadata under its own stem, owned and recorded like the
 * link, removed with it, never in place of a user's file.
 */
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveCompanionLinks, type ModelLinkShape } from '../../reconcile/companion-links.js';
import { planReconcile } from '../../reconcile/plan.js';
import type { DesiredLink } from '../../reconcile/desired.js';
import type { Plan } from '../../reconcile/plan-types.js';
import type { EjectedFile } from '../../store/ejected.js';
import { STORE, actual, desired, file, hash, link, planInput, recorded } from './builders.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { execSql, hashesByName, makeWorld, mhOk, query, storeDir, writeManifest, type World } from '../helpers/world.js';

const LORA = [{ name: 'lora_unet_single_blocks_0_linear1.lora_down.weight', shape: [16, 3072] }];

/** A downloaded LoRA `dl/flux/<name>` with a preview and a CivitAI info file beside it, scanned (copy mode), and a comfy target. */
async function world(opts: { links?: 'relative' } = {}): Promise<{ w: World; comfy: string; hash: string; flux: string }> {
  const w = makeWorld({ hub: true });
  const flux = join(w.dl, 'flux');
  mkdirSync(flux, { recursive: true });
  await writeSafetensors(join(flux, 'retro.safetensors'), LORA, { fill: 'random', seed: 1 });
  writeFileSync(join(flux, 'retro.preview.png'), 'PNG preview bytes');
  writeFileSync(join(flux, 'retro.civitai.info'), '{"trainedWords": ["retro"]}');
  await mhOk(w, ['scan', '--copy', '--no-settle', w.dl]);
  const hash = hashesByName(w)['retro.safetensors'] as string;
  execSql(w, "UPDATE models SET primary_type = 'lora', base_model = 'flux'");
  const comfy = join(w.apps, 'comfy');
  mkdirSync(comfy, { recursive: true });
  writeManifest(w, 'comfy.yaml', `kind: Target\nname: comfy\nroot: ${comfy}\n${opts.links ? `links: ${opts.links}\n` : ''}mappings: { lora: loras }\n`);
  writeManifest(w, 'deploy.yaml', 'kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\npath: "flux/{name}"\n');
  return { w, comfy, hash, flux };
}

function linkText(path: string): string {
  expect(lstatSync(path).isSymbolicLink(), `${path} is a symlink`).toBe(true);
  return readlinkSync(path);
}

async function planJson(w: World): Promise<Plan> {
  return (await mhOk(w, ['plan', '--json'], 0)).json<Plan>();
}

describe('apply links companion files beside every deployed link', () => {
  it('links the preview and metadata under the link\'s stem, records them as companions, and a second apply changes nothing', async () => {
    const { w, comfy, hash } = await world();
    const plan = await mhOk(w, ['plan']);
    expect(plan.stdout).toContain('+ loras/flux/retro.safetensors  → retro.safetensors');
    expect(plan.stdout).toContain('+ 2 companion files: retro.civitai.info, retro.preview.png');
    expect(plan.stdout).toContain('Plan: 1 to link, 0 to relink, 0 to remove, 2 companion files to link, 0 conflicts.');
    const applied = await mhOk(w, ['apply', '--yes']);
    expect(applied.stdout).toContain('Apply complete! 1 linked, 0 relinked, 0 removed, 2 companion files linked.');
    const folder = join(comfy, 'loras', 'flux');
    expect(readdirSync(folder).sort()).toEqual(['retro.civitai.info', 'retro.preview.png', 'retro.safetensors']);
    expect(linkText(join(folder, 'retro.preview.png'))).toBe(join(storeDir(w, hash), 'retro.preview.png'));
    expect(readFileSync(join(folder, 'retro.civitai.info'), 'utf8')).toBe('{"trainedWords": ["retro"]}');
    expect(query(w, 'SELECT link_path AS path, companion_of AS of FROM deploy_links ORDER BY link_path')).toEqual([
      { path: join(folder, 'retro.civitai.info'), of: join(folder, 'retro.safetensors') },
      { path: join(folder, 'retro.preview.png'), of: join(folder, 'retro.safetensors') },
      { path: join(folder, 'retro.safetensors'), of: null },
    ]);
    const again = await mhOk(w, ['apply', '--yes']);
    expect(again.stdout).toContain('No changes. Target folders match the manifests (1 link in sync).');
    await mhOk(w, ['plan', '--detailed-exitcode'], 0);
  });

  it('follows a renamed deploy name (Override set.name) and removes the companions of the old name', async () => {
    const { w, comfy, hash } = await world();
    await mhOk(w, ['apply', '--yes']);
    writeManifest(w, 'rename.yaml', `kind: Override\nmatch: { hash: ${hash.slice(0, 12)} }\nset: { name: retro_anime_flux_v1.safetensors }\n`);
    const plan = await planJson(w);
    expect(plan.summary).toMatchObject({ create: 1, delete: 1, companions: { link: 2, remove: 2 } });
    await mhOk(w, ['apply', '--yes']);
    const folder = join(comfy, 'loras', 'flux');
    expect(readdirSync(folder).sort()).toEqual(['retro_anime_flux_v1.civitai.info', 'retro_anime_flux_v1.preview.png', 'retro_anime_flux_v1.safetensors']);
    expect(linkText(join(folder, 'retro_anime_flux_v1.preview.png'))).toBe(join(storeDir(w, hash), 'retro.preview.png'));
    await mhOk(w, ['plan', '--detailed-exitcode'], 0);
  });

  it('leaves a user\'s own file at a companion path alone, with a note, and never makes it a conflict', async () => {
    const { w, comfy } = await world();
    const folder = join(comfy, 'loras', 'flux');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'retro.preview.png'), 'my own thumbnail');
    const before = statSync(join(folder, 'retro.preview.png'), { bigint: true });
    const plan = await mhOk(w, ['plan']);
    expect(plan.stdout).toContain('1 companion file not linked (never replaced; the model\'s link is planned as usual):');
    expect(plan.stdout).toContain('comfy: loras/flux/retro.preview.png  foreign-file: file, 16 bytes; left alone');
    await mhOk(w, ['apply', '--yes']);
    const after = statSync(join(folder, 'retro.preview.png'), { bigint: true });
    expect([after.ino, after.mtimeNs, readFileSync(join(folder, 'retro.preview.png'), 'utf8')]).toEqual([before.ino, before.mtimeNs, 'my own thumbnail']);
    expect(lstatSync(join(folder, 'retro.civitai.info')).isSymbolicLink()).toBe(true);
    const again = await mhOk(w, ['apply', '--yes']);
    expect(again.stdout).toContain('No changes.');
  });

  it('a companion link the user replaced by a file of their own is forgotten, the file kept', async () => {
    const { w, comfy } = await world();
    await mhOk(w, ['apply', '--yes']);
    const preview = join(comfy, 'loras', 'flux', 'retro.preview.png');
    unlinkSync(preview);
    writeFileSync(preview, 'a better thumbnail');
    const plan = await planJson(w);
    expect(plan.changes.map((c) => [c.action, c.relPath])).toEqual([['forget', 'loras/flux/retro.preview.png']]);
    await mhOk(w, ['apply', '--yes']);
    expect(readFileSync(preview, 'utf8')).toBe('a better thumbnail');
    expect(query(w, 'SELECT COUNT(*) AS n FROM deploy_links WHERE link_path = ?', preview)).toEqual([{ n: 0 }]);
    expect((await mhOk(w, ['apply', '--yes'])).stdout).toContain('No changes.');
  });

  it('removes the companion links with the model\'s link when it is undeployed, and only those', async () => {
    const { w, comfy, flux } = await world();
    await mhOk(w, ['apply', '--yes']);
    const folder = join(comfy, 'loras', 'flux');
    writeFileSync(join(folder, 'retro.json'), '{"mine": true}');
    writeManifest(w, 'deploy.yaml', 'kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\nexclude: { name: "retro*" }\n');
    await mhOk(w, ['apply', '--yes', '--allow-empty']);
    expect(readdirSync(folder)).toEqual(['retro.json']);
    expect(query(w, 'SELECT COUNT(*) AS n FROM deploy_links')).toEqual([{ n: 0 }]);
    expect(readdirSync(flux).sort()).toEqual(['retro.civitai.info', 'retro.preview.png', 'retro.safetensors']);
    expect(lstatSync(join(flux, 'retro.preview.png')).isFile()).toBe(true);
  });

  it('writes relative companion links for a target with links: relative', async () => {
    const { w, comfy, hash } = await world({ links: 'relative' });
    await mhOk(w, ['apply', '--yes']);
    const preview = join(comfy, 'loras', 'flux', 'retro.preview.png');
    expect(join(dirname(preview), linkText(preview))).toBe(join(storeDir(w, hash), 'retro.preview.png'));
    expect(linkText(preview).startsWith('..')).toBe(true);
  });
});

describe('store commands with companion links deployed', () => {
  it('gc refuses a deleted model while its links stand, then removes the folder with its companions; verify sees nothing unexpected; export lists the model link only', async () => {
    const { w, comfy, hash } = await world();
    await mhOk(w, ['apply', '--yes']);
    const verify = await mhOk(w, ['verify', '--json']);
    expect(verify.json<{ unexpected: unknown[]; ok: number }>()).toMatchObject({ unexpected: [], ok: 1 });
    const exported = await mhOk(w, ['export', '--json', '-']);
    expect(JSON.parse(exported.stdout).models[0].deployments).toEqual([{ target: 'comfy', path: join(comfy, 'loras', 'flux', 'retro.safetensors') }]);
    await mhOk(w, ['delete', '--yes', hash.slice(0, 12)]);
    const refused = await mhOk(w, ['gc', '--json'], 0);
    expect(refused.json<{ plan: { refused: Array<{ deployed: unknown[] }> } }>().plan.refused[0]?.deployed).toHaveLength(3);
    await mhOk(w, ['apply', '--yes', '--allow-empty']);
    expect(lstatSync(join(comfy, 'loras'), { throwIfNoEntry: false })).toBeUndefined();
    await mhOk(w, ['gc', '--yes']);
    expect(lstatSync(storeDir(w, hash), { throwIfNoEntry: false })).toBeUndefined();
  });
});

describe('deriveCompanionLinks (pure)', () => {
  const link = (path: string, hash: string): ModelLinkShape => ({
    target: 't',
    path: `/apps/loras/${path}`,
    relPath: `loras/${path}`,
    model: { hash, name: path, unsafe: true as const },
    storeFile: `/hub/models/${hash}/${basename(path)}`,
    linkTarget: `/hub/models/${hash}/${basename(path)}`,
    deployment: 'd',
  });

  it('leaves out a companion path two links in one folder would both give, and keeps a fixed name only beside adapter_model.*', () => {
    const companions = new Map([
      ['a'.repeat(64), [{ role: '.preview.png', name: 'x.preview.png' }]],
      ['b'.repeat(64), [{ role: '.preview.png', name: 'x.preview.png' }, { role: 'adapter_config.json', name: 'adapter_config.json' }]],
    ]);
    const out = deriveCompanionLinks([link('x.safetensors', 'a'.repeat(64)), link('x.ckpt', 'b'.repeat(64)), link('peft/adapter_model.safetensors', 'b'.repeat(64))], companions);
    expect(out.links.map((l) => [l.relPath, l.storeFile, l.companionOf, 'unsafe' in l.model])).toEqual([
      ['loras/peft/adapter_config.json', `/hub/models/${'b'.repeat(64)}/adapter_config.json`, '/apps/loras/peft/adapter_model.safetensors', false],
      ['loras/peft/adapter_model.preview.png', `/hub/models/${'b'.repeat(64)}/x.preview.png`, '/apps/loras/peft/adapter_model.safetensors', false],
    ]);
    expect(out.skipped.map((s) => [s.relPath, s.found])).toEqual([
      ['loras/x.preview.png', '2 links in this folder would each put a companion here (x.safetensors, x.ckpt)'],
      ['loras/x.preview.png', '2 links in this folder would each put a companion here (x.safetensors, x.ckpt)'],
    ]);
  });
});

describe('planning companion links (pure)', () => {
  const a = desired('loras/a.safetensors', 'a.safetensors');
  const preview = (over: Partial<DesiredLink> = {}): DesiredLink =>
    desired('loras/a.preview.png', 'a.safetensors', { storeFile: `${STORE}/${hash('a.safetensors')}/a.preview.png`, linkTarget: `${STORE}/${hash('a.safetensors')}/a.preview.png`, companionOf: a.path, ...over });

  it('a companion whose store copy is gone is a note, not a conflict, and its owned link is removed', () => {
    const p = preview();
    const plan = planReconcile(
      planInput({
        desired: [a],
        companionLinks: [p],
        recorded: [recorded(a.path, 'a.safetensors'), { ...recorded(p.path, 'a.safetensors'), linkTarget: p.linkTarget, companionOf: a.path }],
        actual: actual({ [a.path]: link(a.linkTarget), [p.path]: link(p.linkTarget) }, { missingStoreFiles: new Set([p.storeFile]) }),
      }),
    );
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes.map((c) => [c.action, c.relPath, c.companionOf])).toEqual([['delete', 'loras/a.preview.png', a.path]]);
    expect(plan.companionNotes?.map((n) => n.found)).toEqual([`store-file-missing: ${p.storeFile} is missing; left alone`]);
    expect(plan.summary).toMatchObject({ delete: 0, inSync: 1, companions: { link: 0, remove: 1 } });
  });

  it('a model whose declared path is held by an ejected copy gets no companions there', () => {
    const p = preview();
    const ejectedAt: EjectedFile = { path: a.path, hash: a.model.hash, was: 'deployed', state: 'done', tempPath: null, dev: null, ino: 1, size: 10 } as EjectedFile;
    const plan = planReconcile(
      planInput({
        desired: [a],
        companionLinks: [p],
        recorded: [{ ...recorded(p.path, 'a.safetensors'), linkTarget: p.linkTarget, companionOf: a.path }],
        ejected: new Map([[a.path, ejectedAt]]),
        actual: actual({ [a.path]: file(10), [p.path]: link(p.linkTarget) }),
      }),
    );
    expect(plan.ejected?.map((e) => e.relPath)).toEqual(['loras/a.safetensors']);
    expect(plan.changes.map((c) => [c.action, c.relPath])).toEqual([['delete', 'loras/a.preview.png']]);
    expect(plan.companionNotes).toBeUndefined();
  });
});
