/** Plain-text helpers shared by the human renderers (no colour here; renderers add it). */

export { formatBytes, formatConfidence } from '../core/human-units.js';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Cells longer than this are cut with an ellipsis. */
  max?: number;
}

/**
 * Lay out rows as aligned columns. `paint` may colour a cell after it has been padded, so ANSI
 * codes never upset the alignment.
 */
export function renderTable(columns: Column[], rows: string[][], paint?: (col: number, row: number, text: string) => string): string {
  const cells = rows.map((r) => r.map((c, i) => truncate(c, columns[i]?.max)));
  const widths = columns.map((col, i) => Math.max(col.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[], rowIndex: number): string =>
    r
      .map((c, i) => {
        const w = widths[i] ?? 0;
        const padded = columns[i]?.align === 'right' ? c.padStart(w) : c.padEnd(w);
        return rowIndex >= 0 && paint ? paint(i, rowIndex, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header), -1), ...cells.map((r, i) => line(r, i))].join('\n');
}

function truncate(text: string, max: number | undefined): string {
  if (max === undefined || text.length <= max) return text;
  return `${text.slice(0, Math.max(1, max - 1))}…`;
}
