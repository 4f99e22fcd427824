import { setEntry, type HeaderBody } from './body.js';
import { ByteCursor } from './cursor.js';
import { countElementsExact, GGML_TYPES, ggmlByteSize } from './dtypes.js';
import { corruptError, describeValue, formatError } from './errors.js';
import { GGUF_VALUE_TYPES, GgufValueReader, type GgufLimits } from './gguf-values.js';
import type { ByteSource } from './source.js';
import type { MetadataValue, TensorInfo } from './types.js';

export interface GgufReadLimits extends GgufLimits {
  /** Most bytes the whole header (KVs and tensor infos) may span. */
  maxHeaderBytes: number;
  maxTensors: number;
  maxKeyValues: number;
}

export const GGUF_LIMITS: Readonly<GgufReadLimits> = {
  maxStringBytes: 1024 * 1024,
  maxArrayElements: 1 << 24,
  inlineArrayElements: 64,
  maxArrayDepth: 8,
  maxHeaderBytes: 256 * 1024 * 1024,
  maxTensors: 1 << 20,
  maxKeyValues: 1 << 20,
};

/** GGML_MAX_DIMS. */
const MAX_DIMS = 4;
const DEFAULT_ALIGNMENT = 32;
const UINT32 = 4;
const INT64_MAX = (1n << 63n) - 1n;
const ORIG_SHAPE_PREFIX = 'comfy.gguf.orig_shape.';

/**
 * Reads a GGUF v2/v3 header (either byte order): every KV pair into `metadata` (long arrays
 * summarised), then the tensor infos with dims reversed to PyTorch order (a ComfyUI-GGUF
 * `comfy.gguf.orig_shape.<name>` KV overrides the shape). `dataOffset` is the end of the tensor
 * infos aligned to `general.alignment` (default 32). GGUF v1, which llama.cpp no longer reads, is
 * ERR_MODELHUB_UNSUPPORTED. A header that breaks the format is ERR_MODELHUB_CORRUPT naming the
 * tensor or key, with ggml's rules: keys and tensor names unique, `general.alignment` a uint32
 * power of two, at most 4 non-negative dims whose element count fits in 64 bits, a known ggml
 * type with whole blocks per row, offsets aligned, tensor data not overlapping and ending within
 * the file. Tensor data is never read: the checks use the header and the file size.
 */
export async function readGgufHeader(source: ByteSource, limits: Partial<GgufReadLimits> = {}): Promise<HeaderBody> {
  const lim = { ...GGUF_LIMITS, ...limits };
  const path = source.path;
  const c = new ByteCursor(source, { start: 0, end: source.size, limit: lim.maxHeaderBytes, what: 'GGUF header' });
  const warnings: string[] = [];
  await c.need(8);
  if (c.bytes(4).toString('latin1') !== 'GGUF') throw formatError('ERR_MODELHUB_UNKNOWN_FORMAT', path, 'does not start with the GGUF magic');
  const version = readVersion(c, warnings);
  const values = new GgufValueReader(c, version, lim);
  const tensorCount = await values.readCount('tensor count', lim.maxTensors);
  const kvCount = await values.readCount('key/value count', lim.maxKeyValues);

  const metadata: Record<string, MetadataValue> = {};
  let alignmentType: number | undefined;
  for (let i = 0; i < kvCount; i++) {
    const key = await values.readString('key');
    const type = await values.readType(`key "${key}"`);
    const value = await values.readValue(type);
    if (Object.prototype.hasOwnProperty.call(metadata, key)) throw corruptGguf(path, `key ${JSON.stringify(key)} appears twice`);
    if (key === 'general.alignment') alignmentType = type;
    setEntry(metadata, key, value);
  }
  const alignment = readAlignment(path, metadata, alignmentType);

  const infos: StoredTensor[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const info = await readTensorInfo(c, values, alignment);
    if (names.has(info.name)) throw corruptGguf(path, `two tensors are named ${JSON.stringify(info.name)}`);
    names.add(info.name);
    infos.push(info);
  }
  const dataOffset = tensorCount > 0 ? Math.ceil(c.position / alignment) * alignment : c.position;
  checkTensorData(source, { infos, dataOffset, alignment, warnings });
  const tensors: TensorInfo[] = infos.map((t) => ({ name: t.name, dtype: t.dtype, shape: overrideShape(metadata, t.name) ?? t.shape }));
  return { tensors, metadata, dataOffset, warnings, version };
}

function readVersion(c: ByteCursor, warnings: string[]): number {
  let version = c.u32();
  if ((version & 0xffff) === 0) {
    const swap = Buffer.alloc(4);
    swap.writeUInt32LE(version);
    version = swap.readUInt32BE(0);
    c.littleEndian = false;
    warnings.push('big-endian GGUF');
  }
  if (version === 1) {
    throw formatError('ERR_MODELHUB_UNSUPPORTED', c.path, 'unsupported GGUF version 1 (GGUFv1 files are no longer read by llama.cpp)',
      'download a current GGUF (version 2 or 3) of the model, or convert it again with a current llama.cpp');
  }
  if (version < 1 || version > 3) {
    throw formatError('ERR_MODELHUB_UNSUPPORTED', c.path, `unsupported GGUF version ${version} (ModelHub reads versions 2 and 3)`, 'update ModelHub');
  }
  return version;
}

