import { setEntry, WarningTally } from './body.js';
import type { PyValue } from './pickle-values.js';
import type { MetadataValue, TensorInfo } from './types.js';

export interface FlattenLimits {
  maxDepth: number;
  maxTensors: number;
  maxMetadataEntries: number;
  /** Longer string leaves are left out of the metadata. */
  maxMetadataString: number;
  /** Longer lists of scalars are left out of the metadata. */
  maxMetadataArray: number;
}

export const FLATTEN_LIMITS: Readonly<FlattenLimits> = {
  maxDepth: 64,
  maxTensors: 2_000_000,
  maxMetadataEntries: 10_000,
  maxMetadataString: 64 * 1024,
  maxMetadataArray: 64,
};

export interface Flattened {
  tensors: TensorInfo[];
  metadata: Record<string, MetadataValue>;
  warnings: string[];
}

/**
 * Turns the object a checkpoint pickle builds into tensors and metadata. Dict keys (ints as
 * decimal strings) and list indices are joined with '.', so `{state_dict: {'a.weight': T}}`
 * gives the tensor `state_dict.a.weight`; nothing is unwrapped here. Scalar and string leaves
 * at any depth become metadata under their joined key; short lists of scalars become arrays.
 * Objects are entered through their BUILD state when it is a dict. Bounded in depth and size.
 */
export function flattenPickle(root: PyValue, limits: Partial<FlattenLimits> = {}): Flattened {
  const walker = new Walker({ ...FLATTEN_LIMITS, ...limits });
  walker.walk(root, '', 0);
  const warnings: string[] = [];
  walker.tally.flush(warnings);
  return { tensors: walker.tensors, metadata: walker.metadata, warnings };
}

type Scalar = string | number | boolean | bigint;

class Walker {
  readonly tensors: TensorInfo[] = [];
  readonly metadata: Record<string, MetadataValue> = {};
  readonly tally = new WarningTally();
  private metadataCount = 0;
  private readonly onPath = new Set<object>();

  constructor(private readonly lim: FlattenLimits) {}

  walk(v: PyValue, name: string, depth: number): void {
    if (v === null) return;
    if (typeof v !== 'object') return this.leaf(name, v);
    if (depth > this.lim.maxDepth) return this.tally.add(`nesting deeper than ${this.lim.maxDepth} levels skipped`, name);
    if (this.onPath.has(v)) return this.tally.add('self-referencing containers skipped', name);
    this.onPath.add(v);
    try {
      this.walkObject(v, name, depth);
    } finally {
      this.onPath.delete(v);
    }
  }

  private walkObject(v: Exclude<PyValue, Scalar | null>, name: string, depth: number): void {
    switch (v.kind) {
      case 'tensor':
        return this.tensor(name, v.dtype, v.shape);
      case 'ndarray':
        return this.tensor(name, v.dtype, v.shape ?? []);
      case 'dict':
        for (const [key, value] of v.entries) {
          const part = keyText(key);
          if (part === undefined) this.tally.add('dict entries with non-scalar keys skipped', name || '(top level)');
          else this.walk(value, name === '' ? part : `${name}.${part}`, depth + 1);
        }
        return;
      case 'list':
      case 'tuple':
      case 'set':
        return this.sequence(v.items, name, depth);
      case 'object':
        if (v.state !== undefined && typeof v.state === 'object' && v.state !== null && v.state.kind === 'dict') this.walk(v.state, name, depth + 1);
        return;
      default:
        return;
    }
  }

  private sequence(items: PyValue[], name: string, depth: number): void {
    if (items.every(isScalarOrNull)) {
      const scalars = items.filter((i): i is Scalar => i !== null);
      if (scalars.length > this.lim.maxMetadataArray) return this.tally.add('long lists of scalars left out of metadata', name);
      if (scalars.some((s) => typeof s === 'string' && s.length > this.lim.maxMetadataString)) return;
      return this.record(name, scalars);
    }
    items.forEach((item, i) => this.walk(item, name === '' ? String(i) : `${name}.${i}`, depth + 1));
  }

  private leaf(name: string, v: Scalar): void {
    if (typeof v === 'string' && v.length > this.lim.maxMetadataString) return this.tally.add('long strings left out of metadata', name);
    this.record(name, v);
  }

  private record(name: string, v: MetadataValue): void {
    if (this.metadataCount >= this.lim.maxMetadataEntries) return this.tally.add('metadata entries over the cap left out', name);
    this.metadataCount++;
    setEntry(this.metadata, name === '' ? '(root)' : name, v);
  }

  private tensor(name: string, dtype: string, shape: number[]): void {
    if (this.tensors.length >= this.lim.maxTensors) return this.tally.add('tensors over the cap left out', name);
    this.tensors.push({ name: name === '' ? '(root)' : name, dtype, shape });
  }
}

function isScalarOrNull(v: PyValue): v is Scalar | null {
  return v === null || typeof v !== 'object';
}

function keyText(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'bigint') return String(key);
  if (typeof key === 'boolean') return key ? 'True' : 'False';
  return undefined;
}
