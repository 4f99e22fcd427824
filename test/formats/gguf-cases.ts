/**
 * Generated GGUF files: valid bases, and one edit per rule of the format (gguf.md and ggml's
 * gguf.cpp reader) that makes a valid file break it.
 */
import { GGML_TYPES } from '../../formats/dtypes.js';
import { encodeGguf, ggufValue, type GgufLayoutTensor, type GgufValue } from '../fixtures/gguf-writer.js';
import type { Prng } from '../fixtures/prng.js';
import { ruleCases, type RuleCase } from './rule-cases.js';

export interface GgufSpec {
  version: 2 | 3;
  bigEndian: boolean;
  alignment: number;
  kv: Array<[string, GgufValue]>;
  tensors: GgufLayoutTensor[];
  /** Bytes cut from the end of the file. */
  cut?: number;
}

const TYPES = [...GGML_TYPES.values()];
const QUANTIZED = TYPES.filter((t) => t.blockSize > 1);
/** Ids `enum ggml_type` does not define (4, 5 and the repacked 31–33, 36–38 were removed). */
export const UNKNOWN_GGML_IDS = [4, 5, 31, 32, 33, 36, 37, 38, 43, 99, 2 ** 31];

export function encodeGgufFile(spec: GgufSpec): Buffer {
  const { header, dataBytes } = encodeGguf(spec);
  return Buffer.concat([header, Buffer.alloc(Math.max(0, dataBytes - (spec.cut ?? 0)))]);
}

/** A valid file: v2 or v3, either byte order, alignment 8–256, 0–6 tensors of any ggml type with whole blocks per row. */
export function ggufBase(prng: Prng): GgufSpec {
  const alignment = prng.pick([32, 32, 8, 16, 64, 256]);
  const kv: Array<[string, GgufValue]> = [['general.architecture', prng.pick(['llama', 'flux', 'wan'])], ['general.name', 'fixture']];
  if (alignment !== 32 || prng.chance(0.3)) kv.push(['general.alignment', alignment]);
  if (prng.chance(0.5)) kv.push(['tokenizer.ggml.scores', ggufValue('array', [0.5, -1.25], 'float32')]);
  const tensors: GgufLayoutTensor[] = [];
  const count = prng.int(7);
  for (let i = 0; i < count; i++) {
    const type = prng.pick(TYPES);
    const outer = Array.from({ length: prng.int(4) }, () => 1 + prng.int(4));
    tensors.push({ name: `blk.${i}.${prng.pick(['attn_q.weight', 'ffn_up.weight', 'attn_norm.weight'])}`, shape: [...outer, type.blockSize * (1 + prng.int(2))], type });
  }
  return { version: prng.pick([2, 3] as const), bigEndian: prng.chance(0.2), alignment, kv, tensors };
}

type Edit = (s: GgufSpec, prng: Prng) => { spec: GgufSpec; mentions: string[] } | undefined;

