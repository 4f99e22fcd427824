/**
 * Independent, deliberately plain checkers of the safetensors and GGUF rules (written from the
 * safetensors crate's `read_metadata`/`validate` and ggml's `gguf_init_from_file_impl`, not from
 * the readers), used by the fuzz test to judge what the readers answer. Synchronous, whole-buffer.
 */
import { GGML_TYPES, SAFETENSORS_DTYPE_BITS } from '../../formats/dtypes.js';

/** What a file should read as: its tensors, or the error code a reader must give. */
export type Verdict =
  | { ok: true; tensors: Array<[string, string, number[]]> }
  | { ok: false; code: 'CORRUPT' | 'TRUNCATED' | 'HEADER_TOO_LARGE' | 'UNSUPPORTED' | 'ANY'; why: string };

class Broken extends Error {
  constructor(readonly code: Exclude<Verdict, { ok: true }>['code'], why: string) {
    super(why);
  }
}

function judge(check: () => Array<[string, string, number[]]>): Verdict {
  try {
    return { ok: true, tensors: check() };
  } catch (e) {
    if (e instanceof Broken) return { ok: false, code: e.code, why: e.message };
    throw e;
  }
}

export function judgeSafetensors(b: Buffer): Verdict {
  return judge(() => {
    // What makes a file safetensors at all: a binary length, then '{' (or '[' after a plausible length).
    if (b.length < 9) throw new Broken('ANY', 'shorter than the length prefix');
    const n = b.readBigUInt64LE(0);
    const binary = !b.subarray(0, 8).every((x) => (x >= 0x20 && x < 0x7f) || (x >= 0x09 && x <= 0x0d));
    if (!binary || !(b[8] === 0x7b || (b[8] === 0x5b && n <= 100_000_000n))) throw new Broken('ANY', 'not sniffed as safetensors');
    if (n > 100_000_000n) throw new Broken('HEADER_TOO_LARGE', 'header over 100 MB');
    if (Number(n) > b.length - 8) throw new Broken('TRUNCATED', 'header runs past the end');
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(8, 8 + Number(n))));
    } catch {
      throw new Broken('CORRUPT', 'not UTF-8 JSON');
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Broken('CORRUPT', 'not an object');
    const out: Array<[string, string, number[]]> = [];
    const spans: Array<[number, number]> = [];
    for (const [name, v] of Object.entries(header)) {
      if (name === '__metadata__') {
        if (v === null) continue;
        if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) throw new Broken('CORRUPT', 'metadata');
        continue;
      }
      const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
      if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new Broken('CORRUPT', `entry ${name}`);
      const ok = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
      if (typeof e.dtype !== 'string' || !Object.prototype.hasOwnProperty.call(SAFETENSORS_DTYPE_BITS, e.dtype)) throw new Broken('CORRUPT', `dtype of ${name}`);
      if (!Array.isArray(e.shape) || !e.shape.every(ok)) throw new Broken('CORRUPT', `shape of ${name}`);
      const o = e.data_offsets;
      if (!Array.isArray(o) || o.length !== 2 || !o.every(ok) || o[1] < o[0]) throw new Broken('CORRUPT', `offsets of ${name}`);
      let bits = BigInt(SAFETENSORS_DTYPE_BITS[e.dtype]!);
      let count = 1n;
      for (const d of e.shape as number[]) count *= BigInt(d);
      bits *= count;
      if (count >= 2n ** 64n || bits >= 2n ** 64n || bits % 8n !== 0n || bits / 8n !== BigInt(o[1] - o[0])) throw new Broken('CORRUPT', `size of ${name}`);
      spans.push([o[0], o[1]]);
      out.push([name, e.dtype, e.shape as number[]]);
    }
    spans.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let at = 0;
    for (const [s, e] of spans) {
      if (s !== at) throw new Broken('CORRUPT', 'hole or overlap');
      at = e;
    }
    if (8 + Number(n) + at !== b.length) throw new Broken('CORRUPT', 'data section not covered exactly');
    return out;
  });
}

