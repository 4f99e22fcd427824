/**
 * Generated safetensors files: valid bases, and one edit per rule of the format (the spec and
 * the safetensors crate's `read_metadata`/`validate`) that makes a valid file break it.
 */
import { SAFETENSORS_DTYPE_BITS, safetensorsByteSize } from '../../formats/dtypes.js';
import type { Prng } from '../fixtures/prng.js';
import { ruleCases, type RuleCase } from './rule-cases.js';
import { encodeSafetensors, encodeSafetensorsHeader, layoutSafetensors, safetensorsJson, type LayoutTensor, type SafetensorsLayout } from '../fixtures/safetensors-layout.js';

export const ST_DTYPES = Object.keys(SAFETENSORS_DTYPE_BITS);

interface Entry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A valid file: 0–6 tensors of any spec dtype (0-rank and empty ones too), with or without metadata. */
export function safetensorsBase(prng: Prng): SafetensorsLayout {
  const tensors: LayoutTensor[] = [];
  const count = prng.int(7);
  for (let i = 0; i < count; i++) {
    const dtype = prng.pick(ST_DTYPES);
    const shape = Array.from({ length: prng.int(4) }, () => (prng.chance(0.1) ? 0 : 1 + prng.int(9)));
    // Sub-byte dtypes need whole bytes: 2 F4 elements or 4 F6 elements per unit.
    const unit = SAFETENSORS_DTYPE_BITS[dtype] === 4 ? 2 : SAFETENSORS_DTYPE_BITS[dtype] === 6 ? 4 : 1;
    if (unit > 1) shape.push(unit * (1 + prng.int(3)));
    tensors.push({ name: `blocks.${i}.${prng.pick(['weight', 'bias', 'alpha', 'lora_up.weight'])}`, dtype, shape });
  }
  const metadata = prng.chance(0.5) ? { format: 'pt', ss_tag_frequency: '{"a": {"b": 2}}', n: String(prng.int(100)) } : undefined;
  return layoutSafetensors(tensors, metadata);
}

type Edit = (l: SafetensorsLayout, prng: Prng) => { layout?: SafetensorsLayout; bytes?: Buffer; mentions: string | string[] } | undefined;

/** The rules, each an edit of a valid layout that breaks it (undefined where the base cannot). */
export const SAFETENSORS_RULES: Record<string, Edit> = {
  'span equals dtype size × shape (shape changed)': (l, prng) => editTensor(l, prng, (e) => {
    const shape = e.shape.length === 0 ? [2] : [e.shape[0]! + 1, ...e.shape.slice(1)];
    return sizeOf(e.dtype, shape) !== span(e) && sizeOf(e.dtype, shape) !== undefined ? { ...e, shape } : undefined;
  }),
  'span equals dtype size × shape (dtype changed)': (l, prng) => editTensor(l, prng, (e) => {
    const dtype = ST_DTYPES.find((d) => sizeOf(d, e.shape) !== undefined && sizeOf(d, e.shape) !== span(e));
    return dtype === undefined ? undefined : { ...e, dtype };
  }),
  'sub-byte elements fill whole bytes': (l, prng) => editTensor(l, prng, (e) => {
    const n = 2 * prng.int(4) + 1;
    return { ...e, dtype: prng.pick(['F4', 'F6_E2M3', 'F6_E3M2']), shape: [n] };
  }),
  'no hole between tensors': (l, prng) => shiftFrom(l, prng, 1 + prng.int(16)),
  'no overlapping tensors': (l, prng) => shiftFrom(l, prng, -1, true),
  'nothing past the end of the file': (l, prng) => {
    if (l.dataLength === 0) return undefined;
    const dataLength = l.dataLength - 1 - prng.int(Math.min(l.dataLength, 8));
    return { layout: { ...l, dataLength }, mentions: tensors(l).filter(([, e]) => e.data_offsets[1] > dataLength).map(([n]) => n) };
  },
  'no bytes after the last tensor': (l, prng) => ({ layout: { ...l, dataLength: l.dataLength + 1 + prng.int(64) }, mentions: 'bytes' }),
  'dtype names are exact (case)': (l, prng) => editTensor(l, prng, (e) => ({ ...e, dtype: e.dtype.toLowerCase() })),
  'dtype is one of the spec names': (l, prng) => editTensor(l, prng, (e) => ({ ...e, dtype: prng.pick(['F12', 'Q4_K', 'float16', 'FP16', 'I128', 'C128', 'U4', '', 'constructor']) })),
  'a shape product that overflows is refused': (l, prng) => editTensor(l, prng, (e) => ({ ...e, shape: prng.pick([[2 ** 40, 2 ** 30], [2 ** 31, 2 ** 31, 2], [2 ** 53 - 1, 2 ** 12]]) })),
  'data_offsets are [begin, end] with begin ≤ end': (l, prng) => editTensor(l, prng, (e) => (span(e) > 0 ? { ...e, data_offsets: [e.data_offsets[1], e.data_offsets[0]] } : undefined)),
  'shape is a list of non-negative integers': (l, prng) => editTensor(l, prng, (e) => ({ ...e, shape: prng.pick<unknown>(['3', [1.5], [-1], [null], { 0: 1 }]) as number[] })),
  'data_offsets are two non-negative integers': (l, prng) => editTensor(l, prng, (e) => ({ ...e, data_offsets: prng.pick<unknown>([[0], '0,4', [0, 2 ** 60], [-2, 0], [0, 4, 8]]) as [number, number] })),
  '__metadata__ values are strings': (l, prng) => {
    const key = prng.pick(['ss_network_dim', 'modelspec.title', 'format']);
    const value = prng.pick<unknown>([5, true, { a: 1 }, ['x'], 1.5, null]);
    const others = l.entries.filter(([k]) => k !== '__metadata__');
    return { layout: { ...l, entries: [['__metadata__', { title: 'x', [key]: value }], ...others] }, mentions: key };
  },
  '__metadata__ is an object': (l, prng) => {
    const others = l.entries.filter(([k]) => k !== '__metadata__');
    return { layout: { ...l, entries: [['__metadata__', prng.pick<unknown>(['x', [], 5, ['a', 'b']])], ...others] }, mentions: '__metadata__' };
  },
  'a tensor entry is an object': (l, prng) => editTensor(l, prng, () => prng.pick<unknown>([5, 'F16', [1, 2], null]) as Entry),
  'the header is a JSON object': (l) => {
    const header = encodeSafetensorsHeader(`[${l.entries.map(([k, v]) => JSON.stringify({ [k]: v })).join(',')}]`);
    return { bytes: Buffer.concat([header, Buffer.alloc(l.dataLength)]), mentions: 'the header is a JSON array, not an object' };
  },
};

