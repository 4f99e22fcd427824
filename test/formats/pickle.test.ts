import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../core/errors.js';
import { flattenPickle } from '../../formats/pickle-flatten.js';
import { scanPickleBytes, type PickleLimits } from '../../formats/pickle.js';
import type { PyValue } from '../../formats/pickle-values.js';
import { encodePickle } from '../fixtures/pickle-writer.js';
import { orderedDict, pickleGlobal, pyFloat, pySet, pyTuple, tensor } from '../fixtures/writers.js';
import { expectError } from '../helpers/errors.js';

/** Assembles a pickle: numbers are single bytes, strings are latin-1 text. */
function pk(...parts: Array<number | string | Buffer>): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/** Scans and flattens, returning what the readers report for a pickle. */
async function flat(bytes: Buffer, limits: Partial<PickleLimits> = {}) {
  const scan = await scanPickleBytes(bytes, 'mem.pkl', limits);
  return { ...flattenPickle(scan.value), unsafe: scan.unsafeGlobals, scan };
}

/** The error scanning `bytes` (as mem.pkl) fails with. */
async function expectPickleError(bytes: Buffer, code: ErrorCode, message?: RegExp, limits: Partial<PickleLimits> = {}): Promise<void> {
  await expectError(scanPickleBytes(bytes, 'mem.pkl', limits), { code, path: 'mem.pkl', ...(message === undefined ? {} : { message }) });
}

