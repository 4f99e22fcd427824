import type { Prng } from '../fixtures/prng.js';

/** Values that break length, count, type and offset fields when written over them. */
const INTERESTING = [0n, 1n, 2n, 7n, 8n, 31n, 32n, 33n, 255n, 256n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n];

/** One deterministic byte-level mutation of `b`, biased to the first `hot` bytes (the header). */
export type Mutation = (b: Buffer, prng: Prng, hot: number) => Buffer;

export const MUTATIONS: Record<string, Mutation> = {
  'flip a bit': (b, prng, hot) => {
    const out = Buffer.from(b);
    const at = prng.int(Math.max(1, Math.min(hot, out.length)));
    out[at] = out[at]! ^ (1 << prng.int(8));
    return out;
  },
  'set a byte': (b, prng, hot) => {
    const out = Buffer.from(b);
    out[prng.int(Math.max(1, Math.min(hot, out.length)))] = prng.int(256);
    return out;
  },
  'write an interesting number': (b, prng, hot) => {
    const out = Buffer.from(b);
    const width = prng.pick([4, 8]);
    if (out.length < width) return out;
    const at = prng.int(Math.max(1, Math.min(hot, out.length - width + 1)));
    const v = prng.pick(INTERESTING) & (width === 4 ? 0xffffffffn : 2n ** 64n - 1n);
    if (width === 4) out.writeUInt32LE(Number(v), at);
    else out.writeBigUInt64LE(v, at);
    return out;
  },
  'replace a digit': (b, prng, hot) => {
    const out = Buffer.from(b);
    const digits = [...out.subarray(0, Math.min(hot, out.length)).entries()].filter(([, x]) => x >= 0x30 && x <= 0x39).map(([i]) => i);
    if (digits.length > 0) out[prng.pick(digits)] = 0x30 + prng.int(10);
    return out;
  },
  truncate: (b, prng) => b.subarray(0, prng.int(b.length)),
  'append bytes': (b, prng) => Buffer.concat([b, Buffer.from(Array.from({ length: 1 + prng.int(64) }, () => prng.int(256)))]),
  'delete a run': (b, prng, hot) => {
    const at = prng.int(Math.max(1, Math.min(hot, b.length)));
    return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + prng.int(16)))]);
  },
  'repeat a run': (b, prng, hot) => {
    const at = prng.int(Math.max(1, Math.min(hot, b.length)));
    const run = b.subarray(at, Math.min(b.length, at + 1 + prng.int(16)));
    return Buffer.concat([b.subarray(0, at), run, b.subarray(at)]);
  },
};

/** 1–3 mutations in a row; returns the bytes and the names applied. */
export function mutate(b: Buffer, prng: Prng, hot: number): { bytes: Buffer; applied: string[] } {
  const names = Object.keys(MUTATIONS);
  let bytes = b;
  const applied: string[] = [];
  for (let i = 0, n = 1 + prng.int(3); i < n; i++) {
    const name = prng.pick(names);
    bytes = MUTATIONS[name]!(bytes, prng, hot);
    applied.push(name);
  }
  return { bytes, applied };
}
