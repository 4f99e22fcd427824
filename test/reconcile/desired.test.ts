import { describe, expect, it } from 'vitest';
import { computeDesired, describeClash } from '../../reconcile/desired.js';
import type { OverrideSpec } from '../../reconcile/manifest-types.js';
import { applyOverrideEffects, computeOverrideEffects, planOverrideChanges, type InventoryModel } from '../../reconcile/overrides.js';
import { checkTemplate, renderTemplate, templateValues } from '../../reconcile/template.js';
import { STORE, deployment, hash, manifests, model, target } from './builders.js';

const lora = model('a.safetensors');
const ckpt = model('b.safetensors', { type: 'checkpoint', base: 'sd15' });
const llm = model('c.gguf', { type: 'llm', base: 'llama', format: 'gguf' });

describe('computeDesired', () => {
  it('deploys every mapped model with select: {} and skips types the target does not map', () => {
    const links = computeDesired({ manifests: manifests(), models: [lora, ckpt, llm], storeDir: STORE }).links;
    expect(links.map((l) => l.relPath)).toEqual(['checkpoints/b.safetensors', 'loras/a.safetensors']);
    expect(links[1]).toMatchObject({ target: 'comfy', path: '/apps/comfy/loras/a.safetensors', storeFile: `${STORE}/${hash('a.safetensors')}/a.safetensors`, deployment: 'all' });
    expect(links[1]!.linkTarget).toBe(links[1]!.storeFile);
  });

  it('applies select (any-of lists, all-of keys), exclude and the path template', () => {
    const dep = deployment('d', { select: { type: ['lora', 'checkpoint'], base: ['sdxl'] }, exclude: { name: ['*-OLD*'] }, path: '{base}/{stem}-{hash}.{ext}' });
    const old = model('x-old-1.safetensors');
    const links = computeDesired({ manifests: manifests({ deployments: [dep] }), models: [lora, ckpt, old], storeDir: STORE }).links;
    expect(links.map((l) => l.relPath)).toEqual([`loras/sdxl/a-${hash('a.safetensors').slice(0, 12)}.safetensors`]);
  });

  it('makes relative links from the link folder when the target says links: relative', () => {
    const t = target('comfy', { root: '/hub/apps/comfy', links: 'relative' });
    const [l] = computeDesired({ manifests: manifests({ targets: [t] }), models: [lora], storeDir: '/hub/models' }).links;
    expect(l!.linkTarget).toBe(`../../../models/${hash('a.safetensors')}/a.safetensors`);
  });

  it('declares nothing for disabled targets and disabled deployments', () => {
    expect(computeDesired({ manifests: manifests({ targets: [target('comfy', { enabled: false })] }), models: [lora], storeDir: STORE }).links).toEqual([]);
    expect(computeDesired({ manifests: manifests({ deployments: [deployment('all', { enabled: false })] }), models: [lora], storeDir: STORE }).links).toEqual([]);
  });

  it('keeps to one target with onlyTarget', () => {
    const m = manifests({ targets: [target('comfy'), target('forge')], deployments: [deployment('all', { targets: ['comfy', 'forge'] })] });
    expect(computeDesired({ manifests: m, models: [lora], storeDir: STORE, onlyTarget: 'forge' }).links.map((l) => l.target)).toEqual(['forge']);
  });

  it('makes one link when two deployments put the same model on the same path', () => {
    const m = manifests({ deployments: [deployment('one'), deployment('two', { select: { type: ['lora'] } })] });
    const links = computeDesired({ manifests: m, models: [lora], storeDir: STORE }).links;
    expect(links).toHaveLength(1);
    expect(links[0]!.deployment).toBe('one');
  });

  it('returns two models landing on one path as a clash naming both and their deployments, and keeps the other links', () => {
    const twin = model('a.safetensors', { hash: hash('twin') });
    const m = manifests({ deployments: [deployment('one'), deployment('two')] });
    const { links, clashes } = computeDesired({ manifests: m, models: [lora, twin, ckpt], storeDir: STORE });
    expect(links.map((l) => l.relPath)).toEqual(['checkpoints/b.safetensors']);
    expect(clashes).toEqual([
      {
        path: '/apps/comfy/loras/a.safetensors',
        claims: [
          { target: 'comfy', relPath: 'loras/a.safetensors', model: { hash: hash('a.safetensors'), name: 'a.safetensors' }, deployments: ['one', 'two'] },
          { target: 'comfy', relPath: 'loras/a.safetensors', model: { hash: hash('twin'), name: 'a.safetensors' }, deployments: ['one', 'two'] },
        ],
      },
    ]);
    expect(describeClash(clashes[0]!)).toBe('/apps/comfy/loras/a.safetensors: a.safetensors (612e73616665, deployments one, two, target comfy) and a.safetensors (7477696e0000, deployments one, two, target comfy)');
  });
});