/** Every rule applied to `count` generated bases. */
export function safetensorsCases(prng: Prng, count: number): RuleCase[] {
  return ruleCases(prng, count, {
    base: safetensorsBase,
    rules: SAFETENSORS_RULES,
    encode: (r: NonNullable<ReturnType<Edit>>) => ({ bytes: r.bytes ?? encodeSafetensors(r.layout!), mentions: [r.mentions].flat() }),
  });
}

/** Edits that keep a file valid: shuffled key order, a header padded with many spaces, null metadata. */
export function validVariants(l: SafetensorsLayout, prng: Prng): Buffer[] {
  const shuffled = [...l.entries].sort(() => (prng.chance(0.5) ? 1 : -1));
  const json = safetensorsJson(l.entries);
  const spaced = encodeSafetensorsHeader(json, Buffer.byteLength(json) + 8 * (1 + prng.int(100)));
  const nullMeta: Array<[string, unknown]> = [['__metadata__', null], ...l.entries.filter(([k]) => k !== '__metadata__')];
  return [
    encodeSafetensors(l),
    encodeSafetensors({ ...l, entries: shuffled }),
    Buffer.concat([spaced, Buffer.alloc(l.dataLength)]),
    encodeSafetensors({ ...l, entries: nullMeta }),
  ];
}

function sizeOf(dtype: string, shape: number[]): number | undefined {
  return safetensorsByteSize(dtype, shape);
}

function span(e: Entry): number {
  return e.data_offsets[1] - e.data_offsets[0];
}

function tensors(l: SafetensorsLayout): Array<[string, Entry]> {
  return l.entries.filter(([k]) => k !== '__metadata__') as Array<[string, Entry]>;
}

/** Replaces one (random) tensor's entry; undefined when the edit fits none. */
function editTensor(l: SafetensorsLayout, prng: Prng, edit: (e: Entry) => Entry | undefined): ReturnType<Edit> {
  const list = tensors(l);
  const start = list.length === 0 ? 0 : prng.int(list.length);
  for (let k = 0; k < list.length; k++) {
    const [name, entry] = list[(start + k) % list.length]!;
    const next = edit(entry);
    if (next === undefined) continue;
    return { layout: { ...l, entries: l.entries.map(([n, v]) => [n, n === name ? next : v]) }, mentions: name };
  }
  return undefined;
}

/** Moves the data of every tensor from a random one on (in data order) by `delta` bytes. */
function shiftFrom(l: SafetensorsLayout, prng: Prng, delta: number, overlap = false): ReturnType<Edit> {
  const order = tensors(l).sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0] || a.data_offsets[1] - b.data_offsets[1]);
  // An overlap needs a non-empty tensor before the moved one; a hole may open before the first.
  const candidates = order.map((_, i) => i).filter((i) => (overlap ? i > 0 && span(order[i - 1]![1]) > 0 : true));
  if (candidates.length === 0) return undefined;
  const from = prng.pick(candidates);
  const at = order[from]![1].data_offsets[0];
  const moved = new Set(order.slice(from).map(([n]) => n));
  const entries = l.entries.map(([n, v]): [string, unknown] => {
    if (!moved.has(n)) return [n, v];
    const e = v as Entry;
    return [n, { ...e, data_offsets: [e.data_offsets[0] + delta, e.data_offsets[1] + delta] }];
  });
  if (at + delta < 0) return undefined;
  const dataLength = Math.max(0, ...entries.filter(([n]) => n !== '__metadata__').map(([, v]) => (v as Entry).data_offsets[1]));
  // Moving a block can reorder it against empty tensors: the message names one of these.
  return { layout: { entries, dataLength }, mentions: [...moved, ...(from > 0 ? [order[from - 1]![0]] : [])] };
}
