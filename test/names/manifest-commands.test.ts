/**
 * Imperative shortcuts that stay GitOps (issue 12): `rename`, `deploy` and `undeploy` edit the
 * manifests (comments and order kept), print the file's diff and then the plan; `--apply`
 * carries the plan out. Real files, a real hub, real links.
 */
import { existsSync, mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scalarText } from '../../reconcile/yaml-edit.js';
import { deployAllLoras, writeLora } from '../housekeeping/helpers.js';
import { hashesByName, makeWorld, mh, mhOk, writeText, type World } from '../helpers/world.js';

const COMFY_TARGET = (root: string): string => `# my ComfyUI\nkind: Target\nname: comfy\nroot: ${root} # the portable install\nmappings:\n  lora: loras\n`;

async function libraryOfTwo(): Promise<{ w: World; a: string; b: string; comfy: string }> {
  const w = makeWorld();
  await writeLora(w, 'a.safetensors', { seed: 1 });
  await writeLora(w, 'b.safetensors', { seed: 2 });
  await mhOk(w, ['scan', '-q', w.dl]);
  const comfy = join(w.apps, 'comfy');
  mkdirSync(comfy, { recursive: true });
  const h = hashesByName(w);
  return { w, a: h['a.safetensors'] as string, b: h['b.safetensors'] as string, comfy };
}

