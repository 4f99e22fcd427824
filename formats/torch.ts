import { setEntry, type HeaderBody } from './body.js';
import { ByteCursor } from './cursor.js';
import { scanPickle, type PickleLimits, type PickleScan } from './pickle.js';
import { flattenPickle } from './pickle-flatten.js';
import { isPyDict } from './pickle-values.js';
import { corruptError, describeValue, formatError } from './errors.js';
import type { ByteSource } from './source.js';
import { checkLegacyStorages, checkZipStorages } from './torch-storages.js';
import type { Container } from './types.js';
import { locateEntryData, readZipDirectory, type ZipEntry } from './zip.js';

/** Most bytes a checkpoint's pickles may span (data.pkl, or the leading pickles of a legacy file). */
export const MAX_PICKLE_BYTES = 512 * 1024 * 1024;

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;
const WHAT = 'PyTorch checkpoint';
/** Entries torch.save writes (A1111's safe list plus the markers newer torch adds). */
const TORCH_ENTRY = /^[^/]+\/(?:data\/\d+|version|byteorder|\.data\/serialization_id|data\.pkl|\.data\/version|\.format_version|\.storage_alignment)$/;

/**
 * Reads the tensors and metadata of a pickle-based checkpoint without executing it:
 * `torch-zip` (torch ≥ 1.6 archive: central directory, then `<root>/data.pkl`),
 * `torch-legacy` (magic, protocol and sys_info pickles, the object pickle, then the storage-key
 * pickle), or a raw `pickle`. Every pickle torch.load would unpickle is scanned, and its unsafe
 * globals reported. Storages must be present with their declared sizes (ERR_MODELHUB_CORRUPT
 * otherwise), checked from the header and the file size: storage data is never read. A zip with
 * two entries of one name is flagged unsafe (readers disagree on which one they load).
 * `dataOffset` is 0.
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
  const path = source.path;
  const { entries } = await readZipDirectory(source);
  const pkl = entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (pkl === undefined) {
    throw formatError('ERR_MODELHUB_UNKNOWN_FORMAT', path, 'is a zip archive without <root>/data.pkl, so not a PyTorch checkpoint',
      'check that the right file was downloaded; ModelHub reads PyTorch checkpoints, not other zip archives');
  }
  if (pkl.method !== 0) {
    throw formatError('ERR_MODELHUB_UNSUPPORTED', path,
      `stores ${pkl.name} compressed (zip method ${pkl.method}); torch writes it uncompressed and ModelHub reads only stored entries`,
      'save the checkpoint again with torch.save, or convert it to safetensors');
  }
  if (pkl.size > MAX_PICKLE_BYTES) {
    throw formatError('ERR_MODELHUB_LIMIT', path, `has a ${pkl.size}-byte ${pkl.name}, over the ${MAX_PICKLE_BYTES}-byte limit`);
  }
  const start = await locateEntryData(source, pkl);
  if (start + pkl.size > source.size) throw corruptError(path, WHAT, `${pkl.name} runs past the end of the file`);
  const scan = await scanPickle(new ByteCursor(source, { start, end: start + pkl.size, what: pkl.name }), limits);
  const root = pkl.name.slice(0, pkl.name.indexOf('/'));
  checkZipStorages(path, entries, root, scan.storages);
  const body = toBody(scan, zipWarnings(entries, root));
  body.unsafeGlobals = [...(body.unsafeGlobals ?? []), ...duplicateEntries(entries)];
  if (entries.some((e) => e.name.startsWith(`${root}/code/`) || e.name === `${root}/constants.pkl`)) setEntry(body.metadata, 'torchscript', true);
  return body;
}

/** Warnings for entries outside torch's checkpoint layout (TorchScript archives have them). */
function zipWarnings(entries: ZipEntry[], root: string): string[] {
  const foreign = entries.filter((e) => !TORCH_ENTRY.test(e.name) || !e.name.startsWith(`${root}/`)).map((e) => e.name);
  if (foreign.length === 0) return [];
  const torchscript = foreign.some((n) => n.startsWith(`${root}/code/`) || n === `${root}/constants.pkl`);
  return [`zip holds entries outside a torch checkpoint${torchscript ? ' (a TorchScript archive)' : ''}: ` +
    `${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? `, … (${foreign.length} in all)` : ''}`];
}

/** Names that appear more than once: which copy a reader loads differs between zip readers, so the file is unsafe. */
function duplicateEntries(entries: ZipEntry[]): string[] {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([name, n]) => `zip entry ${JSON.stringify(name)} appears ${n === 2 ? 'twice' : `${n} times`}`);
}

async function readLegacyTorch(source: ByteSource, limits: Partial<PickleLimits>): Promise<HeaderBody> {
  const path = source.path;
  const c = new ByteCursor(source, { start: 0, end: source.size, limit: MAX_PICKLE_BYTES, what: 'legacy torch pickle' });
  const magic = await scanPickle(c, limits);
  if (magic.value !== LEGACY_MAGIC) throw corruptError(path, WHAT, 'the legacy torch magic number is damaged');
  const protocol = await scanPickle(c, limits);
  if (protocol.value !== LEGACY_PROTOCOL) {
    throw formatError('ERR_MODELHUB_UNSUPPORTED', path, `has legacy torch protocol ${describeValue(protocol.value)}; only ${LEGACY_PROTOCOL} is supported`);
  }
  const sysInfo = await scanPickle(c, limits);
  const warnings: string[] = [];
  if (isPyDict(sysInfo.value) && sysInfo.value.entries.get('little_endian') === false) warnings.push('big-endian legacy torch file');
  const object = await scanPickle(c, limits);
  // torch.load unpickles the storage-key list too: a payload can hide there.
  const keys = await scanPickle(c, limits);
  const scans = [magic, protocol, sysInfo, object, keys];
  const unsafe = [...new Set(scans.flatMap((s) => s.unsafeGlobals))];
  const unchecked = checkLegacyStorages(path, { keys: keys.value, storages: object.storages, dataStart: c.position, fileSize: source.size, unsafe: keys.unsafeGlobals.length > 0 });
  if (unchecked !== undefined) warnings.push(unchecked);
  return toBody({ ...object, unsafeGlobals: unsafe, warnings: [...object.warnings, ...keys.warnings] }, warnings);
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