export const GGUF_RULES: Record<string, Edit> = {
  'the ggml type is a known one': (s, prng) => editTensor(s, prng, (t) => {
    const id = prng.pick(UNKNOWN_GGML_IDS);
    return { ...t, type: { id, name: `GGML_TYPE_${id}` } };
  }),
  'a row is a whole number of blocks': (s, prng) => editTensor(s, prng, (t) => {
    const type = prng.pick(QUANTIZED);
    const inner = type.blockSize * prng.int(3) + 1 + prng.int(type.blockSize - 1);
    return { ...t, type, dims: [inner, ...[...t.shape].reverse().slice(1)] };
  }),
  'offsets are aligned to general.alignment': (s, prng) => editPlaced(s, prng, (t, at) => (s.alignment > 1 ? { ...t, offset: at + 1 + prng.int(s.alignment - 1) } : undefined)),
  'tensors do not overlap': (s, prng) => {
    const { offsets, sizes } = encodeGguf(s);
    const pairs = s.tensors.map((_, i) => i).filter((i) => i > 0 && sizes[i - 1]! > 0 && sizes[i]! > 0);
    if (pairs.length === 0) return undefined;
    const i = prng.pick(pairs);
    const back = Math.floor(prng.int(sizes[i - 1]!) / s.alignment) * s.alignment;
    const tensors = s.tensors.map((t, k) => (k === i ? { ...t, offset: offsets[i - 1]! + back } : t));
    return { spec: { ...s, tensors }, mentions: [s.tensors[i]!.name, s.tensors[i - 1]!.name] };
  },
  'tensors end within the file': (s, prng) => {
    const { offsets, sizes, dataBytes } = encodeGguf(s);
    const lastEnd = Math.max(0, ...offsets.map((o, i) => o + sizes[i]!));
    if (lastEnd === 0) return undefined;
    const cut = dataBytes - lastEnd + 1 + prng.int(Math.min(lastEnd, 8));
    return { spec: { ...s, cut }, mentions: s.tensors.filter((_, i) => offsets[i]! + sizes[i]! > dataBytes - cut).map((t) => t.name) };
  },
  'an offset does not point past the end of the file': (s, prng) => editPlaced(s, prng, (t) => ({ ...t, offset: BigInt(s.alignment) * BigInt(2 ** 40 + prng.int(1000)) })),
  'general.alignment is a power of two': (s, prng) => withAlignment(s, prng.pick([0, 48, 7, 3, 1000, 2 ** 31 + 8])),
  'general.alignment is a uint32': (s, prng) => withAlignment(s, prng.pick([ggufValue('uint64', s.alignment), ggufValue('int32', s.alignment), ggufValue('string', '32'), ggufValue('float32', 32)])),
  'the element count is representable': (s, prng) => editTensor(s, prng, (t) => ({ ...t, type: GGML_TYPES.get(0)!, dims: prng.pick([[2n ** 40n, 2n ** 40n], [2n ** 31n, 2n ** 31n, 2n ** 2n], [2n ** 62n, 2n]]) })),
  'dimensions are not negative': (s, prng) => editTensor(s, prng, (t) => ({ ...t, dims: [...[...t.shape].reverse().slice(0, -1), prng.pick([2n ** 64n - 1n, 2n ** 63n, 2n ** 63n + 5n])] })),
  'at most 4 dimensions': (s, prng) => editTensor(s, prng, (t) => ({ ...t, dims: Array.from({ length: 5 + prng.int(3) }, () => 1) })),
  'tensor names are unique': (s, prng) => {
    if (s.tensors.length < 2) return undefined;
    const i = 1 + prng.int(s.tensors.length - 1);
    const name = s.tensors[prng.int(i)]!.name;
    return { spec: { ...s, tensors: s.tensors.map((t, k) => (k === i ? { ...t, name } : t)) }, mentions: [name] };
  },
  'keys are unique': (s, prng) => {
    const [key, value] = prng.pick(s.kv);
    return { spec: { ...s, kv: [...s.kv, [key, typeof value === 'string' ? `${value}-again` : value]] }, mentions: [key] };
  },
};

/** Every rule applied to `count` generated bases. */
export function ggufCases(prng: Prng, count: number): RuleCase[] {
  return ruleCases(prng, count, { base: ggufBase, rules: GGUF_RULES, encode: (r: { spec: GgufSpec; mentions: string[] }) => ({ bytes: encodeGgufFile(r.spec), mentions: r.mentions }) });
}

/** A valid variant of `s`: one tensor's data moved further on (an aligned gap llama.cpp would refuse but the spec allows). */
export function withGap(s: GgufSpec, prng: Prng): GgufSpec | undefined {
  if (s.tensors.length === 0) return undefined;
  const { offsets } = encodeGguf(s);
  const i = s.tensors.length - 1;
  const gap = s.alignment * (1 + prng.int(4));
  return { ...s, tensors: s.tensors.map((t, k) => (k === i ? { ...t, offset: offsets[i]! + gap } : t)), cut: -gap };
}

function editTensor(s: GgufSpec, prng: Prng, edit: (t: GgufLayoutTensor) => GgufLayoutTensor): ReturnType<Edit> {
  if (s.tensors.length === 0) return undefined;
  const i = prng.int(s.tensors.length);
  return { spec: { ...s, tensors: s.tensors.map((t, k) => (k === i ? edit(t) : t)) }, mentions: [s.tensors[i]!.name] };
}

/** Edits a tensor that holds data, given its packed offset. */
function editPlaced(s: GgufSpec, prng: Prng, edit: (t: GgufLayoutTensor, at: number) => GgufLayoutTensor | undefined): ReturnType<Edit> {
  const { offsets, sizes } = encodeGguf(s);
  const placed = s.tensors.map((_, i) => i).filter((i) => sizes[i]! > 0);
  if (placed.length === 0) return undefined;
  const i = prng.pick(placed);
  const next = edit(s.tensors[i]!, offsets[i]!);
  if (next === undefined) return undefined;
  return { spec: { ...s, tensors: s.tensors.map((t, k) => (k === i ? next : t)) }, mentions: [s.tensors[i]!.name] };
}

function withAlignment(s: GgufSpec, value: GgufValue): ReturnType<Edit> {
  const kv: Array<[string, GgufValue]> = [...s.kv.filter(([k]) => k !== 'general.alignment'), ['general.alignment', value]];
  return { spec: { ...s, kv }, mentions: ['general.alignment'] };
}

