import type { Container } from './types.js';

/** How many leading bytes `sniffContainer` needs to decide (fewer are fine for short files). */
export const SNIFF_BYTES = 64;

/** PROTO 2, LONG1 of 10 bytes, then torch's legacy magic number 0x1950a86a20f9469cfc6c (LE). */
export const LEGACY_TORCH_SIGNATURE = Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]);

/**
 * The container a file's first bytes announce, independent of its extension, or undefined.
 * Checked in an order that keeps the weaker signatures (safetensors' `{` at byte 8, pickle's
 * 0x80) from shadowing the stronger magics.
 */
export function sniffContainer(firstBytes: Uint8Array): Container | undefined {
  const b = Buffer.from(firstBytes.buffer, firstBytes.byteOffset, firstBytes.length);
  if (b.length >= 4 && b.toString('latin1', 0, 4) === 'GGUF') return 'gguf';
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'torch-zip';
  if (b.length >= LEGACY_TORCH_SIGNATURE.length && b.subarray(0, LEGACY_TORCH_SIGNATURE.length).equals(LEGACY_TORCH_SIGNATURE)) {
    return 'torch-legacy';
  }
  // A text file with '{' at byte 8 is not safetensors: a real header length is never 8 printable bytes.
  if (b.length >= 9 && b[8] === 0x7b && !isPrintable(b.subarray(0, 8))) return 'safetensors';
  // A JSON array after a plausible length is a safetensors file whose header is broken, not an unknown format.
  if (b.length >= 9 && b[8] === 0x5b && b.readBigUInt64LE(0) <= 100_000_000n && !isPrintable(b.subarray(0, 8))) return 'safetensors';
  if (b.length >= 2 && b[0] === 0x80 && b[1]! >= 2 && b[1]! <= 5) return 'pickle';
  return undefined;
}

/**
 * A human explanation of bytes no reader recognises: pre-GGUF llama.cpp files, zero-filled
 * (pre-allocated) downloads, HTML error pages, Git LFS pointers, JSON, other text, or binary.
 */
export function describeUnrecognised(firstBytes: Uint8Array): { kind: UnrecognisedKind; problem: string; hint: string } {
  const b = Buffer.from(firstBytes.buffer, firstBytes.byteOffset, firstBytes.length);
  const ggml = LEGACY_GGML_MAGICS[b.toString('latin1', 0, 4)];
  if (b.length >= 4 && ggml !== undefined) {
    return { kind: 'legacy-ggml', problem: `is a pre-GGUF llama.cpp file (${ggml}), which current llama.cpp no longer loads`, hint: 'convert it to GGUF or download a GGUF version' };
  }
  if (b.length > 0 && b.every((byte) => byte === 0)) {
    return { kind: 'zeros', problem: 'starts with only zero bytes (an incomplete or pre-allocated download)', hint: REDOWNLOAD };
  }
  const text = b.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  if (/^<(!doctype html|html|head|body|meta|title|script)\b/.test(text) || /^<\?xml/.test(text)) {
    return {
      kind: 'html',
      problem: 'looks like an HTML/XML page, not a model file (probably a failed download: an error or login page saved under a model name)',
      hint: 're-download the file; if the site needs a login or API token, provide it to your download tool',
    };
  }
  if (text.startsWith('version https://git-lfs')) {
    return { kind: 'lfs-pointer', problem: 'is a Git LFS pointer file, not the model itself', hint: 'run `git lfs pull` in the repository, or download the file directly' };
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    return { kind: 'json', problem: 'looks like JSON text, not a model file', hint: 'check that the right file was downloaded' };
  }
  if (b.length > 0 && isMostlyText(b)) {
    return { kind: 'text', problem: 'looks like a text file, not a model file', hint: 're-download the file; it is not a model' };
  }
  return {
    kind: 'binary',
    problem: `has unrecognised leading bytes ${b.subarray(0, 16).toString('hex').replace(/(..)/g, '$1 ').trim()}` +
      ' (not safetensors, GGUF, a PyTorch zip or a pickle)',
    hint: REDOWNLOAD,
  };
}

export type UnrecognisedKind = 'html' | 'lfs-pointer' | 'json' | 'text' | 'legacy-ggml' | 'zeros' | 'binary';

const REDOWNLOAD = 're-download the file; it is damaged or not a supported model format';

/** The old llama.cpp magics, as their little-endian u32 bytes appear in the file. */
const LEGACY_GGML_MAGICS: Readonly<Record<string, string>> = { lmgg: 'GGML', fmgg: 'GGMF', tjgg: 'GGJT', algg: 'GGLA' };

function isPrintable(b: Buffer): boolean {
  return b.every((byte) => (byte >= 0x20 && byte < 0x7f) || (byte >= 0x09 && byte <= 0x0d));
}

function isMostlyText(b: Buffer): boolean {
  let printable = 0;
  for (const byte of b) {
    if (byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f) || byte >= 0xc2) printable++;
  }
  return printable / b.length > 0.95;
}
