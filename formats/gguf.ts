import { setEntry, WarningTally, type HeaderBody } from './body.js';
import { ByteCursor } from './cursor.js';
import { GGML_TYPES, ggmlByteSize } from './dtypes.js';
import { GgufValueReader, type GgufLimits } from './gguf-values.js';
import { formatError } from './errors.js';
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
const ORIG_SHAPE_PREFIX = 'comfy.gguf.orig_shape.';

/**
 * Reads a GGUF v1–v3 header (either byte order): every KV pair into `metadata` (long arrays
 * summarised), then the tensor infos with dims reversed to PyTorch order (a ComfyUI-GGUF
 * `comfy.gguf.orig_shape.<name>` KV overrides the shape). `dataOffset` is the aligned end of
 * the tensor infos. Tensor data past the end of the file is ERR_MODELHUB_TRUNCATED.
 */
export async function readGgufHeader(source: ByteSource, limits: Partial<GgufReadLimits> = {}): Promise<HeaderBody> {
  const lim = { ...GGUF_LIMITS, ...limits };
  const path = source.path;
  const c = new ByteCursor(source, { start: 0, end: source.size, limit: lim.maxHeaderBytes, what: 'GGUF header' });
  const warnings: string[] = [];
  await c.need(8);
  if (c.bytes(4).toString('latin1') !== 'GGUF') throw formatError('ERR_MODELHUB_BAD_MAGIC', path, 'does not start with the GGUF magic');
  let version = c.u32();
  if ((version & 0xffff) === 0) {
    const swap = Buffer.alloc(4);
    swap.writeUInt32LE(version);
    version = swap.readUInt32BE(0);
    c.littleEndian = false;
    warnings.push('big-endian GGUF');
  }
  if (version < 1 || version > 3) {
    throw formatError('ERR_MODELHUB_UNSUPPORTED', path, `has GGUF version ${version}; versions 1 to 3 are supported`, 'update ModelHub');
  }
  const values = new GgufValueReader(c, version, lim);
  const tensorCount = await values.readCount('tensor count', lim.maxTensors);
  const kvCount = await values.readCount('key/value count', lim.maxKeyValues);

  const metadata: Record<string, MetadataValue> = {};
  const duplicates = new WarningTally();
  for (let i = 0; i < kvCount; i++) {
    const key = await values.readString('key');
    const value = await values.readValue(await values.readType(`key "${key}"`));
    if (Object.prototype.hasOwnProperty.call(metadata, key)) duplicates.add('duplicate GGUF keys (last value kept)', key);
    setEntry(metadata, key, value);
  }
  duplicates.flush(warnings);
  const alignment = readAlignment(path, metadata);

  const infos: StoredTensor[] = [];
  for (let i = 0; i < tensorCount; i++) infos.push(await readTensorInfo(c, values, version));
  const dataOffset = Math.ceil(c.position / alignment) * alignment;
  checkTensorData(source, { infos, dataOffset, alignment, warnings });
  const tensors: TensorInfo[] = infos.map((t) => ({ name: t.name, dtype: t.dtype, shape: overrideShape(metadata, t.name) ?? t.shape }));
  return { tensors, metadata, dataOffset, warnings, version };
}

/** A tensor info as stored: shape already reversed to PyTorch order, `bytes` undefined for unknown types. */
interface StoredTensor {
  name: string;
  dtype: string;
  shape: number[];
  offset: number;
  bytes: number | undefined;
}

async function readTensorInfo(c: ByteCursor, values: GgufValueReader, version: number): Promise<StoredTensor> {
  const name = await values.readString('tensor name');
  await c.need(4);
  const nDims = c.u32();
  if (nDims > MAX_DIMS) {
    throw formatError('ERR_MODELHUB_BAD_HEADER', c.path, `GGUF tensor "${name}" declares ${nDims} dimensions; at most ${MAX_DIMS} are allowed`);
  }
  const dimSize = version >= 2 ? 8 : 4;
  await c.need(nDims * dimSize + 12);
  const dims: number[] = [];
  for (let d = 0; d < nDims; d++) {
    const dim = version >= 2 ? c.u64() : BigInt(c.u32());
    if (dim > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw formatError('ERR_MODELHUB_BAD_HEADER', c.path, `GGUF tensor "${name}" has an impossible dimension ${dim}`);
    }
    dims.push(Number(dim));
  }
  const typeId = c.u32();
  const offset = c.u64();
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw formatError('ERR_MODELHUB_BAD_HEADER', c.path, `GGUF tensor "${name}" has an impossible data offset ${offset}`);
  }
  const type = GGML_TYPES.get(typeId);
  const shape = dims.reverse();
  return { name, dtype: type?.name ?? `GGML_TYPE_${typeId}`, shape, offset: Number(offset), bytes: ggmlByteSize(type, shape) };
}

function readAlignment(path: string, metadata: Record<string, MetadataValue>): number {
  if (!Object.prototype.hasOwnProperty.call(metadata, 'general.alignment')) return DEFAULT_ALIGNMENT;
  const value = metadata['general.alignment'];
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || (value & (value - 1)) !== 0) {
    throw formatError('ERR_MODELHUB_BAD_HEADER', path, `GGUF general.alignment ${String(value)} is not a positive power of two`);
  }
  return value;
}

function overrideShape(metadata: Record<string, MetadataValue>, name: string): number[] | undefined {
  const key = ORIG_SHAPE_PREFIX + name;
  if (!Object.prototype.hasOwnProperty.call(metadata, key)) return undefined;
  const value = metadata[key];
  return Array.isArray(value) && value.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0) ? (value as number[]) : undefined;
}

function checkTensorData(source: ByteSource, o: { infos: StoredTensor[]; dataOffset: number; alignment: number; warnings: string[] }): void {
  const tally = new WarningTally();
  let last: StoredTensor | undefined;
  let maxEnd = 0;
  for (const t of o.infos) {
    if (t.offset % o.alignment !== 0) tally.add(`tensor data not aligned to ${o.alignment} bytes`, t.name);
    if (t.bytes === undefined) tally.add('unknown GGML tensor type', `${t.name} (${t.dtype})`);
    const end = t.offset + (t.bytes ?? 0);
    if (last === undefined || end > maxEnd) [last, maxEnd] = [t, end];
  }
  const available = source.size - o.dataOffset;
  if (last !== undefined && maxEnd > available) {
    throw formatError('ERR_MODELHUB_TRUNCATED', source.path,
      `GGUF tensor data ends at byte ${o.dataOffset + maxEnd} (tensor "${last.name}") but the file has only ${source.size} bytes ` +
        `(${o.dataOffset + maxEnd - source.size} bytes missing)`);
  }
  tally.flush(o.warnings);
}
