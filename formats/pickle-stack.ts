import type { FormatErrorCode } from './errors.js';
import type { PyValue } from './pickle-values.js';

type Fail = (code: FormatErrorCode, problem: string) => never;

/**
 * The pickle machine's stack, MARK positions and memo, with CPython's semantics (a MARK hides
 * what lies below it) and bounded sizes. Misuse by a malformed pickle goes to `fail`.
 */
export class PickleStack {
  private readonly stack: PyValue[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, PyValue>();

  constructor(
    private readonly lim: { maxStack: number; maxMarks: number; maxMemo: number },
    private readonly fail: Fail,
  ) {}

  get memoSize(): number {
    return this.memo.size;
  }

  push(v: PyValue): void {
    if (this.stack.length >= this.lim.maxStack) this.fail('ERR_MODELHUB_LIMIT', `needs a stack deeper than ${this.lim.maxStack}`);
    this.stack.push(v);
  }

  pop(): PyValue {
    if (this.stack.length <= this.base) this.fail('ERR_MODELHUB_CORRUPT', 'pops an empty pickle stack');
    return this.stack.pop()!;
  }

  popN(n: number): PyValue[] {
    if (this.stack.length - this.base < n) this.fail('ERR_MODELHUB_CORRUPT', 'pops an empty pickle stack');
    return this.stack.splice(this.stack.length - n, n);
  }

  top(): PyValue {
    if (this.stack.length <= this.base) this.fail('ERR_MODELHUB_CORRUPT', 'reads an empty pickle stack');
    return this.stack[this.stack.length - 1]!;
  }

  /** POP: drops the top item, or the innermost mark when nothing sits above it (as CPython does). */
  popOne(): void {
    if (this.stack.length > this.base) this.stack.pop();
    else if (this.marks.length > 0) this.marks.pop();
    else this.fail('ERR_MODELHUB_CORRUPT', 'pops an empty pickle stack');
  }

  pushMark(): void {
    if (this.marks.length >= this.lim.maxMarks) this.fail('ERR_MODELHUB_LIMIT', `nests more than ${this.lim.maxMarks} MARKs`);
    this.marks.push(this.stack.length);
  }

  /** The items above the innermost MARK, removing them and the mark. */
  popMark(): PyValue[] {
    const at = this.marks.pop();
    if (at === undefined) this.fail('ERR_MODELHUB_CORRUPT', 'has no MARK to pop');
    return this.stack.splice(at);
  }

  memoPut(index: number): void {
    if (!this.memo.has(index) && this.memo.size >= this.lim.maxMemo) this.fail('ERR_MODELHUB_LIMIT', `memoizes more than ${this.lim.maxMemo} objects`);
    this.memo.set(index, this.top());
  }

  memoGet(index: number): void {
    if (!this.memo.has(index)) this.fail('ERR_MODELHUB_CORRUPT', `reads memo entry ${index}, which was never stored`);
    this.push(this.memo.get(index)!);
  }

  private get base(): number {
    return this.marks.length === 0 ? 0 : this.marks[this.marks.length - 1]!;
  }
}
