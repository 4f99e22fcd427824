/**
 * The values the pickle scanner builds. They describe what a pickle would construct without
 * constructing it: globals stay symbols, calls of unknown callables stay opaque objects.
 */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyBytes
  | PyList
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyStorage
  | PyTensor
  | PyNdarray
  | PyNumpyDtype
  | PyObject
  | PyOpaque;

/** Bytes: only the length, plus the data when short enough to matter (numpy scalars). */
export interface PyBytes { kind: 'bytes'; length: number; data?: Buffer }
export interface PyList { kind: 'list'; items: PyValue[] }
export interface PyTuple { kind: 'tuple'; items: PyValue[] }
/** Keys are kept as JS primitives where possible; other keys map by identity. */
export interface PyDict { kind: 'dict'; entries: Map<unknown, PyValue> }
export interface PySet { kind: 'set'; items: PyValue[] }
/** A GLOBAL reference, never resolved. `safe` says whether it is on the allowlist. */
export interface PyGlobal { kind: 'global'; module: string; name: string; safe: boolean }
/** A torch storage from a persistent id ('storage', torch.<X>Storage, key, location, numel). */
export interface PyStorage { kind: 'storage'; dtype: string; key: string; location: string | undefined; numel: number | undefined }
export interface PyTensor { kind: 'tensor'; dtype: string; shape: number[]; storageKey: string | undefined }
export interface PyNdarray { kind: 'ndarray'; dtype: string; shape: number[] | undefined }
export interface PyNumpyDtype { kind: 'npdtype'; code: string }
/** The result of calling or instantiating something that is not modelled; `state` is what BUILD gave it. */
export interface PyObject { kind: 'object'; cls: PyValue; args: PyValue; state: PyValue | undefined }
export interface PyOpaque { kind: 'opaque'; why: string }

export function isPyDict(v: PyValue | undefined): v is PyDict {
  return typeof v === 'object' && v !== null && v.kind === 'dict';
}

export function isSequence(v: PyValue | undefined): v is PyList | PyTuple {
  return typeof v === 'object' && v !== null && (v.kind === 'tuple' || v.kind === 'list');
}

export function isPyGlobal(v: PyValue | undefined): v is PyGlobal {
  return typeof v === 'object' && v !== null && v.kind === 'global';
}

/** A tuple or list of non-negative safe integers (a tensor size), or undefined. */
export function asShape(v: PyValue | undefined): number[] | undefined {
  if (!isSequence(v)) return undefined;
  const dims: number[] = [];
  for (const d of v.items) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return undefined;
    dims.push(d);
  }
  return dims;
}

/** Bounds on what one pickle may make the scanner do; exceeding one is ERR_MODELHUB_LIMIT. */
export interface PickleLimits {
  maxOps: number;
  maxStack: number;
  maxMarks: number;
  maxMemo: number;
  /** Longer strings are skipped unread and become opaque values (with a warning). */
  maxStringBytes: number;
  /** Longest argument line of a text opcode (GLOBAL, INT, …). */
  maxLineBytes: number;
  /** Longer LONG4 integers are skipped and become opaque. */
  maxLongBytes: number;
}