describe('modelhub rename', () => {
  it('writes an Override to ModelHub’s file, prints its diff and the plan; a second rename edits it in place; --apply relinks', async () => {
    const { w, a, comfy } = await libraryOfTwo();
    deployAllLoras(w);
    await mhOk(w, ['apply', '--yes']);
    const own = join(w.manifests, 'modelhub-deploy.yaml');

    const r = await mhOk(w, ['rename', 'a.safetensors', 'detail.safetensors']);
    const text = readFileSync(own, 'utf8');
    expect(text).toMatch(/^# Deployments made with ModelHub/);
    expect(text).toContain(`kind: Override\nname: modelhub-rename-${a.slice(0, 12)}\nmatch:\n  hash: ${a.slice(0, 12)} # a.safetensors\nset:\n  name: detail.safetensors\n`);
    expect(r.stdout).toContain(`--- /dev/null\n+++ ${own}`);
    expect(r.stdout).toContain('+  name: detail.safetensors');
    expect(r.stdout).toContain(`Wrote ${own}.`);
    expect(r.stdout).toContain('    -a.safetensors\n     b.safetensors\n    +detail.safetensors');
    expect(r.stdout).toContain('1 override to record');
    expect(r.stderr).toContain('Run `modelhub apply`');
    expect(readlinkSync(join(comfy, 'loras', 'a.safetensors'))).toContain(a);

    const again = await mhOk(w, ['rename', a.slice(0, 8), 'tweak.safetensors', '--apply']);
    expect(again.stdout).toContain('-  name: detail.safetensors\n+  name: tweak.safetensors');
    expect(readFileSync(own, 'utf8').match(/kind: Override/g)).toHaveLength(1);
    expect(again.stdout).toContain('Apply complete!');
    expect(readlinkSync(join(comfy, 'loras', 'tweak.safetensors'))).toContain(a);
    expect(existsSync(join(comfy, 'loras', 'a.safetensors'))).toBe(false);
    expect((await mhOk(w, ['plan'])).stdout).toContain('No changes.');
  });

  it('refuses a name the link-name rules refuse, or one without the model’s extension, writing nothing', async () => {
    const { w } = await libraryOfTwo();
    writeText(join(w.manifests, 'comfy.yaml'), COMFY_TARGET(join(w.apps, 'comfy')));
    for (const [name, why] of [
      ['detail.', 'ends with a dot'],
      ['.detail.safetensors', 'starts with "." (a hidden name)'],
      ['sub/detail.safetensors', 'contains a / or \\'],
      ['detail', 'does not end in .safetensors'],
    ] as const) {
      const r = await mh(w, ['rename', 'a.safetensors', name]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error: modelhub rename cannot change the manifests; nothing was written:');
      expect(r.stderr).toContain(why);
    }
    expect(existsSync(join(w.manifests, 'modelhub-deploy.yaml'))).toBe(false);
  });

  it('refuses when an Override naming models by a glob is in force, naming its file and line', async () => {
    const { w } = await libraryOfTwo();
    writeText(join(w.manifests, 'comfy.yaml'), `${COMFY_TARGET(join(w.apps, 'comfy'))}---\nkind: Override\nmatch: { name: "a*" }\nset: { name: all-a.safetensors }\n`);
    const r = await mh(w, ['rename', 'a.safetensors', 'detail.safetensors']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('comfy.yaml:8) sets the name of every model it matches');
  });
});

describe('modelhub deploy and undeploy', () => {
  it('deploy writes ModelHub’s Deployment (diff, plan), --apply links; undeploy drops the hash and removes the link; the user’s file keeps its comments', async () => {
    const { w, a, b, comfy } = await libraryOfTwo();
    const targetFile = join(w.manifests, 'comfy.yaml');
    writeText(targetFile, COMFY_TARGET(comfy));
    const own = join(w.manifests, 'modelhub-deploy.yaml');

    const r = await mhOk(w, ['deploy', 'a.safetensors', '--target', 'comfy']);
    expect(r.stdout).toContain(`+++ ${own}`);
    expect(r.stdout).toContain(`+name: modelhub-comfy\n+target: comfy\n+select:\n+  hash:\n+    - ${scalarText(a.slice(0, 12))} # a.safetensors`);
    expect(r.stdout).toContain('+ link');
    expect(r.stdout).toContain('Plan: 1 to link');
    expect(existsSync(join(comfy, 'loras', 'a.safetensors'))).toBe(false);

    const applied = await mhOk(w, ['deploy', 'b.safetensors', '--target', 'comfy', '--apply', '--json']);
    const out = applied.json<{ files: string[]; diff: string[]; plan: { summary: { create: number } }; result: { created: string[] } }>();
    expect(out.files).toEqual([own]);
    expect(out.diff).toContain(`+    - ${scalarText(b.slice(0, 12))} # b.safetensors`);
    expect(out.result.created.sort()).toEqual([join(comfy, 'loras', 'a.safetensors'), join(comfy, 'loras', 'b.safetensors')]);
    expect(readlinkSync(join(comfy, 'loras', 'b.safetensors'))).toContain(b);

    const again = await mhOk(w, ['deploy', 'a.safetensors', '--target', 'comfy']);
    expect(again.stdout).toContain('The manifests already say so; nothing was written.');
    expect(again.stdout).toContain('note: a.safetensors is already declared for comfy (deployment modelhub-comfy');

    const un = await mhOk(w, ['undeploy', 'a.safetensors', '--target', 'comfy', '--apply']);
    expect(un.stdout).toContain(`-    - `);
    expect(un.stdout).toContain('Apply complete! 0 linked, 0 relinked, 1 removed');
    expect(existsSync(join(comfy, 'loras', 'a.safetensors'))).toBe(false);
    expect(readFileSync(own, 'utf8')).not.toContain(a.slice(0, 12));
    expect(readFileSync(targetFile, 'utf8')).toBe(COMFY_TARGET(comfy));
  });

  it('--path makes a Deployment of its own for the template; a bad template is refused', async () => {
    const { w, comfy } = await libraryOfTwo();
    writeText(join(w.manifests, 'comfy.yaml'), COMFY_TARGET(comfy));
    await mhOk(w, ['deploy', 'a.safetensors', '--target', 'comfy', '--path', 'mine/{name}', '--apply']);
    expect(readFileSync(join(w.manifests, 'modelhub-deploy.yaml'), 'utf8')).toContain('name: modelhub-comfy-mine-name\ntarget: comfy\npath: "mine/{name}"\n');
    expect(readlinkSync(join(comfy, 'loras', 'mine', 'a.safetensors'))).toContain('models');
    const bad = await mh(w, ['deploy', 'b.safetensors', '--target', 'comfy', '--path', '../{name}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('must not go up (..)');
  });

  it('undeploy of a model your own Deployment selects adds an exclude by hash to that Deployment, shown in the diff, comments kept', async () => {
    const { w, a, comfy } = await libraryOfTwo();
    const file = join(w.manifests, 'comfy.yaml');
    writeText(file, `${COMFY_TARGET(comfy)}---\n# every LoRA\nkind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora } # all of them\n`);
    await mhOk(w, ['apply', '--yes']);
    const r = await mhOk(w, ['undeploy', 'a.safetensors', '--target', 'comfy', '--apply']);
    expect(r.stdout).toContain(`+++ ${file}`);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# every LoRA\n');
    expect(text).toContain('# all of them');
    expect(text).toContain(`exclude:\n  hash:\n    - ${a.slice(0, 12)} # a.safetensors`);
    expect(text.startsWith(COMFY_TARGET(comfy))).toBe(true);
    expect(existsSync(join(comfy, 'loras', 'a.safetensors'))).toBe(false);
    expect(existsSync(join(comfy, 'loras', 'b.safetensors'))).toBe(true);
  });
});
