/**
 * The whole-command benchmark harness: each row of issue 13's table measured the way a user
 * runs it (a `modelhub` process from start to exit, the built dist/ with --offline), beside its
 * peer run on the same files in the same run, as the median of several runs. A benchmark file
 * exports `measure(h: Harness)` and adds rows with `h.row(…)`; run.ts prints them beside their
 * targets and writes the JSON summary.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../core/paths.js';

/** How a figure compares with its target: at most (times, sizes) or at least (ratios, rates). */
export type Goal = { atMost: number } | { atLeast: number };
export type Unit = 's' | 'ms' | 'MB' | 'x';

export interface Row {
  /** the benchmark that measured it (`plan`, `list`, …) */
  bench: string;
  /** the work, as issue 13's table names it */
  work: string;
  value: number;
  unit: Unit;
  goal?: Goal;
  /** the peer's figure on the same files in the same run, in the same unit */
  peer?: { name: string; value: number; cpu?: number };
  /**
   * Median CPU seconds (user + system) of the process: far steadier than wall time on a
   * shared machine, where waiting for a core counts in the wall time only.
   */
  cpu?: number;
  /** anything the reader needs beside the numbers (runs, min/max, the floor) */
  note?: string;
  /** every run's figure, for the JSON summary */
  samples?: number[];
}

/** One process: wall time from spawn to exit, and the CPU time it used (user + system, all threads). */
export interface Timing {
  seconds: number;
  /** NaN without /usr/bin/time */
  cpu: number;
}

export interface Command extends Timing {
  /** peak resident set size of the process, in MB */
  peakMB: number;
  stdout: string;
}

export interface HarnessOptions {
  dir: string;
  runs: number;
  out: string;
}

export class Harness {
  readonly rows: Row[] = [];
  readonly dir: string;
  readonly runs: number;
  readonly out: string;
  /** the bench currently measuring (set by run.ts) */
  bench = '';

  constructor(options: HarnessOptions) {
    this.dir = options.dir;
    this.runs = options.runs;
    this.out = options.out;
    mkdirSync(this.dir, { recursive: true });
  }

