import { toSafeNumber } from './body.js';
import { asShape, isPyGlobal, isSequence, type PyDict, type PyGlobal, type PyValue } from './pickle-values.js';

/** torch legacy storage classes → dtype names (safetensors spelling where one exists). */
export const STORAGE_DTYPES: Readonly<Record<string, string>> = {
  HalfStorage: 'F16', BFloat16Storage: 'BF16', FloatStorage: 'F32', DoubleStorage: 'F64', LongStorage: 'I64',
  IntStorage: 'I32', ShortStorage: 'I16', CharStorage: 'I8', ByteStorage: 'U8', BoolStorage: 'BOOL',
  ComplexFloatStorage: 'C64', ComplexDoubleStorage: 'C128', UntypedStorage: 'U8', QInt8Storage: 'QI8',
  QUInt8Storage: 'QU8', QInt32Storage: 'QI32', QUInt4x2Storage: 'QU4x2', QUInt2x4Storage: 'QU2x4',
};

/** torch dtype objects (`torch float16`) → dtype names. */
export const TORCH_DTYPES: Readonly<Record<string, string>> = {
  float16: 'F16', half: 'F16', bfloat16: 'BF16', float32: 'F32', float: 'F32', float64: 'F64', double: 'F64',
  int64: 'I64', long: 'I64', int32: 'I32', int: 'I32', int16: 'I16', short: 'I16', int8: 'I8', uint8: 'U8',
  uint16: 'U16', uint32: 'U32', uint64: 'U64', bool: 'BOOL', complex64: 'C64', complex128: 'C128',
  float8_e4m3fn: 'F8_E4M3', float8_e5m2: 'F8_E5M2', float8_e4m3fnuz: 'F8_E4M3FNUZ', float8_e5m2fnuz: 'F8_E5M2FNUZ',
  float8_e8m0fnu: 'F8_E8M0',
};

/** numpy dtype codes (without byte-order prefix) → dtype names. */
const NUMPY_DTYPES: Readonly<Record<string, string>> = {
  f2: 'F16', f4: 'F32', f8: 'F64', i1: 'I8', i2: 'I16', i4: 'I32', i8: 'I64', u1: 'U8', u2: 'U16', u4: 'U32', u8: 'U64',
  b1: 'BOOL', c8: 'C64', c16: 'C128',
};

const REBUILD_TENSOR = ['_rebuild_tensor', '_rebuild_tensor_v2', '_rebuild_tensor_v3', '_rebuild_qtensor'];
const REBUILD_PARAMETER = ['_rebuild_parameter', '_rebuild_parameter_with_state'];
const BUILTINS = ['set', 'frozenset', 'slice'];
const MULTIARRAY = ['scalar', '_reconstruct'];

/** The globals torch checkpoints legitimately reference. Everything else is reported as unsafe. */
const ALLOWED: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['collections', new Set(['OrderedDict'])],
  ['torch._utils', new Set([...REBUILD_TENSOR, ...REBUILD_PARAMETER, '_rebuild_device_tensor_from_numpy'])],
  ['torch', new Set(['Size', 'device', ...Object.keys(STORAGE_DTYPES), ...Object.keys(TORCH_DTYPES)])],
  ['torch.serialization', new Set(['_get_layout'])],
  ['numpy', new Set(['dtype', 'ndarray'])],
  ['numpy.core.multiarray', new Set(MULTIARRAY)],
  ['numpy._core.multiarray', new Set(MULTIARRAY)],
  ['_codecs', new Set(['encode'])],
  ['pytorch_lightning.callbacks.model_checkpoint', new Set(['ModelCheckpoint'])],
  ['__builtin__', new Set(BUILTINS)],
  ['builtins', new Set(BUILTINS)],
]);

export function makeGlobal(module: string, name: string): PyGlobal {
  return { kind: 'global', module, name, safe: ALLOWED.get(module)?.has(name) ?? false };
}

/**
 * What REDUCE/NEWOBJ of `fn` with `args` stands for. Only allowlisted callables are modelled
 * (tensors, OrderedDict, sets, bytes, numpy pieces); any other call is an opaque object. Nothing
 * is ever called.
 */
export function callGlobal(fn: PyValue, args: PyValue): PyValue {
  if (!isPyGlobal(fn) || !fn.safe) return { kind: 'object', cls: fn, args, state: undefined };
  const a = isSequence(args) ? args.items : [];
  const { module, name } = fn;
  if (module === 'torch._utils') return rebuildTensor(name, a);
  if (name === 'OrderedDict') return orderedDict(a[0]);
  if (name === 'set' || name === 'frozenset') return { kind: 'set', items: isSequence(a[0]) ? [...a[0].items] : [] };
  if (name === 'Size') return { kind: 'tuple', items: isSequence(a[0]) ? [...a[0].items] : [] };
  if (name === 'device') return typeof a[0] === 'string' ? a[0] : null;
  if (name === 'encode' && typeof a[0] === 'string') return encodeString(a[0], a[1]);
  if (name === 'dtype' && typeof a[0] === 'string') return { kind: 'npdtype', code: a[0] };
  if (name === '_reconstruct') return { kind: 'ndarray', dtype: 'unknown', shape: undefined };
  if (name === 'scalar') return numpyScalar(a[0], a[1]);
  return { kind: 'object', cls: fn, args, state: undefined };
}

