import { toSafeNumber, type WarningTally } from './body.js';
import type { ByteCursor } from './cursor.js';
import type { FormatErrorCode } from './errors.js';
import { parseQuotedString, parseTextInt } from './pickle-text.js';
import type { PickleLimits, PyValue } from './pickle-values.js';

const SMALL_BYTES = 256;

/**
 * Reads opcode arguments for the pickle machine: fixed-size ones synchronously (the machine
 * buffers 9 bytes ahead of each opcode), variable-length ones synchronously when buffered and
 * as a promise otherwise. Strings over the cap, long bytes and huge integers are skipped unread.
 */
export class PickleArgs {
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly c: ByteCursor,
    private readonly lim: PickleLimits,
    private readonly ctx: { tally: WarningTally; fail: (code: FormatErrorCode, problem: string) => never; opcodeAt: () => number },
  ) {}

  /**
   * Makes a fixed-size argument of `n` ≤ 8 bytes readable. `run` already buffered it unless the
   * region ends (or hits its cap) first, in which case checkBounds throws TRUNCATED (or LIMIT).
   */
  arg(n: number): void {
    if (this.c.has(n)) return;
    this.c.checkBounds(n);
    throw new Error(`PickleArgs: ${n} argument bytes at ${this.c.position} were not buffered`);
  }

  /** An unsigned little-endian integer argument of 1, 2, 4 or 8 bytes (8-byte values must be safe). */
  uint(n: 1 | 2 | 4 | 8): number {
    this.arg(n);
    const c = this.c;
    if (n === 1) return c.u8();
    if (n === 2) return c.u16();
    if (n === 4) return c.u32();
    const v = c.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.ctx.fail('ERR_MODELHUB_CORRUPT', `declares an impossible length ${v}`);
    return Number(v);
  }

  line(): Promise<Buffer> {
    return this.c.line(this.lim.maxLineBytes);
  }

  async twoLines(): Promise<[string, string]> {
    const first = this.decoder.decode(await this.line());
    return [first, this.decoder.decode(await this.line())];
  }

  /** `n` bytes of argument data, synchronously when already buffered. */
  private data<T>(n: number, decode: (bytes: Buffer) => T): T | Promise<T> {
    if (this.c.has(n)) return decode(this.c.bytes(n));
    return this.c.need(n).then(() => decode(this.c.bytes(n)));
  }

  text(n: number): PyValue | Promise<PyValue> {
    if (n < 0) this.ctx.fail('ERR_MODELHUB_CORRUPT', `has a negative string length ${n}`);
    if (n > this.lim.maxStringBytes) {
      this.c.skip(n);
      this.ctx.tally.add(`skipped strings longer than ${this.lim.maxStringBytes} bytes`, `${n} bytes at offset ${this.ctx.opcodeAt()}`);
      return { kind: 'opaque', why: 'long string' };
    }
    return this.data(n, (b) => this.decoder.decode(b));
  }

  bytes(n: number): PyValue | Promise<PyValue> {
    if (n > SMALL_BYTES) {
      this.c.skip(n);
      return { kind: 'bytes', length: n };
    }
    return this.data(n, (b): PyValue => ({ kind: 'bytes', length: n, data: Buffer.from(b) }));
  }

  /** LONG1/LONG4: little-endian two's complement of `n` bytes. */
  long(n: number): PyValue | Promise<PyValue> {
    if (n < 0) this.ctx.fail('ERR_MODELHUB_CORRUPT', `has a negative LONG4 length ${n}`);
    if (n > this.lim.maxLongBytes) {
      this.c.skip(n);
      return { kind: 'opaque', why: 'huge integer' };
    }
    return this.data(n, (bytes) => {
      let value = 0n;
      for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
      if (n > 0 && bytes[n - 1]! >= 0x80) value -= 1n << BigInt(8 * n);
      return toSafeNumber(value);
    });
  }

  textInt(line: Buffer, isInt: boolean): PyValue {
    const parsed = parseTextInt(line.toString('latin1'));
    if (parsed === undefined || (!isInt && typeof parsed === 'boolean')) this.ctx.fail('ERR_MODELHUB_CORRUPT', 'has a malformed INT/LONG argument');
    return typeof parsed === 'boolean' ? parsed : toSafeNumber(parsed);
  }

  quoted(line: Buffer): string {
    const s = parseQuotedString(line);
    if (s === undefined) this.ctx.fail('ERR_MODELHUB_CORRUPT', 'has a malformed STRING argument');
    return s;
  }

  index(line: Buffer): number {
    const text = line.toString('latin1');
    if (!/^\d{1,9}$/.test(text)) this.ctx.fail('ERR_MODELHUB_CORRUPT', `has a malformed memo index "${text.slice(0, 20)}"`);
    return Number(text);
  }
}