describe('scanPickle', () => {
  it('reads a protocol-0 text pickle (INT, LONG, FLOAT, UNICODE, PUT/GET, DICT, LIST, TUPLE)', async () => {
    const bytes = pk('(dp0\nVa\np1\nI1\nsVb\np2\n(lp3\nF1.5\naL12345678901234567890L\naV\xe9x\\u000a\np4\naI01\naNaI-7\nasVc\np5\n(I1\nI2\ntp6\nsVd\ng4\ns.');
    const { metadata } = await flat(bytes);
    expect(metadata).toEqual({ a: 1, b: [1.5, 12345678901234567890n, 'éx\n', true, -7], c: [1, 2], d: 'éx\n' });
  });

  it('reads Python 2 STRING and BINSTRING opcodes', async () => {
    const bytes = pk('}q\x00(U\x01aS\'q\\\'s\\n\\x41\'\nU\x01bT', u32(3), 'xyzu.');
    expect((await flat(bytes)).metadata).toEqual({ a: "q's\nA", b: 'xyz' });
  });

  it('reads protocol-4 framing, STACK_GLOBAL, MEMOIZE, sets, bytes and LONG1', async () => {
    const bytes = pk(
      '\x80\x04\x95~\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01s\x94\x8f\x94(K\x01K\x02\x90\x8c\x01f\x94(K\x03\x91\x94\x8c\x02by\x94C\x02\x00\x01\x94',
      '\x8c\x03big\x94\x8a\t\x00\x00\x00\x00\x00\x00\x00\x00\xc0\x8c\x03neg\x94J\xfb\xff\xff\xff\x8c\x03flt\x94G@\x04\x00\x00\x00\x00\x00\x00',
      '\x8c\x02od\x94\x8c\x0bcollections\x94\x8c\x0bOrderedDict\x94\x93\x94)R\x94\x8c\x01k\x94\x8c\x01v\x94su.',
    );
    const { metadata, unsafe } = await flat(bytes);
    expect(metadata).toEqual({ s: [1, 2], f: [3], big: -(2n ** 70n), neg: -5, flt: 2.5, 'od.k': 'v' });
    expect(unsafe).toEqual([]);
  });

  it('handles POP, POP_MARK, DUP, BININT2, LONG4, BINUNICODE8 and the bytes opcodes', async () => {
    const long4 = pk('\x8b', u32(2), '\x00\x01');
    const u8 = Buffer.alloc(8);
    u8.writeBigUInt64LE(2n);
    const bytes = pk('\x80\x02}(X\x01\x00\x00\x00aM\x34\x12X\x01\x00\x00\x00b', long4, 'X\x01\x00\x00\x00c\x8d', u8, 'hi',
      'X\x01\x00\x00\x00dB', u32(3), 'abc', 'X\x01\x00\x00\x00e\x8e', u8, 'zz', 'u',
      'K\x01', '0', '(K\x02K\x03', '1', '2', '0', '.');
    const { scan, metadata } = await flat(bytes);
    expect(metadata).toEqual({ a: 0x1234, b: 256, c: 'hi' });
    expect((scan.value as { kind: string }).kind).toBe('dict');
  });

  it('builds tensors from _rebuild_tensor_v2 over persistent storages, through the memo', async () => {
    const bytes = encodePickle({ a: tensor([4, 3], 'BF16'), b: tensor([7]), c: tensor([2, 2], 'F8_E4M3'), d: tensor([], 'I64') });
    const { tensors, scan } = await flat(bytes);
    expect(tensors).toEqual([
      { name: 'a', dtype: 'BF16', shape: [4, 3] },
      { name: 'b', dtype: 'F16', shape: [7] },
      { name: 'c', dtype: 'F8_E4M3', shape: [2, 2] },
      { name: 'd', dtype: 'I64', shape: [] },
    ]);
    expect([...scan.storages.keys()]).toEqual(['0', '1', '2', '3']);
  });

  it('maps every storage class to its dtype', async () => {
    const dtypes = ['F16', 'BF16', 'F32', 'F64', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL'];
    const { tensors } = await flat(encodePickle(Object.fromEntries(dtypes.map((d) => [d, tensor([1], d)]))));
    expect(tensors.map((t) => [t.name, t.dtype])).toEqual(dtypes.map((d) => [d, d]));
  });

  it('unwraps _rebuild_parameter, ignores BUILD attributes on dicts, and models numpy scalars and arrays', async () => {
    const param = pickleGlobal('torch._utils', '_rebuild_parameter', [tensor([5], 'F32'), true, orderedDict({})]);
    const step = pickleGlobal('numpy.core.multiarray', 'scalar', [
      pickleGlobal('numpy', 'dtype', ['i8', false, true]), new Uint8Array([42, 0, 0, 0, 0, 0, 0, 0]),
    ]);
    const sd = orderedDict({ 'w.weight': tensor([2, 2]) }, { _metadata: orderedDict({ '': { version: 1 } }) });
    const { tensors, metadata, unsafe } = await flat(encodePickle({ p: param, step, state_dict: sd, lr: pyFloat(1) }));
    expect(tensors).toEqual([{ name: 'p', dtype: 'F32', shape: [5] }, { name: 'state_dict.w.weight', dtype: 'F16', shape: [2, 2] }]);
    expect(metadata).toEqual({ step: 42, lr: 1 });
    expect(unsafe).toEqual([]);

    // numpy.core.multiarray._reconstruct + BUILD(state) gives an array with a shape and dtype.
    const dtype = pk('cnumpy\ndtype\nq\x00X\x02\x00\x00\x00f4\x89\x88\x87R(K\x03X\x01\x00\x00\x00<NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb');
    const arr = pk('\x80\x02}X\x01\x00\x00\x00ncnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85C\x01b\x87R',
      '(K\x01K\x03K\x02\x86', dtype, '\x89C\x00tbs.');
    expect((await flat(arr)).tensors).toEqual([{ name: 'n', dtype: 'F32', shape: [3, 2] }]);
  });

  it('flags globals outside the allowlist and never runs them, but keeps scanning', async () => {
    const cases: Array<[string, string, string]> = [
      ['os', 'system', 'os.system'], ['posix', 'system', 'posix.system'], ['nt', 'system', 'nt.system'],
      ['builtins', 'exec', 'builtins.exec'], ['builtins', 'eval', 'builtins.eval'], ['builtins', 'getattr', 'builtins.getattr'],
      ['builtins', '__import__', 'builtins.__import__'], ['subprocess', 'Popen', 'subprocess.Popen'], ['runpy', '_run_code', 'runpy._run_code'],
      ['webbrowser', 'open', 'webbrowser.open'], ['torch', 'load', 'torch.load'],
    ];
    for (const [module, name, expected] of cases) {
      const obj = { evil: pickleGlobal(module, name, ['echo pwned']), w: tensor([3, 3]), note: 'after' };
      const { unsafe, tensors, metadata } = await flat(encodePickle(obj));
      expect(unsafe).toEqual([expected]);
      expect(tensors).toEqual([{ name: 'w', dtype: 'F16', shape: [3, 3] }]);
      expect(metadata).toEqual({ note: 'after' });
    }
    const safe = await flat(encodePickle({ s: pySet([1]), f: pySet([2], true), t: pyTuple(1, 2, 3, 4) }));
    expect(safe.unsafe).toEqual([]);
    expect(safe.metadata).toEqual({ s: [1], f: [2], t: [1, 2, 3, 4] });
  });

  it('flags INST, OBJ, NEWOBJ_EX and EXT opcodes', async () => {
    const inst = pk('(S\'ls\'\nios\nsystem\n.');
    expect((await flat(inst)).unsafe).toEqual(['INST os.system']);
    const obj = pk('\x80\x02(cbuiltins\nset\n]o.');
    expect((await flat(obj)).unsafe).toEqual(['OBJ builtins.set']);
    const newobjEx = pk('\x80\x04\x8c\x0bcollections\x8c\x0bOrderedDict\x93)}\x92.');
    expect((await flat(newobjEx)).unsafe).toEqual(['NEWOBJ_EX collections.OrderedDict']);
    const ext = pk('\x80\x02\x82\x05.');
    expect((await flat(ext)).unsafe).toEqual(['EXT extension code 5']);
  });

  it('reports malformed and truncated pickles with typed errors', async () => {
    await expectPickleError(pk('\x80\x02\xff.'), 'ERR_MODELHUB_CORRUPT', /unknown pickle opcode 0xff/);
    await expectPickleError(pk('\x80\x02}X\x05\x00\x00\x00ab'), 'ERR_MODELHUB_TRUNCATED');
    await expectPickleError(pk('\x80\x02}K\x01'), 'ERR_MODELHUB_TRUNCATED');
    await expectPickleError(pk('\x80\x02X', u32(0xfffffff0), 'abc.'), 'ERR_MODELHUB_TRUNCATED');
    await expectPickleError(pk('\x80\x02h\x07.'), 'ERR_MODELHUB_CORRUPT', /memo entry 7/);
    await expectPickleError(pk('\x80\x02s.'), 'ERR_MODELHUB_CORRUPT', /empty pickle stack/);
    await expectPickleError(pk('\x80\x02t.'), 'ERR_MODELHUB_CORRUPT', /no MARK/);
    await expectPickleError(pk('\x80\x09.'), 'ERR_MODELHUB_UNSUPPORTED', /protocol 9/);
    await expectPickleError(pk('\x80\x02(K\x01K\x02K\x03d.'), 'ERR_MODELHUB_CORRUPT', /odd number/);
    await expectPickleError(pk('\x80\x02', 'c', 'x'.repeat(100)), 'ERR_MODELHUB_LIMIT', /text line/, { maxLineBytes: 50 });
    const full = encodePickle({ a: tensor([320, 4, 3, 3]), b: 'text', c: [1, 2, 3] });
    for (let cut = 1; cut < full.length; cut++) {
      await expectError(scanPickleBytes(full.subarray(0, cut), 'mem.pkl'), { code: 'ERR_MODELHUB_TRUNCATED' }, `a pickle cut at ${cut}`);
    }
  });

  it('enforces its caps on operations, stack, marks, memo and long strings', async () => {
    const many = encodePickle(Array.from({ length: 50 }, (_, i) => i));
    await expectPickleError(many, 'ERR_MODELHUB_LIMIT', /opcodes/, { maxOps: 20 });
    await expectPickleError(pk('\x80\x02', 'N'.repeat(30), '.'), 'ERR_MODELHUB_LIMIT', /stack/, { maxStack: 10 });
    await expectPickleError(pk('\x80\x02', '('.repeat(30), '.'), 'ERR_MODELHUB_LIMIT', /MARK/, { maxMarks: 10 });
    await expectPickleError(many, 'ERR_MODELHUB_LIMIT', /memoizes/, { maxMemo: 0 });
    const long = await flat(encodePickle({ big: 'x'.repeat(100), small: 'y' }), { maxStringBytes: 50 });
    expect(long.metadata).toEqual({ small: 'y' });
    expect(long.scan.warnings.join('\n')).toMatch(/skipped strings longer than 50 bytes/);
  });

  it('flattens nested dicts, int keys and lists like A1111 hypernetworks', async () => {
    const layer = () => ({ 'linear.0.weight': tensor([1536, 768]), 'linear.0.bias': tensor([1536]) });
    const hn = new Map<string | number, Parameters<typeof encodePickle>[0]>([
      [768, [layer(), layer()]], [1024, [layer()]], ['name', 'anime'], ['layer_structure', [1, 2, 1]],
      ['activation_func', 'linear'], ['step', 2000], ['sd_checkpoint_name', 'sd15'], ['is_layer_norm', false],
    ]);
    const { tensors, metadata } = await flat(encodePickle(hn));
    expect(tensors.map((t) => t.name)).toEqual([
      '768.0.linear.0.weight', '768.0.linear.0.bias', '768.1.linear.0.weight', '768.1.linear.0.bias',
      '1024.0.linear.0.weight', '1024.0.linear.0.bias',
    ]);
    expect(metadata).toEqual({ name: 'anime', layer_structure: [1, 2, 1], activation_func: 'linear', step: 2000, sd_checkpoint_name: 'sd15', is_layer_norm: false });
  });

  it('survives self-referencing containers', async () => {
    // d = {}; d['self'] = d
    const { metadata, warnings } = await flat(pk('\x80\x02}q\x00X\x04\x00\x00\x00selfh\x00s.'));
    expect(metadata).toEqual({});
    expect(warnings.join('\n')).toMatch(/self-referencing/);
  });
});

describe('flattenPickle', () => {
  it('bounds metadata and leaves long lists out', () => {
    const entries = new Map<unknown, PyValue>([
      ['long', { kind: 'list', items: Array.from({ length: 100 }, (_, i) => i) }],
      ['ok', { kind: 'list', items: [1, 'a', true] }],
    ]);
    const out = flattenPickle({ kind: 'dict', entries }, { maxMetadataArray: 64 });
    expect(out.metadata).toEqual({ ok: [1, 'a', true] });
    expect(out.warnings.join('\n')).toMatch(/long lists/);
  });
});
