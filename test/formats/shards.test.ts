import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelHeader } from '../../formats/read.js';
import { readShardUnion, shardOf } from '../../formats/shards.js';
import { fluxDiffusersUnet, shard } from '../corpus/builders.js';
import { cli } from '../helpers/cli.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { tempDir } from '../helpers/tmp.js';

async function writeShards(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const i of [1, 2, 3]) {
    const file = join(dir, `diffusion_pytorch_model-0000${i}-of-00003.safetensors`);
    // Real keys, tiny shapes: the scan hashes every byte, and the keys are what classify it.
    await writeSafetensors(file, shard(fluxDiffusersUnet({ schnell: true }), i, 3).map((t) => ({ ...t, shape: t.shape.map((d) => Math.min(d, 4)) })));
    files.push(file);
  }
  return files;
}

describe('sharded models', () => {
  it('recognises Hugging Face shard names', () => {
    expect(shardOf('model-00002-of-00004.safetensors')).toEqual({ stem: 'model', index: 2, count: 4, ext: '.safetensors' });
    expect(shardOf('model.safetensors')).toBeUndefined();
    expect(shardOf('model-00005-of-00004.safetensors')).toBeUndefined();
  });

  it('reads a shard together with the siblings beside it', async () => {
    const [first] = await writeShards(tempDir());
    const own = await readModelHeader(first as string);
    const union = await readShardUnion(first as string, own);
    expect(union.tensors.length).toBe(fluxDiffusersUnet({ schnell: true }).length);
    expect(own.tensors.length).toBeLessThan(union.tensors.length);
  });

  it('scan and reclassify classify each shard as the whole model it belongs to', async () => {
    const root = tempDir();
    await writeShards(join(root, 'transformer'));
    const hub = join(root, 'hub');
    await cli(['--hub', hub, 'scan', '-q', join(root, 'transformer')]);
    const list = (await cli(['--hub', hub, 'list', '--json'])).json<Array<{ type: string; base: string }>>();
    expect(list.map((m) => `${m.type}/${m.base}`)).toEqual(['unet/flux', 'unet/flux', 'unet/flux']);
    expect((await cli(['--hub', hub, 'reclassify', '--all', '--json'])).json()).toMatchObject({ models: 3, changed: 0 });
  });
});
