/**
 * Rescanning 10,000 unchanged files (target: under 1 s). Builds a downloads folder of small
 * real safetensors files, scans it once (moving them into the store, leaving symlinks), then
 * times a second scan, which must recognise every file without hashing anything. Also times
 * the same case for `--copy` imports, where the scan cache (device, inode, size, mtime) is what
 * avoids re-hashing.
 * Usage: npm run bench -- rescan [--dir DIR] [--files N]
 */
import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openHub } from '../store/hub.js';
import { scanPaths, type ScanOptions } from '../store/scan.js';
import { writeSafetensors } from '../test/fixtures/writers.js';
import { benchDir, time, table } from './lib.js';

const filesArg = process.argv.indexOf('--files');
const FILES = filesArg >= 0 ? Number(process.argv[filesArg + 1]) : 10_000;

const classify: ScanOptions['classify'] = () => ({ type: 'lora', base: 'sdxl', variant: 'lora', confidence: 1, evidence: [] });

async function makeDownloads(dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `batch-${Math.floor(i / 500)}`);
    if (i % 500 === 0) await mkdir(sub, { recursive: true });
    await writeSafetensors(join(sub, `lora-${i}.safetensors`), [{ name: 'lora_unet_x.lora_down.weight', shape: [4, 4] }], { metadata: { n: String(i) } });
  }
}

async function measure(mode: ScanOptions['mode']): Promise<Record<string, string | number>> {
  const dir = benchDir(`rescan-${mode}`);
  const downloads = join(dir, 'downloads');
  rmSync(join(dir, 'hub'), { recursive: true, force: true });
  await makeDownloads(downloads);
  const hub = openHub(join(dir, 'hub'));
  const first = await time(() => scanPaths(hub, [downloads], { mode, classify }));
  const second = await time(() => scanPaths(hub, [downloads], { mode, classify }));
  hub.close();
  const r = second.value;
  if (r.unchanged !== FILES || r.bytesHashed !== 0) throw new Error(`rescan was not a no-op: ${JSON.stringify({ ...r, files: undefined })}`);
  return { mode, files: FILES, 'first scan s': first.seconds.toFixed(2), 'rescan s': second.seconds.toFixed(3), target: '< 1 s' };
}

console.log(table([await measure('link'), await measure('copy')]));
