import { corruptError, describeValue } from './errors.js';
import { isSequence, type PyStorage, type PyValue } from './pickle-values.js';
import type { ZipEntry } from './zip.js';

/** Bytes per element of each storage dtype (`torch._utils._element_size`); UntypedStorage counts bytes. */
const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  F16: 2, BF16: 2, F32: 4, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1, C64: 8, C128: 16,
  QI8: 1, QU8: 1, QI32: 4, QU4x2: 1, QU2x4: 1,
};

const WHAT = 'PyTorch checkpoint';

/** Bytes a storage's data takes, or undefined when its persistent id gave no element count. */
function storageBytes(s: PyStorage): number | undefined {
  const size = ELEMENT_BYTES[s.dtype];
  return s.numel === undefined || size === undefined ? undefined : s.numel * size;
}

function describeStorage(s: PyStorage): string {
  return `storage ${JSON.stringify(s.key)} (${s.dtype}, ${s.numel ?? '?'} elements)`;
}

/**
 * A torch ≥ 1.6 zip: every storage data.pkl references is an entry `<root>/data/<key>` holding at
 * least the bytes it declares (torch.load fails otherwise). Uses the central directory only.
 */
export function checkZipStorages(path: string, entries: ZipEntry[], root: string, storages: Map<string, PyStorage>): void {
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const s of storages.values()) {
    const name = `${root}/data/${s.key}`;
    const entry = byName.get(name);
    if (entry === undefined) throw corruptError(path, WHAT, `data.pkl references ${describeStorage(s)} but the archive has no entry ${name}`);
    const bytes = storageBytes(s);
    if (bytes !== undefined && entry.size < bytes) {
      throw corruptError(path, WHAT, `${describeStorage(s)} needs ${bytes} bytes but ${name} holds ${entry.size}`);
    }
  }
}

/**
 * A legacy (pre-1.6) file: after the object pickle comes the pickled list of storage keys, then
 * for each key in that order an 8-byte element count and the storage's bytes. Every listed key
 * must be a storage the object pickle declared, every declared storage must be listed, and the
 * file must be long enough for all of them (a truncated `.pth` is refused). Items the pickle
 * built by calling code (flagged unsafe) cannot be checked and are skipped; returns a warning
 * when the whole list is such an object.
 */
export function checkLegacyStorages(
  path: string,
  o: { keys: PyValue; storages: Map<string, PyStorage>; dataStart: number; fileSize: number; unsafe: boolean },
): string | undefined {
  if (!isSequence(o.keys)) {
    if (o.unsafe && isBuiltByCode(o.keys)) return 'the storage-key list is built by code the pickle calls, so the storages were not checked';
    throw corruptError(path, WHAT, `the storage-key list is ${describeValue(o.keys)}, not a list of storage keys`);
  }
  let end = o.dataStart;
  const listed = new Set<string>();
  for (const item of o.keys.items) {
    if (o.unsafe && isBuiltByCode(item)) continue;
    if (typeof item !== 'string' && typeof item !== 'number') {
      throw corruptError(path, WHAT, `the storage-key list holds ${describeValue(item)}, not a storage key`);
    }
    const key = String(item);
    const storage = o.storages.get(key);
    if (storage === undefined) throw corruptError(path, WHAT, `the storage-key list names storage ${JSON.stringify(key)}, which the checkpoint never declares`);
    const bytes = storageBytes(storage);
    if (bytes === undefined) throw corruptError(path, WHAT, `${describeStorage(storage)} declares no element count`);
    listed.add(key);
    end += 8 + bytes;
    if (end > o.fileSize) {
      throw corruptError(path, WHAT, `${describeStorage(storage)} ends at byte ${end} but the file has only ${o.fileSize} bytes ` +
        `(${end - o.fileSize} bytes missing: the file is cut off)`);
    }
  }
  for (const s of o.storages.values()) {
    if (!listed.has(s.key)) throw corruptError(path, WHAT, `${describeStorage(s)} is missing from the storage-key list, so the file holds no data for it`);
  }
  return undefined;
}

function isBuiltByCode(v: PyValue): boolean {
  return typeof v === 'object' && v !== null && (v.kind === 'object' || v.kind === 'opaque');
}
