import { setEntry, type HeaderBody } from './body.js';
import { ByteCursor } from './cursor.js';
import { scanPickle, type PickleLimits, type PickleScan } from './pickle.js';
import { flattenPickle } from './pickle-flatten.js';
import { isPyDict } from './pickle-values.js';
import { formatError } from './errors.js';
import type { ByteSource } from './source.js';
import type { Container } from './types.js';
import { locateEntryData, readZipDirectory, type ZipEntry } from './zip.js';

/** Most bytes a checkpoint's pickles may span (data.pkl, or the leading pickles of a legacy file). */
export const MAX_PICKLE_BYTES = 512 * 1024 * 1024;

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;
/** Entries torch.save writes (A1111's safe list plus the markers newer torch adds). */
const TORCH_ENTRY = /^[^/]+\/(?:data\/\d+|version|byteorder|\.data\/serialization_id|data\.pkl|\.data\/version|\.format_version|\.storage_alignment)$/;

/**
 * Reads the tensors and metadata of a pickle-based checkpoint without executing it:
 * `torch-zip` (torch ≥ 1.6 archive: central directory, then `<root>/data.pkl`),
 * `torch-legacy` (magic, protocol and sys_info pickles, then the object pickle), or a raw
 * `pickle`. Never reads storage data. `dataOffset` is 0.
 */
export async function readTorchHeader(source: ByteSource, container: Container, limits: Partial<PickleLimits> = {}): Promise<HeaderBody> {
  switch (container) {
    case 'torch-zip':
      return readTorchZip(source, limits);
    case 'torch-legacy':
      return readLegacyTorch(source, limits);
    case 'pickle': {
      const scan = await scanPickle(new ByteCursor(source, { start: 0, end: source.size, limit: MAX_PICKLE_BYTES, what: 'pickle' }), limits);
      return toBody(scan, []);
    }
    default:
      throw new Error(`readTorchHeader: ${container} is not a pickle-based container`);
  }
}

async function readTorchZip(source: ByteSource, limits: Partial<PickleLimits>): Promise<HeaderBody> {
  const { entries } = await readZipDirectory(source);
  const pkl = entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (pkl === undefined) {
    throw formatError('ERR_MODELHUB_BAD_HEADER', source.path, 'is a zip archive without <root>/data.pkl, so not a PyTorch checkpoint');
  }
  if (pkl.method !== 0) {
    throw formatError('ERR_MODELHUB_UNSUPPORTED', source.path,
      `stores ${pkl.name} compressed (zip method ${pkl.method}); torch writes it uncompressed and ModelHub reads only stored entries`);
  }
  if (pkl.size > MAX_PICKLE_BYTES) {
    throw formatError('ERR_MODELHUB_LIMIT', source.path, `has a ${pkl.size}-byte ${pkl.name}, over the ${MAX_PICKLE_BYTES}-byte limit`);
  }
  const start = await locateEntryData(source, pkl);
  if (start + pkl.size > source.size) {
    throw formatError('ERR_MODELHUB_TRUNCATED', source.path, `${pkl.name} runs past the end of the file`);
  }
  const scan = await scanPickle(new ByteCursor(source, { start, end: start + pkl.size, what: pkl.name }), limits);
  const root = pkl.name.slice(0, pkl.name.indexOf('/'));
  const body = toBody(scan, zipWarnings(entries, root, scan.storageKeys));
  if (entries.some((e) => e.name.startsWith(`${root}/code/`) || e.name === `${root}/constants.pkl`)) setEntry(body.metadata, 'torchscript', true);
  return body;
}

/** Warnings for entries outside torch's checkpoint layout (TorchScript) and storages the pickle names but the zip lacks. */
function zipWarnings(entries: ZipEntry[], root: string, storageKeys: Set<string>): string[] {
  const warnings: string[] = [];
  const names = new Set(entries.map((e) => e.name));
  const foreign = entries.filter((e) => !TORCH_ENTRY.test(e.name) || !e.name.startsWith(`${root}/`)).map((e) => e.name);
  if (foreign.length > 0) {
    const torchscript = foreign.some((n) => n.startsWith(`${root}/code/`) || n === `${root}/constants.pkl`);
    warnings.push(`zip holds entries outside a torch checkpoint${torchscript ? ' (a TorchScript archive)' : ''}: ` +
      `${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? `, … (${foreign.length} in all)` : ''}`);
  }
  const missing = [...storageKeys].filter((k) => !names.has(`${root}/data/${k}`));
  if (missing.length > 0) warnings.push(`storages referenced by data.pkl but missing from the zip: ${missing.slice(0, 5).join(', ')}`);
  return warnings;
}

async function readLegacyTorch(source: ByteSource, limits: Partial<PickleLimits>): Promise<HeaderBody> {
  const c = new ByteCursor(source, { start: 0, end: source.size, limit: MAX_PICKLE_BYTES, what: 'legacy torch pickle' });
  const magic = await scanPickle(c, limits);
  if (magic.value !== LEGACY_MAGIC) throw formatError('ERR_MODELHUB_BAD_MAGIC', source.path, 'does not start with the legacy torch magic number');
  const protocol = await scanPickle(c, limits);
  if (protocol.value !== LEGACY_PROTOCOL) {
    throw formatError('ERR_MODELHUB_UNSUPPORTED', source.path, `has legacy torch protocol ${String(protocol.value)}; only ${LEGACY_PROTOCOL} is supported`);
  }
  const sysInfo = await scanPickle(c, limits);
  const warnings: string[] = [];
  if (isPyDict(sysInfo.value) && sysInfo.value.entries.get('little_endian') === false) warnings.push('big-endian legacy torch file');
  const object = await scanPickle(c, limits);
  const unsafe = [...new Set([...magic.unsafeGlobals, ...protocol.unsafeGlobals, ...sysInfo.unsafeGlobals, ...object.unsafeGlobals])];
  return toBody({ ...object, unsafeGlobals: unsafe }, warnings);
}

function toBody(scan: PickleScan, extraWarnings: string[]): HeaderBody {
  const flat = flattenPickle(scan.value);
  return {
    tensors: flat.tensors,
    metadata: flat.metadata,
    dataOffset: 0,
    warnings: [...extraWarnings, ...scan.warnings, ...flat.warnings],
    unsafeGlobals: scan.unsafeGlobals,
  };
}
