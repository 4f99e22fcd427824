/**
 * The screen's geometry, shared by the reducer (how far a page jumps) and the views (how many
 * rows they draw). One line is left free at the bottom: Ink redraws a frame that fills the whole
 * terminal by clearing the screen, which flickers.
 */

export interface Size {
  cols: number;
  rows: number;
}

/** Smaller than this, the screen shows a message instead of a garbled layout. */
export const MIN_SIZE: Size = { cols: 60, rows: 12 };

/** Title and info line, and the list's column header. */
export const HEADER_LINES = 3;
/** Status (or progress) line and hint line. */
export const FOOTER_LINES = 2;

export function tooSmall(size: Size): boolean {
  return size.cols < MIN_SIZE.cols || size.rows < MIN_SIZE.rows;
}

/** Rows of content a view has between header and footer. */
export function bodyHeight(size: Size): number {
  return Math.max(1, size.rows - HEADER_LINES - FOOTER_LINES - 1);
}
