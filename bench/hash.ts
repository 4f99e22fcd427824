/**
 * Hashing throughput: ModelHub's worker-thread SHA-256 against `openssl dgst -sha256` on the
 * same files (warm page cache, best of 3).
 *   one large file      target: ModelHub >= 0.95x openssl
 *   several files       target: ModelHub >= 1.7x openssl's single-file rate (both cores)
 * Also reports the cost of AutoV3 (a second SHA-256 over a safetensors payload, same pass).
 * Usage: npm run bench -- hash [--dir DIR] [--size-mb N]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile, hashMany } from '../store/hash.js';
import { benchDir, best, commandExists, MB, table } from './lib.js';

const sizeArg = process.argv.indexOf('--size-mb');
const SIZE = (sizeArg >= 0 ? Number(process.argv[sizeArg + 1]) : 2048) * MB;
const SEVERAL = 4;

function makeFile(path: string, size: number): void {
  if (existsSync(path) && statSync(path).size === size) return;
  const block = randomBytes(64 * MB);
  const fd = openSync(path, 'w');
  for (let written = 0; written < size; ) {
    const n = Math.min(block.length, size - written);
    writeSync(fd, block, 0, n);
    written += n;
  }
  closeSync(fd);
}

async function main(): Promise<void> {
  if (!commandExists('openssl')) throw new Error('openssl is needed for this benchmark');
  const dir = benchDir('hash');
  const big = join(dir, 'one.bin');
  makeFile(big, SIZE);
  const parts = Array.from({ length: SEVERAL }, (_, i) => join(dir, `part-${i}.bin`));
  for (const p of parts) makeFile(p, SIZE / 2);
  const openssl = (files: string[]): void => void execFileSync('openssl', ['dgst', '-sha256', ...files], { stdio: 'ignore' });
  openssl([big, ...parts]); // warm the page cache

  const o1 = await best(3, () => openssl([big]));
  const m1 = await best(3, () => hashFile(big));
  const v3 = await best(3, () => hashFile(big, { autov3Offset: 1024 }));
  const oN = await best(3, () => openssl(parts));
  const mN = await best(3, () => hashMany(parts.map((path) => ({ path }))));
  const rate = (bytes: number, s: number): number => bytes / MB / s;
  const oneRate = rate(SIZE, o1.seconds);
  const severalBytes = (SIZE / 2) * SEVERAL;
  const rows = [
    { case: `one file ${SIZE / MB} MB`, tool: 'openssl', 'MB/s': rate(SIZE, o1.seconds).toFixed(0), ratio: '1.00' },
    { case: `one file ${SIZE / MB} MB`, tool: 'modelhub', 'MB/s': rate(SIZE, m1.seconds).toFixed(0), ratio: (rate(SIZE, m1.seconds) / oneRate).toFixed(2) },
    { case: 'one file + AutoV3', tool: 'modelhub', 'MB/s': rate(SIZE, v3.seconds).toFixed(0), ratio: (rate(SIZE, v3.seconds) / oneRate).toFixed(2) },
    { case: `${SEVERAL} files x ${SIZE / 2 / MB} MB`, tool: 'openssl', 'MB/s': rate(severalBytes, oN.seconds).toFixed(0), ratio: (rate(severalBytes, oN.seconds) / oneRate).toFixed(2) },
    { case: `${SEVERAL} files x ${SIZE / 2 / MB} MB`, tool: 'modelhub', 'MB/s': rate(severalBytes, mN.seconds).toFixed(0), ratio: (rate(severalBytes, mN.seconds) / oneRate).toFixed(2) },
  ];
  console.log(table(rows));
  console.log('ratio = rate / openssl single-file rate. Targets: one file >= 0.95, several files >= 1.70.');
}

await main();
