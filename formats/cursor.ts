import { formatError } from './errors.js';
import type { ByteSource } from './source.js';

const FIRST_CHUNK = 64 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;

export interface CursorRegion {
  /** Absolute offset where reading starts. */
  start: number;
  /** Absolute end (exclusive) of the bytes that belong to the structure; reading past it is truncation. */
  end: number;
  /** Most bytes the structure may span from `start`; going past it is ERR_MODELHUB_LIMIT. */
  limit?: number;
  /** What is being read, for messages: "GGUF header", "data.pkl". */
  what: string;
  littleEndian?: boolean;
}

/**
 * Sequential reader over a region of a ByteSource. It reads in growing chunks (64 KiB up to
 * 4 MiB) so long runs of small fields cost few reads, never reads past the region, and may read
 * ahead at most one chunk past the last byte actually consumed. Pattern for hot loops:
 * `if (!c.has(n)) await c.need(n);` then the synchronous accessors.
 */
export class ByteCursor {
  position: number;
  littleEndian: boolean;
  readonly start: number;
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  private chunk = FIRST_CHUNK;
  private readonly capEnd: number;

  constructor(
    private readonly source: ByteSource,
    private readonly region: CursorRegion,
  ) {
    this.start = region.start;
    this.position = region.start;
    this.littleEndian = region.littleEndian ?? true;
    this.capEnd = region.limit === undefined ? Number.MAX_SAFE_INTEGER : region.start + region.limit;
  }

  get path(): string {
    return this.source.path;
  }

  /** What the region holds, as used in messages ("GGUF header", "data.pkl"). */
  get what(): string {
    return this.region.what;
  }

  /** Bytes between the position and the end of the region. */
  get remaining(): number {
    return this.region.end - this.position;
  }

  /** Bytes consumed since `start`. */
  get consumed(): number {
    return this.position - this.start;
  }

  has(n: number): boolean {
    return this.position >= this.bufStart && this.position + n <= this.bufStart + this.buf.length;
  }

  /** Makes `n` bytes at the position available to the synchronous accessors. */
  async need(n: number): Promise<void> {
    if (this.has(n)) return;
    this.checkBounds(n);
    const hardEnd = Math.min(this.region.end, this.capEnd);
    const want = Math.min(Math.max(n, this.chunk), hardEnd - this.position);
    const bufEnd = this.bufStart + this.buf.length;
    if (this.position >= this.bufStart && this.position < bufEnd) {
      const tail = this.buf.subarray(this.position - this.bufStart);
      const more = await this.source.read(bufEnd, want - tail.length);
      this.buf = Buffer.concat([tail, more]);
    } else {
      this.buf = await this.source.read(this.position, want);
    }
    this.bufStart = this.position;
    this.chunk = Math.min(this.chunk * 2, MAX_CHUNK);
  }

  /** Advances without reading; throws like `need` when that would leave the region or the cap. */
  skip(n: number): void {
    this.checkBounds(n);
    this.position += n;
  }

  /** Throws TRUNCATED or LIMIT unless `n` more bytes fit in the region and under the cap. */
  checkBounds(n: number): void {
    if (!(n >= 0)) throw new Error(`ByteCursor: invalid length ${n}`);
    const target = this.position + n;
    if (target > this.capEnd && this.capEnd < this.region.end) {
      throw formatError('ERR_MODELHUB_LIMIT', this.source.path,
        `${this.region.what} is larger than the ${this.capEnd - this.start}-byte cap (needs ${n} more bytes at offset ${this.position})`);
    }
    if (target > this.region.end) {
      throw formatError('ERR_MODELHUB_TRUNCATED', this.source.path,
        `${this.region.what} is cut off: needs ${n} bytes at offset ${this.position} but it ends at byte ${this.region.end}` +
          ` (file size ${this.source.size})`);
    }
  }

  private at(n: number): number {
    if (!this.has(n)) throw new Error(`ByteCursor: ${n} bytes at ${this.position} were not made available with need()`);
    const offset = this.position - this.bufStart;
    this.position += n;
    return offset;
  }

  u8(): number {
    return this.buf.readUInt8(this.at(1));
  }
  i8(): number {
    return this.buf.readInt8(this.at(1));
  }
  u16(): number {
    const o = this.at(2);
    return this.littleEndian ? this.buf.readUInt16LE(o) : this.buf.readUInt16BE(o);
  }
  i16(): number {
    const o = this.at(2);
    return this.littleEndian ? this.buf.readInt16LE(o) : this.buf.readInt16BE(o);
  }
  u32(): number {
    const o = this.at(4);
    return this.littleEndian ? this.buf.readUInt32LE(o) : this.buf.readUInt32BE(o);
  }
  i32(): number {
    const o = this.at(4);
    return this.littleEndian ? this.buf.readInt32LE(o) : this.buf.readInt32BE(o);
  }
  u64(): bigint {
    const o = this.at(8);
    return this.littleEndian ? this.buf.readBigUInt64LE(o) : this.buf.readBigUInt64BE(o);
  }
  i64(): bigint {
    const o = this.at(8);
    return this.littleEndian ? this.buf.readBigInt64LE(o) : this.buf.readBigInt64BE(o);
  }
  f32(): number {
    const o = this.at(4);
    return this.littleEndian ? this.buf.readFloatLE(o) : this.buf.readFloatBE(o);
  }
  f64(): number {
    const o = this.at(8);
    return this.littleEndian ? this.buf.readDoubleLE(o) : this.buf.readDoubleBE(o);
  }
  /** Pickle's BINFLOAT is big-endian whatever the cursor's byte order. */
  f64be(): number {
    return this.buf.readDoubleBE(this.at(8));
  }
  /** A view of the next `n` bytes (valid until the next `need`); copy it to keep it. */
  bytes(n: number): Buffer {
    const o = this.at(n);
    return this.buf.subarray(o, o + n);
  }

  /**
   * Reads up to and excluding the next '\n' (consuming it), at most `max` bytes, for pickle's
   * text opcodes.
   */
  async line(max: number): Promise<Buffer> {
    let want = 1;
    for (;;) {
      if (this.has(1)) {
        const offset = this.position - this.bufStart;
        const available = this.buf.length - offset;
        const nl = this.buf.indexOf(0x0a, offset);
        if (nl >= 0 && nl - offset <= max) {
          const text = Buffer.from(this.buf.subarray(offset, nl));
          this.position += nl - offset + 1;
          return text;
        }
        if (nl >= 0 || available > max) {
          throw formatError('ERR_MODELHUB_LIMIT', this.source.path,
            `${this.region.what} has a text line longer than ${max} bytes at offset ${this.position}`);
        }
        want = available + 1;
      }
      await this.need(want);
    }
  }
}
