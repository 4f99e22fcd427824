import { WarningTally } from './body.js';
import { ByteCursor } from './cursor.js';
import { buildState, callGlobal, loadPersistent, makeGlobal } from './pickle-globals.js';
import { PickleArgs } from './pickle-args.js';
import { PickleStack } from './pickle-stack.js';
import { parseRawUnicode } from './pickle-text.js';
import type { PickleLimits, PyDict, PyStorage, PyValue } from './pickle-values.js';

export type { PickleLimits } from './pickle-values.js';
import { corruptError, formatError, type FormatErrorCode } from './errors.js';
import { BufferSource } from './source.js';


export const PICKLE_LIMITS: Readonly<PickleLimits> = {
  maxOps: 20_000_000,
  maxStack: 1_000_000,
  maxMarks: 100_000,
  maxMemo: 4_000_000,
  maxStringBytes: 1024 * 1024,
  maxLineBytes: 64 * 1024,
  maxLongBytes: 1024,
};

export interface PickleScan {
  /** What STOP returned. */
  value: PyValue;
  /** `module.name` of every referenced global outside the torch allowlist, plus INST/OBJ/NEWOBJ_EX/EXT uses. */
  unsafeGlobals: string[];
  /** The torch storages the pickle references, by key (`data/<key>` in a zip), as their persistent ids declare them. */
  storages: Map<string, PyStorage>;
  warnings: string[];
}

/**
 * Runs a pickle from the cursor's position up to and including STOP, building a description of
 * the object it would create. It NEVER imports or calls anything: globals are symbols, calls
 * of allowlisted torch/numpy/collections callables are modelled, every other call yields an
 * opaque object and its global is reported in `unsafeGlobals`. Malformed or truncated input is
 * a ModelHubError naming the path (CORRUPT, TRUNCATED, LIMIT, UNSUPPORTED).
 */
export async function scanPickle(cursor: ByteCursor, limits: Partial<PickleLimits> = {}): Promise<PickleScan> {
  const machine = new PickleMachine(cursor, { ...PICKLE_LIMITS, ...limits });
  const value = await machine.run();
  const warnings: string[] = [];
  machine.tally.flush(warnings);
  return { value, unsafeGlobals: [...machine.unsafe], storages: machine.storages, warnings };
}

/** `scanPickle` over bytes in memory; `path` names them in errors. */
export async function scanPickleBytes(bytes: Uint8Array, path = '<pickle>', limits: Partial<PickleLimits> = {}): Promise<PickleScan> {
  const source = new BufferSource(path, bytes);
  return scanPickle(new ByteCursor(source, { start: 0, end: bytes.length, what: 'pickle' }), limits);
}

const LOOKAHEAD = 9;

class PickleMachine {
  readonly unsafe = new Set<string>();
  readonly storages = new Map<string, PyStorage>();
  readonly tally = new WarningTally();
  private readonly s: PickleStack;
  private readonly a: PickleArgs;
  private at = 0;

  constructor(
    private readonly c: ByteCursor,
    private readonly lim: PickleLimits,
  ) {
    const fail = (code: FormatErrorCode, problem: string): never => this.fail(code, problem);
    this.s = new PickleStack(lim, fail);
    this.a = new PickleArgs(c, lim, { tally: this.tally, fail, opcodeAt: () => this.at });
  }

  async run(): Promise<PyValue> {
    const c = this.c;
    for (let ops = 0; ; ops++) {
      if (ops >= this.lim.maxOps) this.fail('ERR_MODELHUB_LIMIT', `runs more than ${this.lim.maxOps} opcodes`);
      // One opcode plus any fixed-size argument (at most 8 bytes) is then readable synchronously.
      if (!c.has(LOOKAHEAD)) await c.need(Math.max(1, Math.min(LOOKAHEAD, c.remaining)));
      this.at = c.position;
      const op = c.u8();
      if (op === 0x2e) return this.s.pop(); // STOP
      const pending = this.step(op);
      if (pending !== undefined) await pending;
    }
  }

