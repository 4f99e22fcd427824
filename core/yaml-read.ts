import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { YAML_LIMITS } from './yaml-limits.js';
import type { YamlProblem } from './yaml.js';

/**
 * The text of a YAML file, for parseYamlDocuments. A file larger than `maxBytes` is refused
 * before it is read, and no more than `maxBytes` are ever read (a file that grows meanwhile, or
 * a device, is refused too). A file that is not UTF-8 text is refused with the position of the
 * first byte that is not. Errors opening or reading it (ENOENT, EACCES, EISDIR) are thrown as
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
  return { text: bytes.toString('utf8') };
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