/** Interprets a persistent id; torch storages become PyStorage, anything else is opaque. */
export function loadPersistent(pid: PyValue): PyValue {
  if (!isSequence(pid) || pid.items[0] !== 'storage') return { kind: 'opaque', why: 'persistent id' };
  const [, cls, key, location, numel] = pid.items;
  const dtype = isPyGlobal(cls) && cls.module === 'torch' ? STORAGE_DTYPES[cls.name] : undefined;
  if (dtype === undefined || (typeof key !== 'string' && typeof key !== 'number')) return { kind: 'opaque', why: 'persistent id' };
  return {
    kind: 'storage', dtype, key: String(key),
    location: typeof location === 'string' ? location : undefined,
    numel: typeof numel === 'number' ? numel : undefined,
  };
}

/**
 * BUILD: gives numpy arrays their shape and keeps other state on objects. On dicts it is
 * ignored: there it sets attributes, not items (torch's state_dict() OrderedDict carries a
 * `_metadata` attribute this way, which must not become keys).
 */
export function buildState(target: PyValue | undefined, state: PyValue): void {
  if (typeof target !== 'object' || target === null) return;
  if (target.kind === 'ndarray' && isSequence(state)) {
    target.shape = asShape(state.items[1]);
    target.dtype = dtypeOf(state.items[2]);
  } else if (target.kind === 'object') {
    target.state = state;
  }
}

function rebuildTensor(name: string, a: PyValue[]): PyValue {
  if (REBUILD_PARAMETER.includes(name)) {
    const data = a[0];
    return typeof data === 'object' && data !== null && data.kind === 'tensor' ? data : { kind: 'opaque', why: name };
  }
  if (name === '_rebuild_device_tensor_from_numpy') {
    const data = a[0];
    const shape = typeof data === 'object' && data !== null && data.kind === 'ndarray' ? data.shape : undefined;
    return { kind: 'tensor', dtype: dtypeOf(a[1]), shape: shape ?? [], storageKey: undefined };
  }
  const storage = a[0];
  const fromStorage = typeof storage === 'object' && storage !== null && storage.kind === 'storage' ? storage : undefined;
  const dtype = name === '_rebuild_tensor_v3' && a[6] !== undefined ? dtypeOf(a[6]) : fromStorage?.dtype ?? 'unknown';
  return { kind: 'tensor', dtype, shape: asShape(a[2]) ?? [], storageKey: fromStorage?.key };
}

function orderedDict(items: PyValue | undefined): PyDict {
  const dict: PyDict = { kind: 'dict', entries: new Map() };
  if (isSequence(items)) {
    for (const pair of items.items) if (isSequence(pair) && pair.items.length === 2) dict.entries.set(pair.items[0], pair.items[1]!);
  }
  return dict;
}

function encodeString(text: string, encoding: PyValue | undefined): PyValue {
  const data = encoding === 'latin1' || encoding === 'latin-1' ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
  return data.length <= 256 ? { kind: 'bytes', length: data.length, data } : { kind: 'bytes', length: data.length };
}

/** A dtype name from a torch dtype global or a numpy dtype; 'unknown' otherwise. */
function dtypeOf(v: PyValue | undefined): string {
  if (isPyGlobal(v) && v.module === 'torch') return TORCH_DTYPES[v.name] ?? 'unknown';
  if (typeof v === 'object' && v !== null && v.kind === 'npdtype') return NUMPY_DTYPES[v.code.replace(/^[<>=|]/, '')] ?? 'unknown';
  return 'unknown';
}

function numpyScalar(dtype: PyValue | undefined, bytes: PyValue | undefined): PyValue {
  if (typeof dtype !== 'object' || dtype === null || dtype.kind !== 'npdtype') return { kind: 'opaque', why: 'numpy scalar' };
  if (typeof bytes !== 'object' || bytes === null || bytes.kind !== 'bytes' || bytes.data === undefined) return { kind: 'opaque', why: 'numpy scalar' };
  const d = bytes.data;
  const readers: Record<string, [number, () => PyValue]> = {
    F64: [8, () => d.readDoubleLE(0)], F32: [4, () => d.readFloatLE(0)], I64: [8, () => toSafeNumber(d.readBigInt64LE(0))],
    U64: [8, () => toSafeNumber(d.readBigUInt64LE(0))], I32: [4, () => d.readInt32LE(0)], U32: [4, () => d.readUInt32LE(0)],
    I16: [2, () => d.readInt16LE(0)], U16: [2, () => d.readUInt16LE(0)], I8: [1, () => d.readInt8(0)], U8: [1, () => d.readUInt8(0)],
    BOOL: [1, () => d.readUInt8(0) !== 0],
  };
  const reader = readers[dtypeOf(dtype)];
  return reader !== undefined && d.length === reader[0] ? reader[1]() : { kind: 'opaque', why: 'numpy scalar' };
}
