/**
 * `modelhub scan` as users run it (whole commands, link mode, --no-settle), beside its peer:
 *   one 1 GiB safetensors        rate ÷ `openssl dgst -sha256` on the same file (target ≥ 0.95×)
 *   two 1 GiB safetensors        rate ÷ openssl's one-file rate (target ≥ 1.7×: both cores)
 *   10,000 small model files     first scan (≤ 5 s) and the unchanged rescan (≤ 1 s)
 * The large files hold real random bytes (hashing a sparse file's holes is not free, nor the
 * same as hashing data), written once under the bench folder and copied for each run, since a
 * scan moves them into its store. `firstScanRows` also serves the opt-in 100,000-file case.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '../test/fixtures/writers.js';
import { median, spread, type Harness, type Timing } from './harness.js';
import { commandExists } from './lib.js';

const GiB = 1024 * 1024 * 1024;

export async function measure(h: Harness): Promise<void> {
  const dir = h.folder('scan');
  if (commandExists('openssl')) largeRows(h, dir);
  else console.log('openssl is not installed: the 1 GiB rows need it as their peer');
  await firstScanRows(h, dir, 10_000, { first: 5, rescan: 1 });
}

function largeRows(h: Harness, dir: string): void {
  const pristine = [0, 1].map((i) => {
    const file = join(dir, `large-${i}.safetensors`);
    writeLargeSafetensors(file, GiB, 2 + i);
    return file;
  });
  const runs = Math.min(h.runs, 3);
  const one: number[] = [];
  const peer: Timing[] = [];
  const ours: Timing[] = [];
  for (let round = 0; round < runs; round++) {
    const dl = freshFolder(join(dir, 'dl-large'));
    const hub = freshFolder(join(dir, 'hub-large'));
    const copies = [join(dl, 'model-0.safetensors')];
    cpSync(pristine[0] as string, copies[0] as string);
    h.settle();
    const openssl = h.program('openssl', ['dgst', '-sha256', copies[0] as string], { stdio: 'ignore' });
    const scan = h.modelhub(['--hub', hub, 'scan', '-q', '--no-settle', copies[0] as string]);
    peer.push(openssl);
    ours.push(scan);
    one.push(openssl.seconds / scan.seconds);
  }
  const note = `openssl ${times(peer)} for 1 GiB, modelhub ${times(ours)} (${spread(one, 'x')})`;
  h.row({ work: 'scan one 1 GiB safetensors (link mode), rate ÷ openssl', value: median(one), unit: 'x', goal: { atLeast: 0.95 }, peer: { name: 'openssl', value: 1 }, note, samples: one });
  twoFilesRow(h, dir, pristine, runs);
}

/** Median wall / CPU seconds of several runs, as a note gives them. */
function times(runs: Timing[]): string {
  return `${median(runs.map((r) => r.seconds)).toFixed(2)} s / CPU ${median(runs.map((r) => r.cpu)).toFixed(2)} s`;
}

/** Both large files in one scan: the rate against openssl's one-file rate in the same round. */
function twoFilesRow(h: Harness, dir: string, pristine: string[], runs: number): void {
  const ratios: number[] = [];
  const peer: Timing[] = [];
  const ours: Timing[] = [];
  for (let round = 0; round < runs; round++) {
    const dl = freshFolder(join(dir, 'dl-two'));
    const hub = freshFolder(join(dir, 'hub-two'));
    for (const [i, p] of pristine.entries()) cpSync(p, join(dl, `model-${i}.safetensors`));
    h.settle();
    const openssl = h.program('openssl', ['dgst', '-sha256', join(dl, 'model-0.safetensors')], { stdio: 'ignore' });
    const scan = h.modelhub(['--hub', hub, 'scan', '-q', '--no-settle', dl]);
    peer.push(openssl);
    ours.push(scan);
    ratios.push((2 * openssl.seconds) / scan.seconds);
  }
  const note = `openssl ${times(peer)} for one file, modelhub ${times(ours)} for both (${spread(ratios, 'x')})`;
  h.row({ work: 'scan two 1 GiB files, rate ÷ openssl one-file rate', value: median(ratios), unit: 'x', goal: { atLeast: 1.7 }, peer: { name: 'openssl', value: 1 }, note, samples: ratios });
}

/**
 * A first scan of `files` small model files (a fresh hub each run, the files copied back from
 * a pristine folder), then the rescan of the same files, unchanged.
 */
export async function firstScanRows(h: Harness, dir: string, files: number, goals: { first: number; rescan: number }): Promise<void> {
  const pristine = join(dir, `small-${files}`);
  if (!existsSync(join(pristine, 'done'))) await writeSmallFiles(pristine, files);
  const runs = Math.min(h.runs, files > 20_000 ? 1 : 3);
  const first: Timing[] = [];
  const rescan: Timing[] = [];
  for (let round = 0; round < runs; round++) {
    const dl = freshFolder(join(dir, `dl-small-${files}`));
    const hub = freshFolder(join(dir, `hub-small-${files}`));
    rmSync(dl, { recursive: true, force: true });
    cpSync(join(pristine, 'files'), dl, { recursive: true });
    h.settle();
    first.push(h.modelhub(['--hub', hub, 'scan', '-q', '--no-settle', dl]));
    rescan.push(h.modelhub(['--hub', hub, 'scan', '-q', '--no-settle', dl]));
  }
  const n = files.toLocaleString('en-US');
  const row = (work: string, t: Timing[], atMost: number): void => {
    const samples = t.map((r) => r.seconds);
    h.row({ work, value: median(samples), unit: 's', cpu: median(t.map((r) => r.cpu)), goal: { atMost }, note: spread(samples, 's'), samples });
  };
  row(`first scan of ${n} small model files`, first, goals.first);
  row(`rescan of those ${n}, unchanged`, rescan, goals.rescan);
}

/** A safetensors file with `payload` bytes of random data in one U8 tensor (written once, kept). */
function writeLargeSafetensors(path: string, payload: number, seed: number): void {
  const text = JSON.stringify({ __metadata__: { seed: String(seed) }, weight: { dtype: 'U8', shape: [payload], data_offsets: [0, payload] } });
  const json = Buffer.from(text.padEnd(Math.ceil(text.length / 8) * 8, ' '));
  if (existsSync(path) && statSync(path).size === 8 + json.length + payload) return;
  const fd = openSync(path, 'w');
  try {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    writeSync(fd, len);
    writeSync(fd, json);
    const block = randomBytes(64 * 1024 * 1024);
    for (let left = payload; left > 0; left -= block.length) writeSync(fd, block, 0, Math.min(block.length, left));
  } finally {
    closeSync(fd);
  }
}

/** `files` small LoRA-shaped safetensors in folders of 500, each with its own content. */
async function writeSmallFiles(pristine: string, files: number): Promise<void> {
  rmSync(pristine, { recursive: true, force: true });
  for (let i = 0; i < files; i++) {
    const sub = join(pristine, 'files', `batch-${Math.floor(i / 500)}`);
    if (i % 500 === 0) mkdirSync(sub, { recursive: true });
    await writeSafetensors(join(sub, `lora-${i}.safetensors`), [{ name: 'lora_unet_x.lora_down.weight', shape: [4, 4] }], { metadata: { n: String(i) } });
  }
  closeSync(openSync(join(pristine, 'done'), 'w'));
}

function freshFolder(path: string): string {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
}
