import { corruptError, formatError } from './errors.js';
import type { ByteSource } from './source.js';

/** One central-directory entry of a zip archive (ZIP64 fields already applied). */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate, … */
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  zip64: boolean;
}

export const ZIP_LIMITS = { maxDirectoryBytes: 64 * 1024 * 1024, maxEntries: 1_000_000 };

const EOCD_SIZE = 22;
const EOCD64_LOCATOR_SIZE = 20;
const MAX_COMMENT = 0xffff;
const U32_MAX = 0xffffffff;

/**
 * Reads a zip's central directory: finds the End Of Central Directory record in the last
 * 4 KiB, else the last 64 KiB + 22 bytes, follows the ZIP64 locator when present, and applies ZIP64 extra fields.
 * Reads only the tail, the EOCD64 record and the directory itself. A missing EOCD means the
 * archive is truncated (ERR_MODELHUB_TRUNCATED).
 */
export async function readZipDirectory(source: ByteSource): Promise<ZipDirectory> {
  const path = source.path;
  // Most archives have no comment: try a small tail before the largest one a comment allows.
  let tailLength = Math.min(source.size, 4096);
  let tail = await source.read(source.size - tailLength, tailLength);
  let at = findEocd(tail);
  if (at < 0 && tailLength < Math.min(source.size, EOCD_SIZE + MAX_COMMENT)) {
    tailLength = Math.min(source.size, EOCD_SIZE + MAX_COMMENT);
    tail = await source.read(source.size - tailLength, tailLength);
    at = findEocd(tail);
  }
  const tailStart = source.size - tailLength;
  if (at < 0) {
    throw formatError('ERR_MODELHUB_TRUNCATED', path, 'is a zip archive without an end-of-central-directory record (truncated or corrupt)');
  }
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  let dirEnd = tailStart + at;
  let zip64 = false;
  if (at >= EOCD64_LOCATOR_SIZE && tail.readUInt32LE(at - EOCD64_LOCATOR_SIZE) === 0x07064b50) {
    const recordOffset = toNumber(path, tail.readBigUInt64LE(at - EOCD64_LOCATOR_SIZE + 8), 'ZIP64 record offset');
    const record = await source.read(recordOffset, 56);
    if (record.readUInt32LE(0) !== 0x06064b50) throw corruptZip(path, 'the ZIP64 locator points at no ZIP64 record');
    count = toNumber(path, record.readBigUInt64LE(32), 'ZIP64 entry count');
    dirSize = toNumber(path, record.readBigUInt64LE(40), 'ZIP64 directory size');
    dirOffset = toNumber(path, record.readBigUInt64LE(48), 'ZIP64 directory offset');
    dirEnd = recordOffset;
    zip64 = true;
  } else if (count === 0xffff || dirSize === U32_MAX || dirOffset === U32_MAX) {
    throw corruptZip(path, 'the end record announces ZIP64 but the ZIP64 locator is missing');
  }
  if (dirSize > ZIP_LIMITS.maxDirectoryBytes || count > ZIP_LIMITS.maxEntries) {
    throw formatError('ERR_MODELHUB_LIMIT', path, `has a zip directory of ${count} entries / ${dirSize} bytes, over the limits`);
  }
  if (dirOffset + dirSize > dirEnd) {
    throw corruptZip(path, `the central directory (${dirOffset}+${dirSize}) overlaps its end record at ${dirEnd}`);
  }
  const entries = parseDirectory(path, await source.read(dirOffset, dirSize), count);
  return { entries, zip64 };
}

/** Absolute offset of an entry's data, read from its local header. */
export async function locateEntryData(source: ByteSource, entry: ZipEntry): Promise<number> {
  const header = await source.read(entry.localHeaderOffset, 30);
  if (header.readUInt32LE(0) !== 0x04034b50) {
    throw corruptZip(source.path, `entry ${JSON.stringify(entry.name)} has no local header at offset ${entry.localHeaderOffset}`);
  }
  return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

function findEocd(tail: Buffer): number {
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50 && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tail.length) return i;
  }
  return -1;
}

function parseDirectory(path: string, dir: Buffer, count: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8');
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== 0x02014b50) {
      throw corruptZip(path, `central directory entry ${i} at offset ${p} is malformed`);
    }
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > dir.length) throw corruptZip(path, `central directory entry ${i} runs past the directory`);
    const entry: ZipEntry = {
      name: decoder.decode(dir.subarray(p + 46, p + 46 + nameLength)),
      method: dir.readUInt16LE(p + 10),
      crc32: dir.readUInt32LE(p + 16),
      compressedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      localHeaderOffset: dir.readUInt32LE(p + 42),
    };
    applyZip64Extra(path, entry, dir.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    entries.push(entry);
    p = end;
  }
  return entries;
}

/** The ZIP64 extra field (id 1) holds, in order, whichever of these fields were saturated. */
function applyZip64Extra(path: string, entry: ZipEntry, extra: Buffer): void {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const length = extra.readUInt16LE(q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      const next = (what: string): number => {
        if (r + 8 > q + 4 + length || r + 8 > extra.length) throw corruptZip(path, `entry ${JSON.stringify(entry.name)} has a short ZIP64 field`);
        const v = toNumber(path, extra.readBigUInt64LE(r), what);
        r += 8;
        return v;
      };
      if (entry.size === U32_MAX) entry.size = next('ZIP64 size');
      if (entry.compressedSize === U32_MAX) entry.compressedSize = next('ZIP64 compressed size');
      if (entry.localHeaderOffset === U32_MAX) entry.localHeaderOffset = next('ZIP64 offset');
      return;
    }
    q += 4 + length;
  }
}

function toNumber(path: string, v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corruptZip(path, `the ${what} ${v} is impossible`);
  return Number(v);
}

function corruptZip(path: string, problem: string): Error {
  return corruptError(path, 'zip archive', problem);
}
