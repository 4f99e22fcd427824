import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Folder for benchmark data: --dir DIR, else MODELHUB_BENCH_DIR, else ./.bench (git-ignored). */
export function benchDir(name: string): string {
  const i = process.argv.indexOf('--dir');
  const base = i >= 0 ? process.argv[i + 1] : process.env.MODELHUB_BENCH_DIR;
  const dir = join(resolve(base ?? '.bench'), name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function hasFlag(flag: string): boolean {
  return process.argv.includes(flag);
}

/** The value after an option (`--models 10000`). */
export function stringFlag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function numberFlag(name: string): number | undefined {
  const v = stringFlag(name);
  if (v === undefined) return undefined;
  const n = Number(v.replaceAll('_', ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} wants a positive number, not "${v}"`);
  return n;
}

export async function time<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

/** Best (lowest) of several runs: the least disturbed by the rest of the machine. */
export async function best<T>(runs: number, fn: () => Promise<T> | T): Promise<{ seconds: number; value: T }> {
  let out: { seconds: number; value: T } | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await time(fn);
    if (out === undefined || r.seconds < out.seconds) out = r;
  }
  return out as { seconds: number; value: T };
}

export function commandExists(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function table(rows: Array<Record<string, string | number>>): string {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i] ?? 0)).join('  ');
  return [line(cols), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n');
}

export const MB = 1024 * 1024;
