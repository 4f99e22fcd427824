import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import type { YamlProblem } from '../../core/yaml.js';
import { findManifestFiles, loadManifests } from '../../reconcile/manifests.js';
import { cli } from '../helpers/cli.js';

let dir: string;
const env = { HOME: '/home/tester' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'modelhub-manifests-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): void {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), text);
}

/** The problems loadManifests reports, as `file:line:col: message` lines. */
function problems(opts: { storeDir?: string; hubDir?: string } = {}): string[] {
  try {
    loadManifests(dir, { env, cwd: dir, ...opts });
  } catch (err) {
    const e = err as { code: string; details: YamlProblem[]; message: string };
    expect(e.code).toBe('ERR_MODELHUB_MANIFESTS_INVALID');
    return e.details.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
  }
  throw new Error('expected the manifests to be invalid');
}

const TARGET = `kind: Target
name: comfy
root: ~/comfy
mappings:
  lora: loras
  checkpoint: checkpoints
`;

describe('loadManifests', () => {
  it('loads every *.yaml / *.yml at any depth, several documents per file, with defaults filled in', () => {
    write('targets/comfy.yaml', TARGET);
    write('deploy.yml', 'kind: Deployment\nname: all\ntarget: comfy\nselect: {}\n---\nkind: Override\nmatch: { hash: ABCDEF12 }\nset: { type: lora }\n');
    write('.hidden/skip.yaml', 'kind: Nonsense\n');
    write('notes.txt', 'kind: Nonsense\n');
    const m = loadManifests(dir, { env, cwd: dir });
    expect(m.files.map((f) => f.slice(dir.length + 1))).toEqual(['deploy.yml', 'targets/comfy.yaml']);
    expect(m.targets).toEqual([
      {
        name: 'comfy',
        displayName: 'comfy',
        rootAsWritten: '~/comfy',
        root: '/home/tester/comfy',
        enabled: true,
        links: 'absolute',
        mappings: { lora: 'loras', checkpoint: 'checkpoints' },
        paths: {},
        source: { file: 'targets/comfy.yaml', line: 1 },
      },
    ]);
    expect(m.deployments[0]).toMatchObject({ name: 'all', targets: ['comfy'], select: {}, exclude: null, path: null, enabled: true });
    expect(m.overrides[0]).toMatchObject({ label: 'deploy.yml:6', match: { hash: 'abcdef12' }, set: { type: 'lora' } });
  });

  it('accepts an empty folder (an empty desired state)', () => {
    expect(loadManifests(dir, { env, cwd: dir })).toMatchObject({ targets: [], deployments: [], overrides: [] });
  });

  it('refuses a missing folder with a hint naming init and --manifests', () => {
    expect(() => loadManifests(join(dir, 'nope'), { env })).toThrowError(
      expect.objectContaining({ code: 'ERR_MODELHUB_MANIFESTS_NOT_FOUND', hint: expect.stringMatching(/modelhub init.*--manifests/) }),
    );
  });

  it('collects every problem in every file, each at its file:line:col', () => {
    write(
      'a.yaml',
      `kind: Target
name: comfy
root: /apps/comfy
enabeld: true
mappings:
  lroa: loras
  checkpoint: ../checkpoints
  vae: /abs/vae
`,
    );
    write(
      'b.yaml',
      `kind: Deployment
name: d
target: comfyy
select:
  type: [lora, chekpoint]
  base: sdxll
path: "{base}/{nmae}"
---
kind: Deploymnet
name: x
---
kind: Override
match: { hash: xyz }
set: { type: lora }
---
kind: Target
name: comfy
root: /other
mappings: { lora: loras }
`,
    );
    write('c.yaml', 'kind: Target\nname: [oops\n');
    expect(problems()).toEqual([
      'a.yaml:4:1: unknown key "enabeld"; did you mean "enabled"?',
      'a.yaml:6:3: mappings: unknown model type "lroa"; did you mean "lora"?',
      'a.yaml:7:15: mappings.checkpoint: "../checkpoints" escapes the target root (..); to reach a folder beside models/, make root the application folder',
      'a.yaml:8:8: mappings.vae: "/abs/vae" must be a folder relative to the root',
      'b.yaml:3:9: unknown target "comfyy"; did you mean "comfy"?',
      'b.yaml:5:16: select.type[1]: unknown type "chekpoint"; did you mean "checkpoint"?',
      'b.yaml:6:9: select.base: unknown base "sdxll"; did you mean "sdxl"?',
      'b.yaml:7:7: path "{base}/{nmae}" has unknown placeholder {nmae}; did you mean "name"? (known: {name} {stem} {ext} {type} {base} {variant} {hash} {dir} {publisher} {repo} {bundle})',
      'b.yaml:9:7: kind: unknown kind "Deploymnet"; did you mean "Deployment"?',
      'b.yaml:13:16: match.hash: "xyz" is not valid (a SHA-256 prefix of 6 to 64 hex digits)',
      'b.yaml:17:7: duplicate Target name "comfy" (first defined at a.yaml:2)',
      'c.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports every problem in one error whose message lists them grouped by file', () => {
    write('z.yaml', 'kind: Target\nname: t\nroot: /x\nmappings: { lora: "../up" }\n');
    write('a.yaml', 'kind: Deployment\nname: d\ntarget: nope\nselect: { type: llm }\n');
    expect(() => loadManifests(dir, { env, cwd: dir })).toThrowError(
      [
        '2 problems in 2 manifest files:',
        'a.yaml:3:9: unknown target "nope"',
        'z.yaml:4:19: mappings.lora: "../up" escapes the target root (..); to reach a folder beside models/, make root the application folder',
      ].join('\n'),
    );
  });

  it('refuses a target root (or mapped folder) inside the store, and a deployment type no target maps', () => {
    write('t.yaml', 'kind: Target\nname: t\nroot: /hub/models/sub\nmappings: { lora: loras }\n---\nkind: Deployment\nname: d\ntarget: t\nselect: { type: [lora, vae] }\nexclude: { base: [sdxl, fluxx] }\n');
    expect(problems({ storeDir: '/hub/models' })).toEqual([
      "t.yaml:3:7: root /hub/models/sub lies inside the hub's store /hub/models; deploy into application folders only",
      "t.yaml:4:19: mappings.lora: /hub/models/sub/loras lies inside the hub's store /hub/models",
      't.yaml:9:24: select.type: "vae" has no mapping in target t; add one under mappings',
      't.yaml:10:25: exclude.base: unknown base "fluxx"; did you mean "flux"?',
    ]);
  });

  it('judges roots and mapped folders on resolved paths: / , the hub itself and the store are refused; a root holding the hub is not', () => {
    const hub = join(dir, 'hub');
    mkdirSync(join(hub, 'models'), { recursive: true });
    mkdirSync(join(dir, 'apps/comfy'), { recursive: true });
    symlinkSync(join(hub, 'models'), join(dir, 'apps/comfy/loras'));
    symlinkSync(hub, join(dir, 'apps/hub-alias'));
    write(
      't.yaml',
      [
        `kind: Target\nname: a\nroot: ${dir}/apps/comfy\nmappings: { lora: loras, checkpoint: checkpoints }`,
        `kind: Target\nname: b\nroot: ${dir}/apps/hub-alias/not-yet\nmappings: { lora: loras }`,
        `kind: Target\nname: c\nroot: ${dir}\nmappings: { lora: hub, vae: apps, checkpoint: . }`,
        `kind: Target\nname: d\nroot: ${dir}/apps/hub-alias\nmappings: { lora: loras }`,
      ].join('\n---\n') + '\n',
    );
    expect(problems({ storeDir: join(hub, 'models'), hubDir: hub })).toEqual([
      `t.yaml:4:19: mappings.lora: ${dir}/apps/comfy/loras resolves to ${hub}/models, inside the hub's store ${hub}/models`,
      `t.yaml:14:19: mappings.lora: ${dir}/hub is the hub ${hub} itself`,
      `t.yaml:18:7: root ${dir}/apps/hub-alias resolves to the hub ${hub} itself; deploy into application folders only`,
    ]);
    write('t.yaml', `kind: Target\nname: a\nroot: ${dir}/apps/hub-alias/models/x\nmappings: { lora: . }\n`);
    expect(problems({ storeDir: join(hub, 'models'), hubDir: hub })[0]).toBe(`t.yaml:3:7: root ${dir}/apps/hub-alias/models/x resolves to ${hub}/models/x, inside the hub's store ${hub}/models; deploy into application folders only`);
  });

  it('reports bad aliases as positioned problems, and expands good ones', () => {
    write('a.yaml', 'kind: Target\nname: *nope\nroot: /x\nmappings: { lora: loras }\n');
    write('b.yaml', `${TARGET}---\nkind: Deployment\nname: d\ntarget: comfy\nselect: &s { type: lora }\nexclude: *s\n---\nkind: Deployment\nname: e\ntarget: comfy\nselect: *s\n`);
    expect(problems()).toEqual([
      'a.yaml:2:7: alias *nope names no anchor; set &nope on a value before this alias',
      'b.yaml:17:9: alias *s names an anchor of an earlier document; anchors do not reach across ---, repeat the value or use one document',
    ]);
  });

  it('turns hostile YAML into problems that validate prints and exits 1 on, never a crash', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`)].join('\n');
    write('bomb.yaml', `${bomb}\n`);
    write('deep.yaml', `kind: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('kind: Target\nname: café\n', 'latin1'));
    const r = await cli(['validate', '--manifests', dir], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').slice(0, 3)).toEqual([
      'bomb.yaml:6:8: aliases copy more than 100000 values (limit 100000), which looks like an alias bomb; alias smaller values',
      'deep.yaml:1:70: nested deeper than 64 levels (limit 64); flatten the maps and lists',
      'latin1.yaml:2:10: not UTF-8 text (byte 0xE9, as in Latin-1 or binary data); save the file as UTF-8',
    ]);
  });

  it('refuses an Override name or path template that would make a hidden, invisible or broken file name, at its position', async () => {
    const names = ['a\\0b.safetensors', 'a\\eb', 'evil\\u202Egnp.safetensors', 'x.safetensors ', 'x.', '.hidden', '..', 'a/b'];
    write('o.yaml', names.map((n) => `kind: Override\nmatch: { hash: abcdef12 }\nset: { name: "${n}" }\n`).join('---\n'));
    const paths = ['.cache/{name}', '{stem}. ', 'a\\x01/{name}', '{base}/{name}.'];
    write('d.yaml', `${TARGET}${paths.map((p, i) => `---\nkind: Deployment\nname: d${i}\ntarget: comfy\nselect: {}\npath: "${p}"\n`).join('')}`);
    expect(problems()).toEqual([
      'd.yaml:12:7: path ".cache/{name}": ".cache" starts with "." (a hidden name)',
      'd.yaml:18:7: path "{stem}. " ends with a space',
      'd.yaml:24:7: path "a\\u0001/{name}": "a\\u0001" contains a control character (U+0001)',
      'd.yaml:30:7: path "{base}/{name}.": "{name}." ends with a dot',
      'o.yaml:3:14: set.name: "a\\u0000b.safetensors" contains a NUL character',
      'o.yaml:7:14: set.name: "a\\u001bb" contains a control character (U+001B)',
      'o.yaml:11:14: set.name: "evil\\u202egnp.safetensors" contains a bidirectional-text control (U+202E), which makes it display as something else',
      'o.yaml:15:14: set.name: "x.safetensors " ends with a space',
      'o.yaml:19:14: set.name: "x." ends with a dot',
      'o.yaml:23:14: set.name: ".hidden" starts with "." (a hidden name)',
      'o.yaml:27:14: set.name: ".." starts with "." (a hidden name)',
      'o.yaml:31:14: set.name: "a/b" contains a / or \\; a name is one file name',
    ]);
    const r = await cli(['validate', '--manifests', dir], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('o.yaml:3:14: set.name: "a\\u0000b.safetensors" contains a NUL character');
  });

  it('refuses a root naming an unset variable, naming it, and takes a ${VAR:-default}', () => {
    write('t.yaml', 'kind: Target\nname: comfy\nroot: ${COMFY_ROOT}/models\nmappings: { lora: loras }\n');
    expect(problems()).toEqual(['t.yaml:3:7: root: environment variable COMFY_ROOT is not set (in "${COMFY_ROOT}/models"); set it, or give a default: ${COMFY_ROOT:-/some/path}']);
    write('t.yaml', 'kind: Target\nname: comfy\nroot: ${COMFY_ROOT:-/opt/comfy}/models\nmappings: { lora: loras }\n');
    expect(loadManifests(dir, { env, cwd: dir }).targets[0]?.root).toBe('/opt/comfy/models');
    expect(loadManifests(dir, { env: { ...env, COMFY_ROOT: '/srv/comfy' }, cwd: dir }).targets[0]?.root).toBe('/srv/comfy/models');
  });

  it('accepts the shipped default manifests, and the commented examples once uncommented', () => {
    cpSync(join(packageRoot(), 'manifests'), dir, { recursive: true });
    const m = loadManifests(dir, { env, cwd: dir });
    expect(m.targets.map((t) => [t.name, t.enabled])).toEqual([
      ['comfyui', false],
      ['forge', false],
      ['image-upscale', false],
      ['llama-cpp', false],
      ['lmstudio', false],
      ['text-generation-webui', false],
      ['wan', false],
    ]);
    expect(m.targets.find((t) => t.name === 'lmstudio')).toMatchObject({ root: '/home/tester/.lmstudio/models', mappings: { llm: '' }, paths: { llm: "{publisher|'modelhub'}/{repo|stem}/{name}" } });
    expect(m.targets.find((t) => t.name === 'forge')).toMatchObject({
      root: '/home/tester/pinokio/api/stable-diffusion-webui-forge.git/app',
      mappings: { checkpoint: 'models/Stable-diffusion', lora: 'models/Lora', embedding: 'embeddings' },
    });
    expect(m.deployments).toEqual([]);
    writeFileSync(join(dir, 'examples.yaml'), uncommentExamples(readFileSync(join(dir, 'examples.yaml'), 'utf8')));
    const withExamples = loadManifests(dir, { env, cwd: dir });
    expect(withExamples.deployments.map((d) => d.name)).toEqual(['sdxl-basics', 'everything-comfy', 'local-llms']);
    expect(withExamples.deployments.map((d) => d.path)).toEqual(['{dir}/{name}', '{dir}/{name}', null]);
    expect(withExamples.overrides.map((o) => o.label)).toEqual(['my-flux-lora']);
  });
});

/** Every `# ---` block of examples.yaml without its comment marks. */
function uncommentExamples(text: string): string {
  const out: string[] = [];
  let inDoc = false;
  for (const line of text.split('\n')) {
    if (line === '# ---') inDoc = true;
    if (inDoc && line.startsWith('#')) out.push(line.replace(/^# ?/, ''));
    else inDoc = false;
  }
  return `${out.join('\n')}\n`;
}

describe('findManifestFiles', () => {
  it('lists *.yaml and *.yml at any depth, sorted, following symlinks, skipping dot names, node_modules and other files', () => {
    for (const f of ['b.yaml', 'a/c.yml', 'a/deep/d.yaml', '.hidden.yaml', '.git/x.yaml', 'node_modules/pkg/m.yaml', 'notes.txt', 'a/readme.md']) write(f, 'kind: Target\n');
    mkdirSync(join(dir, 'a/empty'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'modelhub-manifests-linked-'));
    try {
      writeFileSync(join(elsewhere, 'linked.yaml'), 'kind: Target\n');
      symlinkSync(elsewhere, join(dir, 'shared'));
      symlinkSync(join(elsewhere, 'linked.yaml'), join(dir, 'alias.yaml'));
      symlinkSync(join(dir, 'gone.yaml'), join(dir, 'broken.yaml'));
      symlinkSync(dir, join(dir, 'a/loop'));
      expect(findManifestFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(['a/c.yml', 'a/deep/d.yaml', 'alias.yaml', 'b.yaml', 'shared/linked.yaml']);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
