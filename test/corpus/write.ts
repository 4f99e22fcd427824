/**
 * Writes corpus entries as real files (sparse: tensor data and size padding are holes).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ggufValue, writeGguf, writeSafetensors, writeTorchLegacy, writeTorchZip, type GgufValue } from '../fixtures/writers.js';
import type { T } from './builders.js';
import type { CorpusEntry } from './corpus.js';

/**
 * GGUF allows at most 4 dimensions: like ComfyUI-GGUF's converter, a 5-D tensor (a Conv3d
 * patch embedding) is stored with its leading dimensions merged, its real shape recorded under
 * `comfy.gguf.orig_shape.<name>`.
 */
function fitGguf(tensors: T[], kv: Record<string, GgufValue>): { tensors: T[]; kv: Record<string, GgufValue> } {
  const extra: Record<string, GgufValue> = {};
  const fitted = tensors.map((t) => {
    if (t.shape.length <= 4) return t;
    extra[`comfy.gguf.orig_shape.${t.name}`] = ggufValue('array', t.shape, 'int32');
    const lead = t.shape.slice(0, t.shape.length - 3).reduce((a, b) => a * b, 1);
    return { ...t, shape: [lead, ...t.shape.slice(-3)] };
  });
  return { tensors: fitted, kv: { ...kv, ...extra } };
}

export async function writeEntry(root: string, e: CorpusEntry): Promise<string> {
  const path = join(root, e.path);
  await mkdir(dirname(path), { recursive: true });
  const size = e.size === undefined ? {} : { size: e.size };
  const body = e.body;
  switch (body.format) {
    case 'safetensors':
      await writeSafetensors(path, body.tensors(), { ...size, ...(body.metadata === undefined ? {} : { metadata: body.metadata }) });
      break;
    case 'gguf': {
      const { tensors, kv } = fitGguf(body.tensors(), body.kv);
      await writeGguf(path, { kv, tensors, ...size });
      break;
    }
    case 'torch-zip': {
      const obj = body.object();
      try {
        await writeTorchZip(path, obj, size);
      } catch (err) {
        // The content alone is already larger than the stated size: keep the natural size.
        if (!(err instanceof Error) || !/smaller than the/.test(err.message)) throw err;
        await writeTorchZip(path, obj);
      }
      break;
    }
    case 'torch-legacy':
      await writeTorchLegacy(path, body.object(), size);
      break;
  }
  return path;
}

/** Write every entry under `root` (a few at a time); returns the paths in entry order. */
export async function writeCorpus(root: string, entries: CorpusEntry[], concurrency = 8): Promise<string[]> {
  const paths: string[] = new Array<string>(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < entries.length; i = next++) {
      const e = entries[i];
      if (e !== undefined) paths[i] = await writeEntry(root, e);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
  return paths;
}
