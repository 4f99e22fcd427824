import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { YAML_LIMITS } from './yaml-limits.js';
import type { YamlProblem } from './yaml.js';

/**
 * The text of a YAML file, for parseYamlDocuments. A file larger than `maxBytes` is refused
 * before it is read, and no more than `maxBytes` are ever read (a file that grows meanwhile, or
 * a device, is refused too). A file that is not UTF-8 text (Latin-1, UTF-16, binary) is refused
 * with the position of the first byte that is not. Errors opening or reading it (ENOENT, EACCES, EISDIR) are thrown as
 * they come, for the caller to word. `shown` names the file in problems.
 */
export function readYamlFile(file: string, shown: string = file, maxBytes: number = YAML_LIMITS.maxBytes): { text: string } | { problem: YamlProblem } {
  const fd = openSync(file, 'r');
  let bytes: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return tooLarge(shown, maxBytes, size);
    const read = readAtMost(fd, size, maxBytes + 1);
    if (read.length > maxBytes) return tooLarge(shown, maxBytes, undefined);
    bytes = read;
  } finally {
    closeSync(fd);
  }
  const bad = notTextAt(bytes);
  if (bad === undefined) return { text: bytes.toString('utf8') };
  return { problem: { file: shown, ...positionOf(bytes, bad.offset), message: `not UTF-8 text (${bad.why}); save the file as UTF-8` } };
}

/**
 * Where and why `bytes` is not UTF-8 text, or undefined when it is. A NUL byte counts as not
 * text (UTF-16 and binary files have them; YAML never does).
 */
function notTextAt(bytes: Buffer): { offset: number; why: string } | undefined {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) return { offset: 0, why: 'it starts with a UTF-16 byte order mark' };
  const nul = bytes.indexOf(0);
  const invalid = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  if (nul === -1 && invalid === -1) return undefined;
  if (nul !== -1 && (invalid === -1 || nul < invalid)) return { offset: nul, why: 'a NUL byte: UTF-16 or binary data' };
  return { offset: invalid, why: `byte 0x${bytes[invalid]!.toString(16).toUpperCase().padStart(2, '0')}, as in Latin-1 or binary data` };
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i += 1;
      continue;
    }
    const lead = utf8Lead(c);
    if (lead === undefined) return i;
    const [n, lo, hi] = lead;
    const second = b[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * For a UTF-8 lead byte: how many continuation bytes follow and the range of the first one (no
 * overlong forms, no surrogates, nothing past U+10FFFF); undefined for a byte that cannot lead.
 */
function utf8Lead(c: number): [number, number, number] | undefined {
  if (c >= 0xc2 && c <= 0xdf) return [1, 0x80, 0xbf];
  if (c === 0xe0) return [2, 0xa0, 0xbf];
  if (c === 0xed) return [2, 0x80, 0x9f];
  if (c >= 0xe1 && c <= 0xef) return [2, 0x80, 0xbf];
  if (c === 0xf0) return [3, 0x90, 0xbf];
  if (c >= 0xf1 && c <= 0xf3) return [3, 0x80, 0xbf];
  if (c === 0xf4) return [3, 0x80, 0x8f];
  return undefined;
}

/** Line and column (in characters) of a byte offset, counting only the valid text before it. */
function positionOf(bytes: Buffer, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, col: bytes.toString('utf8', lineStart, offset).length + 1 };
}

/** Up to `limit` bytes from `fd`, starting with a buffer of the size fstat gave. */
function readAtMost(fd: number, sizeHint: number, limit: number): Buffer {
  let buf = Buffer.alloc(Math.min(limit, Math.max(sizeHint + 1, 4096)));
  let length = 0;
  for (;;) {
    if (length === buf.length) {
      if (buf.length >= limit) break;
      const bigger = Buffer.alloc(Math.min(limit, buf.length * 2));
      buf.copy(bigger, 0, 0, length);
      buf = bigger;
    }
    const n = readSync(fd, buf, length, buf.length - length, null);
    if (n === 0) break;
    length += n;
  }
  return buf.subarray(0, length);
}

function tooLarge(shown: string, maxBytes: number, size: number | undefined): { problem: YamlProblem } {
  const what = size === undefined ? `more than ${maxBytes} bytes` : `${size} bytes`;
  return { problem: { file: shown, line: 1, col: 1, message: `${what}, larger than a YAML file may be (limit ${maxBytes} bytes); split it into several files` } };
}
