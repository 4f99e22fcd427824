/** Numbers as people read them, shared by every human interface (the CLI's renderers, the TUI). */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 → "1.5 KB", decimal-free below 10 units of the next size up ("812 MB", "23.8 GB"). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** 0.873 → "87%". */
export function formatConfidence(c: number): string {
  return `${Math.round(c * 100)}%`;
}