/** A tensor info as stored: shape already reversed to PyTorch order. */
interface StoredTensor {
  name: string;
  dtype: string;
  shape: number[];
  offset: number;
  bytes: number;
}

async function readTensorInfo(c: ByteCursor, values: GgufValueReader, alignment: number): Promise<StoredTensor> {
  const name = await values.readString('tensor name');
  const bad = (problem: string) => corruptGguf(c.path, `tensor ${JSON.stringify(name)} ${problem}`);
  await c.need(4);
  const nDims = c.u32();
  if (nDims > MAX_DIMS) throw bad(`declares ${nDims} dimensions; at most ${MAX_DIMS} are allowed`);
  await c.need(nDims * 8 + 12);
  const dims: bigint[] = [];
  for (let d = 0; d < nDims; d++) {
    const dim = c.u64();
    if (dim >= 1n << 63n) throw bad(`has a negative dimension (${dim} read as a signed 64-bit number)`);
    dims.push(dim);
  }
  if (countElementsExact(dims) >= INT64_MAX) throw bad(`has dims [${dims.join(', ')}], whose element count does not fit in 64 bits`);
  if (dims.some((d) => d > BigInt(Number.MAX_SAFE_INTEGER))) throw bad(`has an impossible dimension ${dims.find((d) => d > BigInt(Number.MAX_SAFE_INTEGER))}`);
  const typeId = c.u32();
  const offset = c.u64();
  const type = GGML_TYPES.get(typeId);
  if (type === undefined) throw bad(`has ggml type ${typeId}, which ggml does not define (a removed or unknown type)`);
  const shape = dims.map(Number).reverse();
  const bytes = ggmlByteSize(type, shape);
  if (bytes === undefined) {
    throw bad(`of type ${type.name} has rows of ${shape[shape.length - 1]} elements, not a multiple of its block size ${type.blockSize}`);
  }
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`has data offset ${offset}, beyond the end of any file`);
  if (offset % BigInt(alignment) !== 0n) throw bad(`has data offset ${offset}, not a multiple of general.alignment (${alignment})`);
  return { name, dtype: type.name, shape, offset: Number(offset), bytes };
}

/** ggml: `general.alignment`, when present, is a uint32 power of two. */
function readAlignment(path: string, metadata: Record<string, MetadataValue>, type: number | undefined): number {
  if (type === undefined) return DEFAULT_ALIGNMENT;
  const value = metadata['general.alignment'];
  if (type !== UINT32) throw corruptGguf(path, `general.alignment has type ${GGUF_VALUE_TYPES[type]?.name ?? type} (${describeValue(value)}), not uint32`);
  if (typeof value !== 'number' || value <= 0 || (value & (value - 1)) !== 0) {
    throw corruptGguf(path, `general.alignment is ${describeValue(value)}, not a power of two`);
  }
  return value;
}

function overrideShape(metadata: Record<string, MetadataValue>, name: string): number[] | undefined {
  const key = ORIG_SHAPE_PREFIX + name;
  if (!Object.prototype.hasOwnProperty.call(metadata, key)) return undefined;
  const value = metadata[key];
  return Array.isArray(value) && value.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0) ? (value as number[]) : undefined;
}

/**
 * Tensor data may not overlap or run past the end of the file. Gaps and an order other than the
 * declared one are allowed by the spec, but llama.cpp refuses them: a warning.
 */
function checkTensorData(source: ByteSource, o: { infos: StoredTensor[]; dataOffset: number; alignment: number; warnings: string[] }): void {
  const available = source.size - o.dataOffset;
  let last: StoredTensor | undefined;
  for (const t of o.infos) if (last === undefined || t.offset + t.bytes > last.offset + last.bytes) last = t;
  if (last !== undefined && last.offset + last.bytes > available) {
    const end = o.dataOffset + last.offset + last.bytes;
    throw corruptGguf(source.path, `tensor ${JSON.stringify(last.name)} ends at byte ${end} but the file has only ${source.size} bytes ` +
      `(${end - source.size} bytes missing: the file is cut off)`);
  }
  const sorted = o.infos.filter((t) => t.bytes > 0).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    if (b.offset < a.offset + a.bytes) {
      throw corruptGguf(source.path, `tensor ${JSON.stringify(b.name)} (data bytes ${b.offset}–${b.offset + b.bytes}) overlaps tensor ` +
        `${JSON.stringify(a.name)} (data bytes ${a.offset}–${a.offset + a.bytes})`);
    }
  }
  let packed = 0;
  for (const t of o.infos) {
    if (t.offset !== packed) {
      o.warnings.push(`tensor data has gaps or is out of order from tensor ${JSON.stringify(t.name)} on (allowed by the spec, but llama.cpp refuses such files)`);
      break;
    }
    packed += Math.ceil(t.bytes / o.alignment) * o.alignment;
  }
}

function corruptGguf(path: string, problem: string): Error {
  return corruptError(path, 'GGUF file', problem);
}
