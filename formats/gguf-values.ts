import { toSafeNumber } from './body.js';
import type { ByteCursor } from './cursor.js';
import { corruptError, formatError } from './errors.js';
import type { MetadataValue } from './types.js';

/** Bounds on what a GGUF header may declare; exceeding one is ERR_MODELHUB_LIMIT, never an allocation. */
export interface GgufLimits {
  /** Longest key, value or tensor-name string. */
  maxStringBytes: number;
  /** Most elements one array may declare (ggml allows 2^30; real tokenizers hold ~256k). */
  maxArrayElements: number;
  /** Arrays up to this length are kept; longer ones are skipped and summarised as `{ arrayOf, length }`. */
  inlineArrayElements: number;
  /** Deepest nesting of arrays inside arrays. */
  maxArrayDepth: number;
}

/** GGUF value types by id (`enum gguf_type`); `size` is 0 for the variable-length STRING and ARRAY. */
export const GGUF_VALUE_TYPES: ReadonlyArray<{ name: string; size: number }> = [
  { name: 'uint8', size: 1 }, { name: 'int8', size: 1 }, { name: 'uint16', size: 2 }, { name: 'int16', size: 2 },
  { name: 'uint32', size: 4 }, { name: 'int32', size: 4 }, { name: 'float32', size: 4 }, { name: 'bool', size: 1 },
  { name: 'string', size: 0 }, { name: 'array', size: 0 }, { name: 'uint64', size: 8 }, { name: 'int64', size: 8 },
  { name: 'float64', size: 8 },
];

const STRING = 8;
const ARRAY = 9;

/** Reads GGUF strings and values from a cursor positioned on them. v1 files use 32-bit lengths. */
export class GgufValueReader {
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly c: ByteCursor,
    private readonly version: number,
    private readonly limits: GgufLimits,
  ) {}

  /** A length or count field: u32 in v1, u64 after; a value past `max` is ERR_MODELHUB_LIMIT. */
  async readCount(what: string, max: number): Promise<number> {
    if (!this.c.has(this.countSize)) await this.c.need(this.countSize);
    return this.takeCount(what, max);
  }

  private get countSize(): number {
    return this.version >= 2 ? 8 : 4;
  }

  /** `readCount` for bytes already made available. */
  private takeCount(what: string, max: number): number {
    const at = this.c.position;
    const value = this.version >= 2 ? this.c.u64() : BigInt(this.c.u32());
    if (value > BigInt(max)) {
      throw formatError('ERR_MODELHUB_LIMIT', this.c.path, `GGUF ${what} of ${value} at offset ${at} exceeds the limit of ${max}`);
    }
    return Number(value);
  }

  async readString(what: string): Promise<string> {
    const length = await this.readCount(`${what} length`, this.limits.maxStringBytes);
    await this.c.need(length);
    return this.decoder.decode(this.c.bytes(length));
  }

  async readType(what: string): Promise<number> {
    await this.c.need(4);
    const at = this.c.position;
    const type = this.c.u32();
    if (type >= GGUF_VALUE_TYPES.length) {
      throw corruptError(this.c.path, 'GGUF file', `${what} has unknown value type ${type} at offset ${at}`);
    }
    return type;
  }

  /** Reads one value of `type`; arrays longer than the inline cap are skipped and summarised. */
  async readValue(type: number, depth = 0): Promise<MetadataValue> {
    if (type === STRING) return this.readString('string value');
    if (type === ARRAY) return this.readArray(depth);
    await this.c.need(GGUF_VALUE_TYPES[type]!.size);
    return this.readFixed(type);
  }

  private readFixed(type: number): MetadataValue {
    const c = this.c;
    switch (type) {
      case 0: return c.u8();
      case 1: return c.i8();
      case 2: return c.u16();
      case 3: return c.i16();
      case 4: return c.u32();
      case 5: return c.i32();
      case 6: return c.f32();
      case 7: return c.u8() !== 0;
      case 10: return toSafeNumber(c.u64());
      case 11: return toSafeNumber(c.i64());
      case 12: return c.f64();
      default: throw new Error(`GgufValueReader: ${type} is not a fixed-size type`);
    }
  }

  private async readArray(depth: number): Promise<MetadataValue> {
    if (depth >= this.limits.maxArrayDepth) {
      throw formatError('ERR_MODELHUB_LIMIT', this.c.path, `GGUF arrays nest deeper than ${this.limits.maxArrayDepth} levels at offset ${this.c.position}`);
    }
    const elementType = await this.readType('array');
    const length = await this.readCount('array length', this.limits.maxArrayElements);
    const size = GGUF_VALUE_TYPES[elementType]!.size;
    this.c.checkBounds(length * (size || this.countSize));
    if (length > this.limits.inlineArrayElements) {
      await this.skipElements(elementType, length, depth);
      return { arrayOf: GGUF_VALUE_TYPES[elementType]!.name, length };
    }
    const items: MetadataValue[] = [];
    for (let i = 0; i < length; i++) items.push(await this.readValue(elementType, depth + 1));
    return items;
  }

  /** Skips `length` elements without decoding them; fixed-size runs cost no reads at all. */
  private async skipElements(type: number, length: number, depth: number): Promise<void> {
    const size = GGUF_VALUE_TYPES[type]!.size;
    if (size > 0) {
      this.c.skip(length * size);
      return;
    }
    for (let i = 0; i < length; i++) {
      if (type === STRING) {
        if (!this.c.has(this.countSize)) await this.c.need(this.countSize);
        this.c.skip(this.takeCount('string length', this.limits.maxStringBytes));
      } else {
        await this.readArray(depth + 1);
      }
    }
  }
}