  /** A folder for one benchmark's inputs, under the folder the user chose. */
  folder(name: string): string {
    const dir = join(this.dir, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  row(row: Omit<Row, 'bench'>): Row {
    const full = { bench: this.bench, ...row };
    this.rows.push(full);
    console.log(formatRow(full));
    return full;
  }

  /**
   * One whole `modelhub` process (built dist/, --offline added): wall time from spawn to exit
   * and its peak RSS (read by a tiny preload from the kernel's rusage at exit). A non-zero exit
   * other than `expect` fails the benchmark loudly.
   */
  modelhub(argv: string[], options: { env?: NodeJS.ProcessEnv; expect?: number[]; cwd?: string } = {}): Command {
    const entry = distEntry();
    const env = { ...process.env, NO_COLOR: '1', ...options.env };
    const r = timed(process.execPath, [entry, '--offline', ...argv], { cwd: options.cwd ?? this.dir, env });
    const expect = options.expect ?? [0];
    if (r.status === null || !expect.includes(r.status)) throw new Error(`modelhub ${argv.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
    return { seconds: r.seconds, cpu: r.cpu, peakMB: r.peakMB, stdout: r.stdout };
  }

  /** Wall and CPU time of any other program (the peers: stow, openssl, sqlite3). */
  program(cmd: string, args: string[], options: SpawnSyncOptions = {}): Timing {
    const r = timed(cmd, args, options);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
    return { seconds: r.seconds, cpu: r.cpu };
  }

  /** Flush dirty data to disk so one timing does not pay for the previous step's writes. */
  settle(): void {
    spawnSync('sync');
  }

  /** Write the JSON summary: the machine, and every row with its target and whether it was met. */
  writeSummary(): void {
    const summary = {
      date: new Date().toISOString(),
      machine: machine(),
      dir: this.dir,
      filesystem: filesystemOf(this.dir),
      runs: this.runs,
      rows: this.rows.map((r) => ({ ...r, met: met(r) })),
    };
    mkdirSync(resolve(this.out, '..'), { recursive: true });
    writeFileSync(this.out, `${JSON.stringify(summary, null, 2)}\n`);
  }
}

const TIME = '/usr/bin/time';

/**
 * Run a process to its end: wall time, and (through GNU time, when installed) its CPU time
 * and peak RSS as the kernel's rusage gives them.
 */
function timed(cmd: string, args: string[], options: SpawnSyncOptions): Timing & { peakMB: number; status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const report = join(tmpdir(), `modelhub-bench-time-${process.pid}`);
  rmSync(report, { force: true });
  const viaTime = existsSync(TIME);
  const t0 = performance.now();
  const r = viaTime
    ? spawnSync(TIME, ['-f', '%U %S %M', '-o', report, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const seconds = (performance.now() - t0) / 1000;
  const [user, system, kb] = viaTime && existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [] : [];
  rmSync(report, { force: true });
  return { seconds, cpu: (user ?? Number.NaN) + (system ?? Number.NaN), peakMB: (kb ?? Number.NaN) / 1024, status: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The built command line; the benchmarks measure what users run, so dist/ must be built. */
export function distEntry(): string {
  const entry = join(packageRoot(), 'dist/cmd/main.js');
  if (!existsSync(entry)) throw new Error('dist/ is not built: run `npm run build` first (the benchmarks time the built command)');
  return entry;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Whether a row meets its goal (undefined: it has none). */
export function met(row: Row): boolean | undefined {
  if (row.goal === undefined) return undefined;
  return 'atMost' in row.goal ? row.value <= row.goal.atMost : row.value >= row.goal.atLeast;
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '-';
  switch (unit) {
    case 's':
      return value < 1 ? `${(value * 1000).toFixed(0)} ms` : `${value.toFixed(2)} s`;
    case 'ms':
      return `${value.toFixed(2)} ms`;
    case 'MB':
      return `${value.toFixed(0)} MB`;
    case 'x':
      return `${value.toFixed(2)}×`;
  }
}

function formatGoal(row: Row): string {
  if (row.goal === undefined) return '';
  return 'atMost' in row.goal ? `≤ ${formatValue(row.goal.atMost, row.unit)}` : `≥ ${formatValue(row.goal.atLeast, row.unit)}`;
}

export function formatRow(row: Row): string {
  const verdict = met(row) === undefined ? '' : met(row) ? 'met' : 'NOT met';
  const cpu = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '' : ` (cpu ${formatValue(v, 's')})`);
  const peer = row.peer === undefined ? '' : `${row.peer.name}: ${formatValue(row.peer.value, row.unit)}${cpu(row.peer.cpu)}`;
  return [row.work.padEnd(58), `${formatValue(row.value, row.unit)}${cpu(row.cpu)}`.padStart(9), (row.goal === undefined ? '' : `target ${formatGoal(row)}`).padEnd(17), verdict.padEnd(7), peer, row.note ?? '']
    .filter((c) => c !== '')
    .join('  ');
}

/** The machine the run was on: cores, CPU model, node version, load at the end of the run. */
export function machine(): { nproc: number; cpu: string; node: string; load: number } {
  return { nproc: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, load: Number(loadavg()[0]?.toFixed(2)) };
}

/** The filesystem type holding a folder (tmpfs, ext4, …), as `stat -f` names it. */
export function filesystemOf(dir: string): string {
  const r = spawnSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

/** Several runs of fn, each given its round number; the figures in order. */
export function repeat(runs: number, fn: (round: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(fn(i));
  return out;
}

export function spread(values: readonly number[], unit: Unit): string {
  return `${values.length} runs, ${formatValue(Math.min(...values), unit)}–${formatValue(Math.max(...values), unit)}`;
}