const FIXED: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** GGUF v2/v3, little- or big-endian; limits as the reader's (1 MiB strings, 2^24 array elements, 2^20 tensors and keys). */
export function judgeGguf(b: Buffer): Verdict {
  return judge(() => {
    let p = 0;
    let le = true;
    const need = (n: number) => {
      if (p + n > b.length) throw new Broken('TRUNCATED', `needs ${n} bytes at ${p}`);
    };
    const u32 = () => (need(4), (p += 4), le ? b.readUInt32LE(p - 4) : b.readUInt32BE(p - 4));
    const u64 = () => (need(8), (p += 8), le ? b.readBigUInt64LE(p - 8) : b.readBigUInt64BE(p - 8));
    const count = (max: number) => {
      const v = u64();
      if (v > BigInt(max)) throw new Broken('ANY', 'over a limit');
      return Number(v);
    };
    const str = () => {
      const n = count(1024 * 1024);
      need(n);
      p += n;
      return b.toString('utf8', p - n, p);
    };
    const value = (type: number, depth: number): unknown => {
      if (type === 8) return str();
      if (type === 9) {
        if (depth >= 8) throw new Broken('ANY', 'nesting');
        const t = u32();
        if (t > 12) throw new Broken('CORRUPT', 'element type');
        const n = count(1 << 24);
        if (FIXED[t] !== undefined) {
          need(n * FIXED[t]!);
          p += n * FIXED[t]!;
          return undefined;
        }
        need(n * 8);
        for (let i = 0; i < n; i++) value(t, depth + 1);
        return undefined;
      }
      need(FIXED[type]!);
      p += FIXED[type]!;
      return type === 4 ? (le ? b.readUInt32LE(p - 4) : b.readUInt32BE(p - 4)) : undefined;
    };
    need(8);
    if (b.toString('latin1', 0, 4) !== 'GGUF') throw new Broken('ANY', 'magic');
    p = 4;
    let version = b.readUInt32LE(4);
    if ((version & 0xffff) === 0) {
      le = false;
      version = b.readUInt32BE(4);
    }
    p = 8;
    if (version !== 2 && version !== 3) throw new Broken('UNSUPPORTED', `version ${version}`);
    const nTensors = count(1 << 20);
    const nKv = count(1 << 20);
    const keys = new Set<string>();
    let alignment = 32;
    for (let i = 0; i < nKv; i++) {
      const key = str();
      const type = u32();
      if (type > 12) throw new Broken('CORRUPT', 'value type');
      const v = value(type, 0);
      if (keys.has(key)) throw new Broken('CORRUPT', `duplicate key ${key}`);
      keys.add(key);
      if (key === 'general.alignment') {
        if (type !== 4) throw new Broken('CORRUPT', 'alignment type');
        alignment = v as number;
        if (alignment === 0 || (alignment & (alignment - 1)) !== 0) throw new Broken('CORRUPT', 'alignment value');
      }
    }
    const infos: Array<{ name: string; type: string; shape: number[]; offset: bigint; bytes: bigint }> = [];
    for (let i = 0; i < nTensors; i++) {
      const name = str();
      const nDims = u32();
      if (nDims > 4) throw new Broken('CORRUPT', 'dims');
      need(nDims * 8 + 12);
      const ne: bigint[] = [];
      for (let d = 0; d < nDims; d++) ne.push(u64());
      const type = GGML_TYPES.get(u32());
      const offset = u64();
      if (ne.some((d) => d >= 2n ** 63n)) throw new Broken('CORRUPT', 'negative dim');
      const elements = ne.reduce((a, d) => a * d, 1n);
      if (elements >= 2n ** 63n - 1n || ne.some((d) => d > BigInt(Number.MAX_SAFE_INTEGER))) throw new Broken('CORRUPT', 'element count');
      if (type === undefined) throw new Broken('CORRUPT', 'type');
      const inner = ne[0] ?? 1n;
      if (inner % BigInt(type.blockSize) !== 0n) throw new Broken('CORRUPT', 'block');
      if (offset % BigInt(alignment) !== 0n || offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new Broken('CORRUPT', 'offset');
      if (infos.some((t) => t.name === name)) throw new Broken('CORRUPT', 'duplicate tensor');
      infos.push({ name, type: type.name, shape: ne.map(Number).reverse(), offset, bytes: (elements / BigInt(type.blockSize)) * BigInt(type.typeSize) });
    }
    const dataStart = BigInt(nTensors > 0 ? Math.ceil(p / alignment) * alignment : p);
    for (const t of infos) if (dataStart + t.offset + t.bytes > BigInt(b.length)) throw new Broken('CORRUPT', 'past the end');
    const placed = infos.filter((t) => t.bytes > 0n).sort((x, y) => (x.offset < y.offset ? -1 : x.offset > y.offset ? 1 : 0));
    for (let i = 1; i < placed.length; i++) if (placed[i]!.offset < placed[i - 1]!.offset + placed[i - 1]!.bytes) throw new Broken('CORRUPT', 'overlap');
    return infos.map((t) => [t.name, t.type, t.shape]);
  });
}
