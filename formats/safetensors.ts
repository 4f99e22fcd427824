import { setEntry, type HeaderBody } from './body.js';
import { countElementsExact, safetensorsDtypeBits, SAFETENSORS_DTYPE_BITS } from './dtypes.js';
import { corruptError, describeValue, formatError } from './errors.js';
import type { ByteSource } from './source.js';
import type { MetadataValue, TensorInfo } from './types.js';

/** The safetensors crate's MAX_HEADER_SIZE; a larger declared header is refused before any allocation. */
export const SAFETENSORS_MAX_HEADER = 100_000_000;

const U64_LIMIT = 1n << 64n;

interface DataRange {
  name: string;
  begin: number;
  end: number;
}

/**
 * Reads a safetensors header: u64 LE length N, then N bytes of JSON object. Reads exactly
 * 8 + N bytes, with N capped at min(maxHeaderBytes, fileSize - 8) before any allocation, and
 * never the tensor data. A header that breaks the format is ERR_MODELHUB_CORRUPT naming the
 * tensor or field, with the crate's rules: every dtype one of the spec's names (exact case);
 * every span equal to dtype size × shape (sub-byte dtypes filling whole bytes, no 64-bit
 * overflow); offsets, sorted, covering the data section exactly (no hole, no overlap, nothing
 * past the end of the file, nothing after the last tensor); `__metadata__` an object of strings.
 */
export async function readSafetensorsHeader(source: ByteSource, opts: { maxHeaderBytes?: number } = {}): Promise<HeaderBody> {
  const path = source.path;
  const cap = Math.min(opts.maxHeaderBytes ?? SAFETENSORS_MAX_HEADER, SAFETENSORS_MAX_HEADER);
  const declared = (await source.read(0, 8)).readBigUInt64LE(0);
  if (declared > BigInt(cap)) {
    throw formatError('ERR_MODELHUB_HEADER_TOO_LARGE', path, `declares a ${declared}-byte safetensors header, over the ${cap}-byte limit (file size ${source.size})`);
  }
  const headerLength = Number(declared);
  if (headerLength > source.size - 8) {
    throw formatError('ERR_MODELHUB_TRUNCATED', path, `declares a ${headerLength}-byte safetensors header but only ${source.size - 8} bytes follow the length`);
  }
  const bad = (problem: string, cause?: unknown) => corruptError(path, 'safetensors file', problem, cause);
  if (headerLength < 2) throw bad(`the header length is ${headerLength} bytes, too short for JSON`);
  const json = parseHeaderJson(await source.read(8, headerLength), bad);

  const metadata: Record<string, MetadataValue> = {};
  const tensors: TensorInfo[] = [];
  const ranges: DataRange[] = [];
  for (const [name, entry] of Object.entries(json)) {
    if (name === '__metadata__') {
      readMetadata(entry, metadata, bad);
      continue;
    }
    const tensor = parseTensorEntry(name, entry, bad);
    tensors.push({ name, dtype: tensor.dtype, shape: tensor.shape });
    ranges.push({ name, begin: tensor.begin, end: tensor.end });
  }
  const dataOffset = 8 + headerLength;
  checkDataLayout(ranges, source.size - dataOffset, bad);
  return { tensors, metadata, dataOffset, warnings: [] };
}

type Bad = (problem: string, cause?: unknown) => Error;

function parseHeaderJson(raw: Buffer, bad: Bad): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (err) {
    throw bad('the header is not valid UTF-8', err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    if (raw[0] !== 0x7b && raw[0] !== 0x5b) throw bad('the header does not start with "{"', err);
    throw bad(`the header is not valid JSON (${(err as Error).message})`, err);
  }
  if (Array.isArray(parsed)) throw bad('the header is a JSON array, not an object');
  if (!isPlainObject(parsed)) throw bad(`the header is ${describeValue(parsed)}, not a JSON object`);
  return parsed;
}

