import type { KeyPattern } from './ruleset.js';

/**
 * A set of tensor names with their shapes, indexed for the questions rules ask: is a key
 * present, what is its shape, which keys match a pattern. Keys are grouped by the text before
 * their first separator ('.' for tensor names, '/' for LoRA module views), so a pattern with a
 * literal prefix only looks at its group. Pattern answers are cached per view.
 */
export class KeyView {
  readonly size: number;
  private readonly shapes: Map<string, readonly number[]>;
  /** Built on the first pattern query that can use it. */
  private groups: Map<string, string[]> | undefined;
  private readonly memo = new Map<string, unknown>();
  private readonly subViews = new Map<string, KeyView>();

  constructor(entries: Iterable<readonly [string, readonly number[]]>, readonly separator = '.') {
    this.shapes = new Map(entries);
    this.size = this.shapes.size;
  }

  keys(): IterableIterator<string> {
    return this.shapes.keys();
  }

  has(key: string): boolean {
    return this.shapes.has(key);
  }

  shape(key: string): readonly number[] | undefined {
    return this.shapes.get(key);
  }

  /** The keys under `prefix`, with the prefix removed (the view itself for ''). */
  under(prefix: string): KeyView {
    if (prefix === '') return this;
    let sub = this.subViews.get(prefix);
    if (sub === undefined) {
      const entries: [string, readonly number[]][] = [];
      for (const key of this.candidates(prefix)) entries.push([key.slice(prefix.length), this.shapes.get(key) ?? []]);
      sub = new KeyView(entries, this.separator);
      this.subViews.set(prefix, sub);
    }
    return sub;
  }

  /** The first key (in insertion order) the pattern matches. */
  firstMatch(p: KeyPattern): string | undefined {
    return this.remember(`first:${p.source}`, () => {
      for (const key of this.candidates(p.prefix)) if (p.re.test(key)) return key;
      return undefined;
    });
  }

  /** The distinct integers the pattern's first capture group takes (all matches counted when it has none). */
  captures(p: KeyPattern): number[] {
    return this.remember(`cap:${p.source}`, () => {
      const seen = new Set<number>();
      let plain = 0;
      for (const key of this.candidates(p.prefix)) {
        const m = p.re.exec(key);
        if (m === null) continue;
        if (m[1] === undefined) plain++;
        else seen.add(Number(m[1]));
      }
      return seen.size > 0 ? [...seen] : Array.from({ length: plain }, (_, i) => i);
    });
  }

  /** Keys that may match a pattern starting with `prefix`. */
  private *candidates(prefix: string): Generator<string> {
    const cut = prefix.indexOf(this.separator);
    if (cut >= 0) {
      for (const key of this.groupIndex().get(prefix.slice(0, cut)) ?? []) if (key.startsWith(prefix)) yield key;
      return;
    }
    for (const key of this.shapes.keys()) if (key.startsWith(prefix)) yield key;
  }

  private groupIndex(): Map<string, string[]> {
    if (this.groups !== undefined) return this.groups;
    const groups = new Map<string, string[]>();
    for (const key of this.shapes.keys()) {
      const group = groupOf(key, this.separator);
      const list = groups.get(group);
      if (list === undefined) groups.set(group, [key]);
      else list.push(key);
    }
    return (this.groups = groups);
  }

  private remember<T>(id: string, compute: () => T): T {
    if (this.memo.has(id)) return this.memo.get(id) as T;
    const value = compute();
    this.memo.set(id, value);
    return value;
  }
}

function groupOf(key: string, separator: string): string {
  const cut = key.indexOf(separator);
  return cut < 0 ? key : key.slice(0, cut);
}