describe('overrides', () => {
  const inv = (name: string, over: Partial<InventoryModel> = {}): InventoryModel => ({ hash: hash(name), filename: name, name, format: 'safetensors', size: 1, type: 'unknown', base: 'unknown', variant: null, deleted: false, ...over });
  const ov = (label: string, match: OverrideSpec['match'], set: OverrideSpec['set']): OverrideSpec => ({ label, match, set, source: { file: 'o.yaml', line: 1 } });

  it('change what deployments select: type, base, variant, deploy name and tags (last wins, tags add up)', () => {
    const models = [inv('mystery.safetensors'), inv('other.safetensors', { type: 'vae', base: 'sdxl' })];
    const effects = computeOverrideEffects(models, [
      ov('first', { name: 'myst*' }, { type: 'lora', base: 'sdxl', tags: ['a'] }),
      ov('second', { hash: hash('mystery.safetensors').slice(0, 8) }, { base: 'flux', name: 'nice.safetensors', tags: ['b'] }),
    ]);
    const [m, other] = applyOverrideEffects(models, effects);
    expect(m).toMatchObject({ type: 'lora', base: 'flux', name: 'nice.safetensors', filename: 'mystery.safetensors', tags: ['a', 'b'] });
    expect(other).toMatchObject({ type: 'vae', base: 'sdxl', name: 'other.safetensors', tags: [] });
    const links = computeDesired({ manifests: manifests({ deployments: [deployment('tagged', { select: { tag: ['b'] } })] }), models: [m!, other!], storeDir: STORE }).links;
    expect(links.map((l) => l.relPath)).toEqual(['loras/nice.safetensors']);
    expect(links[0]!.storeFile).toBe(`${STORE}/${hash('mystery.safetensors')}/mystery.safetensors`);
  });

  it('plan inventory updates: record new effects, update changed ones, remove dropped ones', () => {
    const models = [inv('a'), inv('b'), inv('c'), inv('gone', { deleted: true })];
    const effects = computeOverrideEffects(models, [ov('x', { name: 'a' }, { type: 'lora' }), ov('y', { name: 'b' }, { base: 'flux' }), ov('z', { name: 'gone' }, { type: 'vae' })]);
    const records = [
      { hash: hash('b'), type: null, base: 'sdxl', variant: null, deployName: null, tags: [] },
      { hash: hash('c'), type: 'vae', base: null, variant: null, deployName: null, tags: [] },
    ];
    expect(planOverrideChanges(models, effects, records).map((c) => [c.model.name, c.action, c.set])).toEqual([
      ['a', 'record', { type: 'lora' }],
      ['b', 'update', { base: 'flux' }],
      ['c', 'remove', undefined],
    ]);
  });
});

describe('path templates', () => {
  it('accepts known placeholders and renders them, dropping empty segments', () => {
    expect(checkTemplate('{base}/{variant}/{name}')).toBeUndefined();
    expect(renderTemplate('{base}/{variant}/{name}', templateValues({ name: 'x.safetensors', type: 'lora', base: 'sdxl', variant: null, hash: hash('x') }))).toBe('sdxl/x.safetensors');
  });

  it.each([
    ['/abs/{name}', /must be relative/],
    ['{base}/../{name}', /must not go up/],
    ['{bsae}/{name}', /unknown placeholder \{bsae\}; did you mean "base"\?/],
    ['{base}/{name', /unbalanced/],
    ['{base}/fixed.safetensors', /must contain \{name\}, \{stem\} or \{hash\}/],
    ['{repo|stem}/x.gguf', /must contain \{name\}, \{stem\} or \{hash\}/],
    ["{publisher|'a'|repo}/{name}", /literal text "a" before another alternative in \{publisher\|'a'\|repo\}; literal text comes last/],
    ["{publisher|'.hidden'}/{name}", /literal text ".hidden" in .* starts with "\."/],
    ['{publisher|rpeo}/{name}', /unknown placeholder \{rpeo\}; did you mean "repo"\?/],
  ])('rejects %s', (template, message) => {
    expect(checkTemplate(template)).toMatch(message);
  });

  const place = { dir: 'flux/styles', publisher: '', repo: 'Qwen/2', bundle: '' };
  const values = templateValues({ name: 'x.gguf', type: 'llm', base: 'qwen2', variant: null, hash: hash('x') }, place);

  it('keeps the / of {dir} (a path) and turns any other value’s / into _', () => {
    expect(renderTemplate('{dir}/{name}', values)).toBe('flux/styles/x.gguf');
    expect(renderTemplate('{repo}/{name}', values)).toBe('Qwen_2/x.gguf');
    expect(renderTemplate('{dir}/{name}', templateValues({ name: 'x.gguf', type: 'llm', base: 'qwen2', variant: null, hash: hash('x') }))).toBe('x.gguf');
  });

  it('takes the first non-empty alternative, literal text last', () => {
    expect(checkTemplate("{publisher|'modelhub'}/{repo|stem}/{name}")).toBeUndefined();
    expect(renderTemplate("{publisher|'modelhub'}/{repo|stem}/{name}", values)).toBe('modelhub/Qwen_2/x.gguf');
    expect(renderTemplate('{publisher|bundle}/{name}', values)).toBe('x.gguf');
    expect(renderTemplate('{bundle|stem}/{name}', values)).toBe('x/x.gguf');
  });
});