  /** Executes one opcode; returns a promise only when it must read a variable-length argument. */
  private step(op: number): void | Promise<void> {
    const c = this.c;
    switch (op) {
      case 0x80: { // PROTO
        const v = this.a.uint(1);
        if (v > 5) this.fail('ERR_MODELHUB_UNSUPPORTED', `uses pickle protocol ${v}`);
        return;
      }
      case 0x95: this.a.uint(8); return; // FRAME: framing is only a read-ahead hint
      case 0x28: return this.s.pushMark(); // MARK
      case 0x30: return this.s.popOne(); // POP
      case 0x31: this.s.popMark(); return; // POP_MARK
      case 0x32: return this.s.push(this.s.top()); // DUP
      case 0x4a: this.a.arg(4); return this.s.push(c.i32()); // BININT
      case 0x4b: return this.s.push(this.a.uint(1)); // BININT1
      case 0x4d: return this.s.push(this.a.uint(2)); // BININT2
      case 0x8a: return this.pushLater(this.a.long(this.a.uint(1))); // LONG1
      case 0x8b: this.a.arg(4); return this.pushLater(this.a.long(c.i32())); // LONG4
      case 0x49: case 0x4c: return this.a.line().then((l) => this.s.push(this.a.textInt(l, op === 0x49))); // INT, LONG
      case 0x46: return this.a.line().then((l) => this.s.push(Number.parseFloat(l.toString('latin1')))); // FLOAT
      case 0x47: this.a.arg(8); return this.s.push(c.f64be()); // BINFLOAT
      case 0x4e: return this.s.push(null); // NONE
      case 0x88: return this.s.push(true); // NEWTRUE
      case 0x89: return this.s.push(false); // NEWFALSE
      case 0x53: return this.a.line().then((l) => this.s.push(this.a.quoted(l))); // STRING
      case 0x54: this.a.arg(4); return this.pushLater(this.a.text(c.i32())); // BINSTRING
      case 0x55: return this.pushLater(this.a.text(this.a.uint(1))); // SHORT_BINSTRING
      case 0x56: return this.a.line().then((l) => this.s.push(parseRawUnicode(l))); // UNICODE
      case 0x58: return this.pushLater(this.a.text(this.a.uint(4))); // BINUNICODE
      case 0x8c: return this.pushLater(this.a.text(this.a.uint(1))); // SHORT_BINUNICODE
      case 0x8d: return this.pushLater(this.a.text(this.a.uint(8))); // BINUNICODE8
      case 0x43: return this.pushLater(this.a.bytes(this.a.uint(1))); // SHORT_BINBYTES
      case 0x42: return this.pushLater(this.a.bytes(this.a.uint(4))); // BINBYTES
      case 0x8e: case 0x96: return this.pushLater(this.a.bytes(this.a.uint(8))); // BINBYTES8, BYTEARRAY8
      case 0x97: return this.s.push({ kind: 'opaque', why: 'out-of-band buffer' }); // NEXT_BUFFER
      case 0x98: return; // READONLY_BUFFER
      case 0x29: return this.s.push({ kind: 'tuple', items: [] }); // EMPTY_TUPLE
      case 0x74: return this.s.push({ kind: 'tuple', items: this.s.popMark() }); // TUPLE
      case 0x85: case 0x86: case 0x87: return this.s.push({ kind: 'tuple', items: this.s.popN(op - 0x84) }); // TUPLE1-3
      case 0x5d: return this.s.push({ kind: 'list', items: [] }); // EMPTY_LIST
      case 0x6c: return this.s.push({ kind: 'list', items: this.s.popMark() }); // LIST
      case 0x61: return this.extend(this.s.popN(1)); // APPEND
      case 0x65: return this.extend(this.s.popMark()); // APPENDS
      case 0x7d: return this.s.push({ kind: 'dict', entries: new Map() }); // EMPTY_DICT
      case 0x64: return this.s.push(this.setItems({ kind: 'dict', entries: new Map() }, this.s.popMark())); // DICT
      case 0x73: return this.setItemsOnTop(this.s.popN(2)); // SETITEM
      case 0x75: return this.setItemsOnTop(this.s.popMark()); // SETITEMS
      case 0x8f: return this.s.push({ kind: 'set', items: [] }); // EMPTY_SET
      case 0x90: return this.extend(this.s.popMark()); // ADDITEMS
      case 0x91: return this.s.push({ kind: 'set', items: this.s.popMark() }); // FROZENSET
      case 0x63: return this.a.twoLines().then(([m, n]) => this.s.push(this.global(m, n))); // GLOBAL
      case 0x93: return this.stackGlobal(); // STACK_GLOBAL
      case 0x52: case 0x81: { // REDUCE, NEWOBJ
        const args = this.s.pop();
        return this.s.push(callGlobal(this.s.pop(), args));
      }
      case 0x62: { // BUILD
        const state = this.s.pop();
        return buildState(this.s.top(), state);
      }
      case 0x92: return this.newObjEx(); // NEWOBJ_EX
      case 0x69: return this.a.twoLines().then(([m, n]) => this.inst(m, n)); // INST
      case 0x6f: return this.obj(); // OBJ
      case 0x82: case 0x83: case 0x84: return this.ext(this.a.uint(op === 0x82 ? 1 : op === 0x83 ? 2 : 4)); // EXT1/2/4
      case 0x50: return this.a.line().then(() => this.s.push({ kind: 'opaque', why: 'text persistent id' })); // PERSID
      case 0x51: return this.persistent(); // BINPERSID
      case 0x70: return this.a.line().then((l) => this.s.memoPut(this.a.index(l))); // PUT
      case 0x71: return this.s.memoPut(this.a.uint(1)); // BINPUT
      case 0x72: return this.s.memoPut(this.a.uint(4)); // LONG_BINPUT
      case 0x94: return this.s.memoPut(this.s.memoSize); // MEMOIZE
      case 0x67: return this.a.line().then((l) => this.s.memoGet(this.a.index(l))); // GET
      case 0x68: return this.s.memoGet(this.a.uint(1)); // BINGET
      case 0x6a: return this.s.memoGet(this.a.uint(4)); // LONG_BINGET
      default:
        this.fail('ERR_MODELHUB_CORRUPT', `has unknown pickle opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
  }

  private pushLater(value: PyValue | Promise<PyValue>): void | Promise<void> {
    if (value instanceof Promise) return value.then((v) => this.s.push(v));
    this.s.push(value);
  }

  // ---- containers and objects ----

  private extend(items: PyValue[]): void {
    const target = this.s.top();
    if (typeof target === 'object' && target !== null && (target.kind === 'list' || target.kind === 'set')) {
      for (const item of items) target.items.push(item);
    }
  }

  private setItemsOnTop(flat: PyValue[]): void {
    const target = this.s.top();
    if (typeof target === 'object' && target !== null && target.kind === 'dict') this.setItems(target, flat);
  }

  private setItems(dict: PyDict, flat: PyValue[]): PyDict {
    if (flat.length % 2 !== 0) this.fail('ERR_MODELHUB_CORRUPT', 'has an odd number of items for a dict');
    for (let i = 0; i < flat.length; i += 2) dict.entries.set(flat[i], flat[i + 1]!);
    return dict;
  }

  private global(module: string, name: string): PyValue {
    const g = makeGlobal(module, name);
    if (!g.safe) this.flag(`${module}.${name}`);
    return g;
  }

  private stackGlobal(): void {
    const name = this.s.pop();
    const module = this.s.pop();
    if (typeof module !== 'string' || typeof name !== 'string') this.fail('ERR_MODELHUB_CORRUPT', 'has a STACK_GLOBAL without string operands');
    this.s.push(this.global(module, name));
  }

  private persistent(): void {
    const value = loadPersistent(this.s.pop());
    if (typeof value === 'object' && value !== null && value.kind === 'storage' && !this.storages.has(value.key)) this.storages.set(value.key, value);
    this.s.push(value);
  }

  private newObjEx(): void {
    const [cls, args] = this.s.popN(3);
    this.flag(`NEWOBJ_EX ${describe(cls!)}`);
    this.s.push({ kind: 'object', cls: cls!, args: args!, state: undefined });
  }

  private inst(module: string, name: string): void {
    const args = this.s.popMark();
    this.flag(`INST ${module}.${name}`);
    this.s.push({ kind: 'object', cls: makeGlobal(module, name), args: { kind: 'tuple', items: args }, state: undefined });
  }

  private obj(): void {
    const [cls, ...args] = this.s.popMark();
    if (cls === undefined) this.fail('ERR_MODELHUB_CORRUPT', 'has an OBJ without a class');
    this.flag(`OBJ ${describe(cls)}`);
    this.s.push({ kind: 'object', cls, args: { kind: 'tuple', items: args }, state: undefined });
  }

  private ext(code: number): void {
    this.flag(`EXT extension code ${code}`);
    this.s.push({ kind: 'opaque', why: 'extension registry' });
  }

  private flag(what: string): void {
    if (this.unsafe.size < 100) this.unsafe.add(what);
  }

  /** A malformed pickle is CORRUPT; LIMIT and UNSUPPORTED keep their code. Every message names the pickle and the offset. */
  private fail(code: FormatErrorCode, problem: string): never {
    const where = `${this.c.what} ${problem} (pickle offset ${this.at - this.c.start})`;
    throw code === 'ERR_MODELHUB_CORRUPT' ? corruptError(this.c.path, 'pickle', where) : formatError(code, this.c.path, where);
  }
}

function describe(v: PyValue): string {
  return typeof v === 'object' && v !== null && v.kind === 'global' ? `${v.module}.${v.name}` : 'an object';
}
