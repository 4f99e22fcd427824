import type { Writable } from 'node:stream';
import { formatBytes, formatDuration } from './format.js';

/**
 * A one-line progress bar on a terminal (stderr): files, bytes, rate and ETA, redrawn at most
 * ten times a second and erased when done. Callers only create it when output is a TTY.
 */
export class ProgressBar {
  private files = 0;
  private totalFiles = 0;
  private bytes = 0;
  private totalBytes = 0;
  private started = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: Writable,
    private readonly label: string,
    private readonly width = 24,
  ) {}

  begin(files: number, bytes: number): void {
    this.totalFiles = files;
    this.totalBytes = bytes;
    this.started = Date.now();
    this.draw(true);
  }

  advance(bytes: number): void {
    this.bytes += bytes;
    this.draw(false);
  }

  fileDone(): void {
    this.files++;
    this.draw(false);
  }

  end(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const frac = this.totalBytes > 0 ? Math.min(1, this.bytes / this.totalBytes) : this.totalFiles > 0 ? this.files / this.totalFiles : 1;
    const filled = Math.round(frac * this.width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(this.width - filled)}`;
    const elapsed = (now - this.started) / 1000;
    const rate = elapsed > 0 ? this.bytes / elapsed : 0;
    const eta = rate > 0 ? (this.totalBytes - this.bytes) / rate : Number.NaN;
    const text =
      `${this.label} ${bar} ${this.files}/${this.totalFiles} files  ` +
      `${formatBytes(this.bytes)}/${formatBytes(this.totalBytes)}  ${formatBytes(rate)}/s  ETA ${formatDuration(eta)}`;
    this.stream.write(`\r\x1b[2K${text}`);
    this.drawn = true;
  }
}
