import { escapeForTerminal } from '../core/terminal-text.js';

/**
 * Styled text as data: a line is a list of spans, each with an optional style. The screens that
 * show text (details, help, reports, confirmations, the plan) are built as lines by pure
 * functions, so the reducer knows how far they scroll and the views only paint them. Untrusted
 * text (file names, paths, metadata) enters through `span`, which escapes control characters.
 */

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'inverse';

export interface Span {
  text: string;
  style?: Style;
}

export type Line = Span[];

/** A span of text from anywhere (escaped: no control character reaches the terminal). */
export function span(text: string, style?: Style): Span {
  const safe = escapeForTerminal(text);
  return style === undefined ? { text: safe } : { text: safe, style };
}

/** A line of one span. */
export function line(text: string, style?: Style): Line {
  return [span(text, style)];
}

/** `key    value` with the key dimmed and padded, as `show` lays out its facts. */
export function fact(key: string, value: string, style?: Style): Line {
  return [span(key.padEnd(12), 'dim'), span(' '), span(value, style)];
}

export const BLANK: Line = [];

/** The plain text of a line (tests, width checks). */
export function lineText(l: Line): string {
  return l.map((s) => s.text).join('');
}
