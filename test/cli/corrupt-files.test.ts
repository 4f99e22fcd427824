import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kohyaLora } from '../fixtures/keysets.js';
import { tensor, writeGguf, writeSafetensors, writeTorchLegacy } from '../fixtures/writers.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A downloads folder: one good LoRA and three files that break their format in different ways. */
async function downloads(): Promise<{ root: string; dl: string; good: string; broken: string[] }> {
  const root = tempDir();
  const dl = join(root, 'downloads');
  mkdirSync(dl);
  const good = join(dl, 'style.safetensors');
  await writeSafetensors(good, kohyaLora({ base: 'sdxl', rank: 4 }));
  const span = join(dl, 'span.safetensors');
  await writeSafetensors(span, [{ name: 'w', dtype: 'F16', shape: [4, 4] }]);
  const bytes = readFileSync(span);
  writeFileSync(span, Buffer.from(bytes.toString('latin1').replace('"F16"', '"F32"'), 'latin1'));
  const gguf = join(dl, 'model-Q4_K.gguf');
  await writeGguf(gguf, { kv: { 'general.architecture': 'llama' }, tensors: [{ name: 'token_embd.weight', shape: [8, 100], dtype: 'Q4_K' }] });
  const pth = join(dl, 'embedding.pth');
  await writeTorchLegacy(pth, { string_to_param: { '*': tensor([4, 768], 'F32') }, name: 'style' });
  writeFileSync(pth, readFileSync(pth).subarray(0, -100));
  return { root, dl, good, broken: [span, gguf, pth] };
}

describe('files that break their format, through the CLI', () => {
  it('inspect shows CORRUPT with the file, the tensor at fault and the hint to re-download it', async () => {
    const { root, broken } = await downloads();
    const json = await cli(['inspect', '--json', ...broken], { cwd: root });
    expect(json.code).toBe(1);
    const results = json.json<Array<{ path: string; error?: { code: string; message: string; hint?: string } }>>();
    expect(results.map((r) => r.error?.code)).toEqual(['ERR_MODELHUB_CORRUPT', 'ERR_MODELHUB_CORRUPT', 'ERR_MODELHUB_CORRUPT']);
    expect(results[0]?.error?.message).toMatch(/corrupt safetensors file: tensor "w" has dtype F32 and shape \[4, 4\], which take 64 bytes, but data_offsets \[0, 32\] span 32/);
    expect(results[1]?.error?.message).toMatch(/corrupt GGUF file: tensor "token_embd.weight" of type Q4_K has rows of 100 elements/);
    expect(results[2]?.error?.message).toMatch(/corrupt PyTorch checkpoint: storage "0" .*the file is cut off/);
    for (const r of results) expect(r.error?.hint).toMatch(/^re-download it/);

    const human = await cli(['inspect', broken[0]!], { cwd: root });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`error: ${broken[0]}: corrupt safetensors file: tensor "w"`);
    expect(human.stdout).toContain('hint: re-download it');
  });

  it('scan skips them like a failed download: reported, not imported, left untouched', async () => {
    const { root, dl, good, broken } = await downloads();
    const before = broken.map(sha);
    const r = await cli(['--hub', join(root, 'hub'), 'scan', '--json', dl], { cwd: root, env: { HOME: root } });
    expect(r.code).toBe(1);
    const report = r.json<{ imported: number; failed: number; failures: Array<{ path: string; code: string }> }>();
    expect(report).toMatchObject({ imported: 1, failed: 3 });
    expect(report.failures.map((f) => [f.path, f.code]).sort()).toEqual(broken.map((p) => [p, 'ERR_MODELHUB_CORRUPT']).sort());
    expect(broken.map(sha)).toEqual(before);
    for (const p of broken) expect(lstatSync(p).isSymbolicLink()).toBe(false);
    expect(lstatSync(good).isSymbolicLink()).toBe(true);
  });
});
