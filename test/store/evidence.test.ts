/**
 * One evidence pipeline (classify/evidence.ts gatherEvidence) for a stored model classified
 * again and a file inspected where it lies: a sidecar that records another file's SHA-256
 * describes that file, and counts for neither once the hash is known.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kohyaLora } from '../fixtures/keysets.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

type Inspected = Array<{ base: string; sha256?: string; evidence: Array<{ method: string }> }>;

/** An SDXL LoRA with a Civitai Helper sidecar saying Illustrious, recording the SHA-256 `recorded`. */
async function loraWithSidecar(dir: string, recorded: (file: string) => string): Promise<string> {
  const file = join(dir, 'style.safetensors');
  await writeSafetensors(file, kohyaLora({ base: 'sdxl', rank: 4 }));
  const info = { id: 7, modelId: 8, name: 'v1', baseModel: 'Illustrious', model: { name: 'IL style', type: 'LORA' }, files: [{ primary: true, hashes: { SHA256: recorded(file) } }] };
  writeFileSync(join(dir, 'style.civitai.info'), JSON.stringify(info));
  return file;
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex').toUpperCase();

describe('evidence beyond the header', () => {
  it('inspect --hash ignores a sidecar of another file, as reclassify does', async () => {
    const dir = tempDir();
    const file = await loraWithSidecar(dir, () => 'AB'.repeat(32));
    const [hashed] = (await cli(['inspect', '--json', '--hash', file])).json<Inspected>();
    expect(hashed?.sha256).toBe(sha(file).toLowerCase());
    expect(hashed?.evidence.map((e) => e.method)).not.toContain('sidecar');
    expect(hashed?.base).toBe('sdxl');

    const hub = join(dir, 'hub');
    await cli(['--hub', hub, 'scan', '-q', '--copy', file]);
    const stored = (await cli(['--hub', hub, 'show', '--json', 'style.safetensors'])).json<{ base: string; evidence: Array<{ method: string }> }>();
    expect(stored.evidence.map((e) => e.method)).not.toContain('sidecar');
    expect(stored.base).toBe('sdxl');
  });

  it('counts a sidecar that records the file, inspected or stored', async () => {
    const dir = tempDir();
    const file = await loraWithSidecar(dir, sha);
    const [hashed] = (await cli(['inspect', '--json', '--hash', file])).json<Inspected>();
    expect(hashed?.evidence.map((e) => e.method)).toContain('sidecar');
    expect(hashed?.base).toBe('illustrious');
    const hub = join(dir, 'hub');
    await cli(['--hub', hub, 'scan', '-q', '--copy', file]);
    expect((await cli(['--hub', hub, 'show', '--json', 'style.safetensors'])).json<{ base: string }>().base).toBe('illustrious');
  });
});
