import { setEntry, WarningTally, type HeaderBody } from './body.js';
import { safetensorsByteSize } from './dtypes.js';
import { REDOWNLOAD_HINT, formatError, type ByteSource } from './source.js';
import type { MetadataValue, TensorInfo } from './types.js';

/** The safetensors crate's MAX_HEADER_SIZE; a larger declared header is refused before any allocation. */
export const SAFETENSORS_MAX_HEADER = 100_000_000;

interface DataRange {
  name: string;
  begin: number;
  end: number;
}

/**
 * Reads a safetensors header: u64 LE length N, then N bytes of JSON starting with `{`.
 * Reads exactly 8 + N bytes, with N capped at min(maxHeaderBytes, fileSize - 8) before any
 * allocation. Tensor data ranges past the end of the file are ERR_MODELHUB_TRUNCATED; trailing
 * bytes, holes and size mismatches are warnings. `__metadata__` values stay strings.
 */
export async function readSafetensorsHeader(source: ByteSource, opts: { maxHeaderBytes?: number } = {}): Promise<HeaderBody> {
  const path = source.path;
  const cap = Math.min(opts.maxHeaderBytes ?? SAFETENSORS_MAX_HEADER, SAFETENSORS_MAX_HEADER);
  const declared = (await source.read(0, 8)).readBigUInt64LE(0);
  if (declared > BigInt(cap)) {
    throw formatError('ERR_MODELHUB_HEADER_TOO_LARGE', path,
      `declares a ${declared}-byte safetensors header, over the ${cap}-byte limit (file size ${source.size})`, REDOWNLOAD_HINT);
  }
  const headerLength = Number(declared);
  if (headerLength > source.size - 8) {
    throw formatError('ERR_MODELHUB_TRUNCATED', path,
      `declares a ${headerLength}-byte safetensors header but only ${source.size - 8} bytes follow the length`, REDOWNLOAD_HINT);
  }
  if (headerLength < 2) throw formatError('ERR_MODELHUB_BAD_HEADER', path, `declares a ${headerLength}-byte safetensors header, too short for JSON`);
  const json = parseHeaderJson(path, await source.read(8, headerLength));

  const warnings: string[] = [];
  const tally = new WarningTally();
  const metadata: Record<string, MetadataValue> = {};
  const tensors: TensorInfo[] = [];
  const ranges: DataRange[] = [];
  for (const [name, entry] of Object.entries(json)) {
    if (name === '__metadata__') {
      readMetadata(entry, metadata, tally, warnings);
      continue;
    }
    const tensor = parseTensorEntry(path, name, entry);
    tensors.push({ name, dtype: tensor.dtype, shape: tensor.shape });
    ranges.push({ name, begin: tensor.begin, end: tensor.end });
    const expected = safetensorsByteSize(tensor.dtype, tensor.shape);
    if (expected === undefined) tally.add('unknown safetensors dtype', `${name} (${tensor.dtype})`);
    else if (expected !== tensor.end - tensor.begin) tally.add('data_offsets do not match dtype and shape', name);
  }

  const dataOffset = 8 + headerLength;
  checkDataRegion(path, ranges, source.size - dataOffset, warnings, tally);
  tally.flush(warnings);
  return { tensors, metadata, dataOffset, warnings };
}

function parseHeaderJson(path: string, raw: Buffer): Record<string, unknown> {
  if (raw[0] !== 0x7b) throw formatError('ERR_MODELHUB_BAD_HEADER', path, 'safetensors header does not start with "{"', REDOWNLOAD_HINT);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (err) {
    throw formatError('ERR_MODELHUB_BAD_HEADER', path, 'safetensors header is not valid UTF-8', REDOWNLOAD_HINT, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw formatError('ERR_MODELHUB_BAD_HEADER', path, `safetensors header is not valid JSON (${(err as Error).message})`, REDOWNLOAD_HINT, err);
  }
  if (!isPlainObject(parsed)) throw formatError('ERR_MODELHUB_BAD_HEADER', path, 'safetensors header is not a JSON object');
  return parsed;
}

function readMetadata(entry: unknown, metadata: Record<string, MetadataValue>, tally: WarningTally, warnings: string[]): void {
  if (!isPlainObject(entry)) {
    warnings.push('__metadata__ is not an object; ignored');
    return;
  }
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value === 'string') {
      setEntry(metadata, key, value);
    } else {
      tally.add('__metadata__ values that are not strings (kept as JSON text)', key);
      setEntry(metadata, key, JSON.stringify(value));
    }
  }
}

function parseTensorEntry(path: string, name: string, entry: unknown): { dtype: string; shape: number[]; begin: number; end: number } {
  const bad = (problem: string) => formatError('ERR_MODELHUB_BAD_HEADER', path, `tensor "${name}" ${problem}`, REDOWNLOAD_HINT);
  if (!isPlainObject(entry)) throw bad('is not a JSON object');
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string') throw bad('has no string "dtype"');
  if (!Array.isArray(shape) || !shape.every(isCount)) throw bad('has a "shape" that is not a list of non-negative integers');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => typeof o === 'number')) {
    throw bad('has "data_offsets" that are not [begin, end]');
  }
  const [begin, end] = offsets as [number, number];
  if (!isCount(begin) || !isCount(end)) {
    throw bad(`has data_offsets [${begin}, ${end}] that are not exact non-negative integers (out of range)`);
  }
  if (end < begin) throw bad(`has data_offsets [${begin}, ${end}] that end before they begin`);
  return { dtype, shape: shape as number[], begin, end };
}

function checkDataRegion(path: string, ranges: DataRange[], dataLength: number, warnings: string[], tally: WarningTally): void {
  let last: DataRange | undefined;
  for (const range of ranges) if (last === undefined || range.end > last.end) last = range;
  const maxEnd = last?.end ?? 0;
  if (maxEnd > dataLength) {
    throw formatError('ERR_MODELHUB_TRUNCATED', path,
      `tensor data ends at byte ${maxEnd} of the data section (tensor "${last!.name}") but the file holds only ${dataLength} data bytes ` +
        `(${maxEnd - dataLength} bytes missing)`, REDOWNLOAD_HINT);
  }
  if (maxEnd < dataLength) warnings.push(`${dataLength - maxEnd} trailing bytes after the tensor data`);
  const sorted = [...ranges].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const range of sorted) {
    if (range.begin !== expected) tally.add(range.begin > expected ? 'hole in tensor data before' : 'overlapping tensor data at', range.name);
    expected = Math.max(expected, range.end);
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
