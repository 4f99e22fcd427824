/**
 * Durations as users type them on the command line (`--lock-timeout 30s`): one or more
 * number-and-unit parts as Go's time.ParseDuration reads them (`90s`, `1m30s`, `1.5h`,
 * `250ms`), or a plain number of seconds (`45`). Units: ms, s, m, h. Never negative.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/y;

/** Milliseconds (rounded to whole ones), or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^(\d+(?:\.\d+)?|\.\d+)$/.test(t)) return Math.round(Number(t) * 1000);
  if (t === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < t.length) {
    const start = PART.lastIndex;
    const m = PART.exec(t);
    if (m === null || m.index !== start) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** 90000 → "1m30s", 0 → "0s", 250 → "250ms": the shortest text `parseDuration` reads back. */
export function formatDurationMs(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
