import type { MetadataValue, ModelHeader } from './types.js';

/** What a container reader contributes to a ModelHeader; `readModelHeader` adds path, size and counts. */
export type HeaderBody = Pick<ModelHeader, 'tensors' | 'metadata' | 'dataOffset' | 'warnings' | 'version' | 'unsafeGlobals'>;

/**
 * Stores `value` under an untrusted `key` as an own property, so keys such as `__proto__`
 * from a hostile header cannot change the record's prototype.
 */
export function setEntry(record: Record<string, MetadataValue>, key: string, value: MetadataValue): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    record[key] = value;
  }
}

/** Converts an unsigned/signed 64-bit value to a number when exact, else keeps the bigint. */
export function toSafeNumber(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
}

/** Collects repeated problems of one kind into a single warning with a count and the first examples. */
export class WarningTally {
  private readonly seen = new Map<string, { count: number; examples: string[] }>();

  add(kind: string, example: string): void {
    const entry = this.seen.get(kind) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(example);
    this.seen.set(kind, entry);
  }

  flush(into: string[]): void {
    for (const [kind, { count, examples }] of this.seen) {
      const more = count > examples.length ? `, … (${count} in all)` : '';
      into.push(`${kind}: ${examples.join(', ')}${more}`);
    }
  }
}
