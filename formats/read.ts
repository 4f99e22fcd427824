import { formatFromPath, type ModelFormat } from '../core/vocabulary.js';
import type { HeaderBody } from './body.js';
import { readGgufHeader } from './gguf.js';
import { readSafetensorsHeader } from './safetensors.js';
import { SNIFF_BYTES, describeUnrecognised, sniffContainer } from './sniff.js';
import { formatError } from './errors.js';
import { FileSource, type ByteSource } from './source.js';
import { readTorchHeader } from './torch.js';
import type { Container, ModelHeader } from './types.js';

export { sniffContainer } from './sniff.js';
export { describeHeader, type HeaderSummary } from './summary.js';

export interface ReadHeaderOptions {
  /** Cap on a safetensors JSON header (default and maximum 100 MB) and on a GGUF header (default 256 MiB). */
  maxHeaderBytes?: number;
}

/**
 * Reads what a model file declares about itself, from its header only. Follows symlinks
 * (`size` is the target's), decides the container from the first bytes (never the extension),
 * and takes `format` from the extension (or from the container when the name has none).
 * Opens the file read-only, reads a bounded prefix (and, for zips, the central directory at the
 * end), never reads tensor data, never writes, and always closes the file.
 * Every expected failure is a ModelHubError naming the path, with a hint, from the closed set in
 * errors.ts: NOT_FOUND, SYMLINK_LOOP, NOT_A_FILE, PERMISSION_DENIED, EMPTY_FILE, UNKNOWN_FORMAT,
 * TRUNCATED (the file ends inside its header), HEADER_TOO_LARGE, CORRUPT (the header breaks the
 * format's rules, naming the tensor or field), UNSUPPORTED, LIMIT.
 */
export async function readModelHeader(path: string, opts: ReadHeaderOptions = {}): Promise<ModelHeader> {
  const source = await FileSource.open(path);
  try {
    return await readOpenHeader(source, opts);
  } finally {
    await source.close();
  }
}

/** `readModelHeader` for an already opened source (tests use in-memory sources). */
export async function readOpenHeader(source: ByteSource, opts: ReadHeaderOptions = {}): Promise<ModelHeader> {
  const head = await source.read(0, Math.min(SNIFF_BYTES, source.size));
  const container = sniffContainer(head);
  if (container === undefined) {
    const { kind, problem, hint } = describeUnrecognised(head);
    if ((kind === 'binary' || kind === 'text' || kind === 'zeros') && source.size < 9) {
      throw formatError('ERR_MODELHUB_TRUNCATED', source.path, `is only ${source.size} bytes, too short for any model header`);
    }
    throw formatError(kind === 'legacy-ggml' ? 'ERR_MODELHUB_UNSUPPORTED' : 'ERR_MODELHUB_UNKNOWN_FORMAT', source.path, problem, hint);
  }
  const body = await readBody(source, container, opts);
  const header: ModelHeader = {
    path: source.path,
    format: formatFromPath(source.path) ?? defaultFormat(container),
    container,
    size: source.size,
    tensors: body.tensors,
    metadata: body.metadata,
    dataOffset: body.dataOffset,
    bytesRead: source.bytesRead,
    warnings: body.warnings,
  };
  if (body.version !== undefined) header.version = body.version;
  if (body.unsafeGlobals !== undefined) header.unsafeGlobals = body.unsafeGlobals;
  return header;
}

function readBody(source: ByteSource, container: Container, opts: ReadHeaderOptions): Promise<HeaderBody> {
  switch (container) {
    case 'safetensors':
      return readSafetensorsHeader(source, opts.maxHeaderBytes === undefined ? {} : { maxHeaderBytes: opts.maxHeaderBytes });
    case 'gguf':
      return readGgufHeader(source, opts.maxHeaderBytes === undefined ? {} : { maxHeaderBytes: opts.maxHeaderBytes });
    case 'torch-zip':
    case 'torch-legacy':
    case 'pickle':
      return readTorchHeader(source, container);
  }
}

function defaultFormat(container: Container): ModelFormat {
  if (container === 'safetensors' || container === 'gguf') return container;
  return 'pt';
}
