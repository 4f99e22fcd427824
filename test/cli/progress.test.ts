import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../cmd/progress.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

describe('progress bar', () => {
  it('redraws one line with files, bytes, rate and ETA, and erases it at the end', () => {
    const out = new Capture();
    const bar = new ProgressBar(out, 'hashing', 10);
    bar.begin(2, 2_000_000_000);
    expect(out.text).toMatch(/^\r\x1b\[2Khashing ░{10} 0\/2 files {2}0 B\/2\.0 GB {2}0 B\/s {2}ETA --:--$/);
    bar.advance(1_000_000_000);
    bar.fileDone();
    bar.end();
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
    expect(out.text.split('\r\x1b[2K').filter((s) => s.includes('hashing'))).toHaveLength(1); // later draws are throttled to 10 a second
  });
});
