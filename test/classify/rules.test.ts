import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyModel, compileRuleTexts, DEFAULT_WEIGHTS, loadRuleSet, type RuleSet } from '../../classify/index.js';
import { ModelHubError } from '../../core/errors.js';
import * as K from '../fixtures/keysets.js';
import { tempDir } from '../helpers/tmp.js';

function writeRules(name: string, text: string): string {
  const file = join(tempDir('modelhub-rules-'), name);
  writeFileSync(file, text);
  return file;
}

function loadError(files: string[]): ModelHubError {
  try {
    loadRuleSet(files);
  } catch (err) {
    if (err instanceof ModelHubError) return err;
    throw err;
  }
  throw new Error('expected loadRuleSet to fail');
}

function classifyWith(rules: RuleSet, fileName: string, tensors: K.FixtureTensor[]): ReturnType<typeof classifyModel> {
  const header = K.headerFrom(tensors, {}, { fileName });
  return classifyModel({ fileName, size: header.size, header }, { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules });
}

describe('built-in rule files', () => {
  it('load from classify/rules relative to the package root, every table filled', () => {
    const rules = loadRuleSet();
    expect(rules.files.map((f) => f.split(/[\\/]/).slice(-3).join('/'))).toContain('classify/rules/architectures.yaml');
    expect(rules.architectures.length).toBeGreaterThan(80);
    expect(rules.loraBases.length).toBeGreaterThan(15);
    expect(rules.filenames.length).toBeGreaterThan(50);
    expect(rules.sizes.length).toBeGreaterThan(30);
    expect(rules.modelTypes.map((t) => t.id)).toContain('motion_module');
    expect(rules.bases.get('pony')?.refines).toBe('sdxl');
    expect(rules.architectures.map((r) => r.priority)).toEqual([...rules.architectures.map((r) => r.priority)].sort((a, b) => b - a));
  });
});

describe('rule-file validation', () => {
  it('reports every problem of every file as file:line:col, then fails once', () => {
    const schemaBad = writeRules(
      'schema.yaml',
      ['version: 1', 'architectures:', '  - id: my-rule', '    type: unet', '    priority: 500', '    requird: [a.weight]', '  - id: other', '    type: lorra', '    priority: 1', ''].join('\n'),
    );
    const semanticBad = writeRules(
      'semantic.yaml',
      [
        'version: 1',
        'architectures:',
        '  - id: bad-regex',
        '    type: unet',
        '    priority: 10',
        "    match: ['^blocks\\.(']",
        '    shapes: [{ dim: 1, eq: 4 }]',
        'filenames:',
        '  - { id: fn-typo, token: x, base: sdx1 }',
        '  - { id: fn-empty, type: lora }',
        '',
      ].join('\n'),
    );
    const err = loadError([schemaBad, semanticBad]);
    expect(err.code).toBe('ERR_MODELHUB_RULES_INVALID');
    expect(err.message).toContain(`${schemaBad}:6:5: architectures[0]: unknown key "requird"`);
    expect(err.message).toContain(`${schemaBad}:8:11: architectures[1].type: must be one of "checkpoint"`);
    expect(err.message).toContain(`${semanticBad}:6:13: invalid regular expression /^blocks\\.(/: Unterminated group`);
    expect(err.message).toContain(`${semanticBad}:7:14: a shape test needs exactly one of "key" and "match"`);
    expect(err.message).toContain(`${semanticBad}:9:36: unknown base "sdx1": declare it under bases:`);
    expect(err.message).toContain(`${semanticBad}:10:5: a filename rule needs exactly one of "token" and "pattern"`);
    expect(err.details).toHaveLength(6);
  });

  it('reports YAML syntax errors and several documents in one file', () => {
    expect(() => compileRuleTexts([{ file: 'a.yaml', text: 'version: 1\nfilenames: [\n' }])).toThrow(/a\.yaml:\d+:\d+: /);
    expect(() => compileRuleTexts([{ file: 'b.yaml', text: 'version: 1\n---\nversion: 1\n' }])).toThrow('b.yaml:1:1: a rule file holds one YAML document, found several');
  });

  it('reports an id repeated within one file', () => {
    const text = 'version: 1\nfilenames:\n  - { id: fn-a, token: a }\n  - { id: fn-a, token: b }\n';
    expect(() => compileRuleTexts([{ file: 'dup.yaml', text }])).toThrow('dup.yaml:4:5: duplicate entry "fn-a" in filenames');
  });

  it('names a rule file that does not exist', () => {
    const err = loadError(['/nonexistent/rules.yaml']);
    expect(err.code).toBe('ERR_MODELHUB_RULES_NOT_FOUND');
    expect(err.message).toContain('/nonexistent/rules.yaml');
  });
});

