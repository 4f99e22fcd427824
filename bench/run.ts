/**
 * Benchmarks users can run (issue 13's table, as whole commands beside their peers):
 *   npm run bench                      every whole-command row except the opt-in `scale`
 *   npm run bench -- NAME [options]    one benchmark (`--help` lists them)
 * Options: --dir DIR (inputs; default $MODELHUB_BENCH_DIR, else /dev/shm/modelhub-bench on a
 * tmpfs, else ./.bench), --runs N (runs per figure, median reported; default 5),
 * --out FILE (JSON summary; default bench/results.json), --models N.
 * The commands timed are the built ones: run `npm run build` first.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../core/paths.js';
import { distEntry, filesystemOf, formatRow, Harness, machine } from './harness.js';
import { numberFlag, stringFlag } from './lib.js';

interface Bench {
  file: string;
  about: string;
  /** run only when named */
  optIn?: boolean;
  /** an older in-process benchmark printing its own table (no rows in the summary) */
  inProcess?: boolean;
}

const BENCHES: Record<string, Bench> = {
  scan: { file: './scan.js', about: 'scan of one and two 1 GiB safetensors beside openssl dgst -sha256, and 10,000 small files (first scan, rescan)' },
  deploy: { file: './deploy.js', about: 'apply of 10,000 new links beside stow --no-folding, and the in-sync plan beside stow -R' },
  list: { file: './list.js', about: 'list --type lora --limit 50 on 10,000 models beside the same query by sqlite3' },
  classify: { file: './classify.js', about: 'classifying one header: an SDXL checkpoint and 2,000-3,000-key LoRAs (in-process)' },
  scale: { file: './scale.js', about: '100,000 models: in-sync plan, list, peak RSS of plan/status/list/TUI', optIn: true },
  hash: { file: './hash.js', about: 'SHA-256 throughput against openssl, in-process', optIn: true, inProcess: true },
  rescan: { file: './rescan.js', about: 'rescanning 10,000 unchanged files, in-process', optIn: true, inProcess: true },
  inspect: { file: './inspect.js', about: 'bytes read to classify 5-24 GB files', optIn: true, inProcess: true },
  tui: { file: './tui.js', about: 'the terminal UI on 10,000 models: first paint and keystroke redraw', optIn: true, inProcess: true },
};

function defaultDir(): string {
  const chosen = stringFlag('--dir') ?? process.env.MODELHUB_BENCH_DIR;
  if (chosen !== undefined) return resolve(chosen);
  if (existsSync('/dev/shm') && filesystemOf('/dev/shm') === 'tmpfs') return '/dev/shm/modelhub-bench';
  return resolve('.bench');
}

const name = process.argv[2];
if (name === '--help' || name === '-h') {
  for (const [n, b] of Object.entries(BENCHES)) console.log(`${n.padEnd(9)} ${b.about}${b.optIn === true ? ' (only when named)' : ''}`);
} else {
  const chosen = name === undefined || name.startsWith('-') ? Object.keys(BENCHES).filter((n) => BENCHES[n]?.optIn !== true) : [name];
  for (const n of chosen) if (BENCHES[n] === undefined) throw new Error(`no benchmark "${n}"; choose from ${Object.keys(BENCHES).join(', ')}`);
  const h = new Harness({ dir: defaultDir(), runs: numberFlag('--runs') ?? 5, out: resolve(stringFlag('--out') ?? join(packageRoot(), 'bench/results.json')) });
  const m = machine();
  const wholeCommands = chosen.some((n) => BENCHES[n]?.inProcess !== true);
  if (wholeCommands) distEntry();
  console.log(`ModelHub benchmarks: ${m.nproc} CPUs (${m.cpu}), node ${m.node}, inputs in ${h.dir} (${filesystemOf(h.dir)}), median of ${h.runs} runs`);
  for (const n of chosen) {
    const bench = BENCHES[n] as Bench;
    console.log(`\n== ${n}: ${bench.about}`);
    h.bench = n;
    const mod = (await import(bench.file)) as { measure?: (h: Harness) => Promise<void> };
    await mod.measure?.(h);
  }
  if (h.rows.length > 0) {
    console.log(`\n== summary (load ${machine().load}; the machine is shared: compare each figure with its peer from the same run)`);
    for (const row of h.rows) console.log(formatRow(row));
    h.writeSummary();
    console.log(`\nwrote ${h.out}`);
  }
}