/** `__metadata__` is optional (null counts as absent) and, when present, a map of strings to strings. */
function readMetadata(entry: unknown, metadata: Record<string, MetadataValue>, bad: Bad): void {
  if (entry === null) return;
  if (!isPlainObject(entry)) throw bad(`__metadata__ is ${describeValue(entry)}, not an object of strings`);
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value !== 'string') throw bad(`__metadata__ ${JSON.stringify(key)} is ${describeValue(value)}, not a string`);
    setEntry(metadata, key, value);
  }
}

function parseTensorEntry(name: string, entry: unknown, bad: Bad): { dtype: string; shape: number[]; begin: number; end: number } {
  const fail = (problem: string) => bad(`tensor ${JSON.stringify(name)} ${problem}`);
  if (!isPlainObject(entry)) throw fail(`is ${describeValue(entry)}, not an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string') throw fail(`has a "dtype" that is ${describeValue(dtype)}, not a string`);
  if (!Array.isArray(shape) || !shape.every(isCount)) throw fail(`has a "shape" that is ${describeValue(shape)}, not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => typeof o === 'number')) {
    throw fail(`has "data_offsets" that are ${describeValue(offsets)}, not [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  if (!isCount(begin) || !isCount(end)) throw fail(`has data_offsets [${begin}, ${end}] that are not exact non-negative integers (out of range)`);
  if (end < begin) throw fail(`has data_offsets [${begin}, ${end}] that end before they begin`);
  const bits = safetensorsDtypeBits(dtype);
  if (bits === undefined) throw fail(`has dtype ${describeValue(dtype)}, which is not a safetensors dtype (${dtypeAdvice(dtype)})`);
  const elements = countElementsExact(shape as number[]);
  const totalBits = elements * BigInt(bits);
  if (elements >= U64_LIMIT || totalBits >= U64_LIMIT) {
    throw fail(`has shape [${shape.join(', ')}], whose size in ${dtype} overflows a 64-bit count`);
  }
  if (totalBits % 8n !== 0n) throw fail(`has ${elements} ${dtype} elements, ${totalBits} bits: not a whole number of bytes`);
  const bytes = totalBits / 8n;
  if (bytes !== BigInt(end - begin)) {
    throw fail(`has dtype ${dtype} and shape [${shape.join(', ')}], which take ${bytes} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { dtype, shape: shape as number[], begin, end };
}

/**
 * Sorted by offsets, the tensors must tile the data section: each begins where the previous
 * ends, the first at 0, the last at the end of the file.
 */
function checkDataLayout(ranges: DataRange[], dataLength: number, bad: Bad): void {
  const sorted = [...ranges].sort((a, b) => a.begin - b.begin || a.end - b.end);
  const last = sorted.reduce<DataRange | undefined>((m, r) => (m === undefined || r.end > m.end ? r : m), undefined);
  if (last !== undefined && last.end > dataLength) {
    throw bad(`tensor ${JSON.stringify(last.name)} ends at byte ${last.end} of the data section but the file holds only ${dataLength} data bytes ` +
      `(${last.end - dataLength} bytes missing: the file is cut off)`);
  }
  let expected = 0;
  let previous: DataRange | undefined;
  for (const r of sorted) {
    if (r.begin > expected) {
      throw bad(`has a hole of ${r.begin - expected} bytes in the tensor data before tensor ${JSON.stringify(r.name)} (data_offsets [${r.begin}, ${r.end}])`);
    }
    if (r.begin < expected) {
      throw bad(`tensor ${JSON.stringify(r.name)} (data_offsets [${r.begin}, ${r.end}]) overlaps tensor ${JSON.stringify(previous?.name)}, which ends at ${expected}`);
    }
    expected = r.end;
    previous = r;
  }
  if (expected < dataLength) {
    const after = previous === undefined ? 'but no tensors' : `after the last tensor, ${JSON.stringify(previous.name)}`;
    throw bad(`has ${dataLength - expected} bytes of data ${after} (the tensors must cover the data section exactly)`);
  }
}

function dtypeAdvice(dtype: string): string {
  const upper = dtype.toUpperCase();
  if (upper !== dtype && safetensorsDtypeBits(upper) !== undefined) return `names are case-sensitive: ${upper}`;
  return `one of ${Object.keys(SAFETENSORS_DTYPE_BITS).join(', ')}`;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
