/** `list --type/--base/--format` values are checked against the vocabulary, like manifests are. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHub } from '../../store/hub.js';
import { insertModel, saveClassification } from '../../store/inventory.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** A hub with one LoRA of base `base` (inventory rows only). */
function hubWith(base: string): { root: string; hub: string } {
  const root = tempDir();
  const hub = join(root, 'hub');
  const h = openHub(hub);
  try {
    const id = insertModel(h.db, { sha256: createHash('sha256').update(base).digest('hex'), filename: `${base}.gguf`, size: 10, format: 'gguf', container: null, unsafe: false, headerError: null });
    saveClassification(h.db, id, { type: 'llm', base, variant: null, confidence: 0.9, evidence: [] });
  } finally {
    h.close();
  }
  return { root, hub };
}

describe('list filters', () => {
  it.each([
    [['--type', 'lorra'], 'unknown type "lorra"; did you mean "lora"?'],
    [['--base', 'sdxll'], 'unknown base "sdxll"; did you mean "sdxl"?'],
    [['--format', 'safetensor'], 'unknown format "safetensor"; did you mean "safetensors"?'],
    [['--type', 'nonsense'], 'unknown type "nonsense"'],
  ])('%j is refused with a suggestion, exit 1', async (flags, message) => {
    const { hub } = hubWith('llama');
    const r = await cli(['--hub', hub, 'list', ...flags]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stderr).toMatch(/hint: /);
    const json = await cli(['--hub', hub, '--json', 'list', ...flags]);
    expect(json.json()).toMatchObject({ error: { code: 'ERR_MODELHUB_USAGE', message: expect.stringContaining(message) as string } });
  });

  it('accepts every vocabulary value, bases found in the inventory and bases declared by rule files', async () => {
    const { root, hub } = hubWith('qwen3next');
    writeFileSync(join(root, 'k.yaml'), 'version: 1\nbases:\n  - { id: kandinsky5, description: Kandinsky 5 video }\n');
    writeFileSync(join(root, 'config.yaml'), 'rules: [k.yaml]\n');
    const run = (flags: string[]) => cli(['--hub', hub, '--config', join(root, 'config.yaml'), 'list', '--json', ...flags], { cwd: root });
    const found = await run(['--base', 'qwen3next']);
    expect(found.code, found.stderr).toBe(0);
    expect(found.json()).toHaveLength(1);
    for (const flags of [['--type', 'lora'], ['--base', 'kandinsky5'], ['--base', 'illustrious'], ['--base', 'gemma3'], ['--format', 'GGUF'], ['--type', 'unknown']]) {
      const r = await run(flags);
      expect(r.code, `${flags.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect((await run(['--format', 'GGUF'])).json()).toHaveLength(1);
  });
});