describe('user rule files', () => {
  const kandinsky = (): K.FixtureTensor[] => [
    { name: 'visual_embeddings.in_layer.weight', shape: [1792, 132] },
    ...Array.from({ length: 32 }, (_, i) => ({ name: `visual_transformer_blocks.${i}.self_attention.to_query.weight`, shape: [1792, 1792] })),
    { name: 'text_transformer_blocks.0.self_attention.to_query.weight', shape: [1792, 1792] },
  ];

  it('add a new family as data: its base, tensor rule, filename token and LoRA base', () => {
    const file = writeRules(
      'kandinsky.yaml',
      `version: 1
bases:
  - { id: kandinsky5, description: Kandinsky 5 video }
architectures:
  - id: kandinsky5
    type: unet
    base: kandinsky5
    component: diffusion
    priority: 641
    all: [visual_embeddings.in_layer.weight, text_transformer_blocks.0.self_attention.to_query.weight]
    variants:
      - { value: lite, counts: [{ pattern: '^visual_transformer_blocks\\.(\\d+)\\.', of: max, max: 31 }] }
      - { value: pro }
lora_bases:
  - id: lora-kandinsky5
    base: kandinsky5
    priority: 150
    match: ['^unet/visual_transformer_blocks_\\d+_self_attention_']
filenames:
  - { id: fn-kandinsky, token: kandinsky5, base: kandinsky5 }
`,
    );
    const rules = loadRuleSet([file]);
    const unet = classifyWith(rules, 'kandinsky5lite_t2v.safetensors', kandinsky());
    expect([unet.type, unet.base, unet.variant]).toEqual(['unet', 'kandinsky5', 'lite']);
    const ckpt = classifyWith(rules, 'k.safetensors', [...K.prefixed('model.diffusion_model.', kandinsky()), ...K.prefixed('vae.', K.hunyuanVideoVae())]);
    expect([ckpt.type, ckpt.base]).toEqual(['checkpoint', 'kandinsky5']);
    const lora = classifyWith(rules, 'style.safetensors', [
      { name: 'lora_unet_visual_transformer_blocks_0_self_attention_to_query.lora_down.weight', shape: [16, 1792] },
      { name: 'lora_unet_visual_transformer_blocks_0_self_attention_to_query.lora_up.weight', shape: [1792, 16] },
    ]);
    expect([lora.type, lora.base]).toEqual(['lora', 'kandinsky5']);
  });

  it('replace a built-in rule with the same id', () => {
    const file = writeRules(
      'override.yaml',
      `version: 1
architectures:
  - id: vae-kl
    type: vae
    base_fallback: sdxl
    component: vae
    priority: 420
    all: [decoder.conv_in.weight]
    shapes: [{ key: decoder.conv_in.weight, dim: 1, eq: 4 }]
`,
    );
    const rules = loadRuleSet([file]);
    expect(rules.architectures.filter((r) => r.id === 'vae-kl')).toHaveLength(1);
    expect(classifyWith(rules, 'vae.safetensors', K.sdVae()).base).toBe('sdxl');
  });
});
