import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode, isModelHubError } from '../core/errors.js';
import { readModelHeader } from './read.js';
import type { ModelHeader } from './types.js';

/** `<stem>-00001-of-00003.safetensors`, as Hugging Face names the shards of one model. */
const SHARD_NAME = /^(.+)-(\d{5})-of-(\d{5})(\.[A-Za-z0-9]+)$/;

/** The name parts of a shard file, or undefined for a file that is not one. */
export function shardOf(fileName: string): { stem: string; index: number; count: number; ext: string } | undefined {
  const m = SHARD_NAME.exec(fileName);
  if (m === null) return undefined;
  const count = Number(m[3]);
  const index = Number(m[2]);
  if (count < 2 || index < 1 || index > count) return undefined;
  return { stem: m[1] as string, index, count, ext: m[4] as string };
}

/**
 * What a sharded model looks like as a whole, for classification: the file's own header with
 * the tensors (and metadata) of the sibling shards found beside it added. A shard alone lacks
 * keys its architecture's signature needs; the union has them all. Siblings that are missing or
 * unreadable are left out (the answer is then what the shards at hand say). The file's own
 * header is returned unchanged when it is not a shard. Reads headers only.
 */
export async function readShardUnion(path: string, own: ModelHeader): Promise<ModelHeader> {
  const shard = shardOf(basename(path));
  if (shard === undefined) return own;
  const dir = dirname(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'EACCES' || errnoCode(err) === 'ENOTDIR') return own;
    throw err;
  }
  const siblings = names.filter((n) => {
    const s = shardOf(n);
    return n !== basename(path) && s !== undefined && s.stem === shard.stem && s.count === shard.count && s.ext === shard.ext;
  });
  const union: ModelHeader = { ...own, tensors: [...own.tensors], metadata: { ...own.metadata } };
  for (const name of siblings.sort()) {
    let h: ModelHeader;
    try {
      h = await readModelHeader(join(dir, name));
    } catch (err) {
      if (isModelHubError(err)) continue;
      throw err;
    }
    union.tensors.push(...h.tensors);
    for (const [k, v] of Object.entries(h.metadata)) if (!(k in union.metadata)) union.metadata[k] = v;
    union.bytesRead += h.bytesRead;
  }
  if (siblings.length > 0) union.warnings = [...own.warnings, `classified with ${siblings.length} sibling shard(s) of ${shard.stem}`];
  return union;
}
