/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Text } from 'ink';
import { createContext, useContext, type ReactElement } from 'react';
import type { Line, Style } from '../text.js';

/**
 * How text may look: `color` (off with NO_COLOR or --no-color) and `emphasis` (bold, dim,
 * inverse; on for every terminal, off where frames are compared as text).
 */
export interface Looks {
  color: boolean;
  emphasis: boolean;
}

export const LooksContext = createContext<Looks>({ color: true, emphasis: true });

const SGR: Record<Style, [number, number]> = { bold: [1, 22], dim: [2, 22], inverse: [7, 27], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] };
const COLOURS: ReadonlySet<Style> = new Set(['red', 'green', 'yellow', 'cyan']);

/** The style a span is drawn with: without colour, red (errors, conflicts) turns bold and other colours plain. */
export function effectiveStyle(style: Style | undefined, looks: Looks): Style | undefined {
  if (style === undefined) return undefined;
  if (COLOURS.has(style) && !looks.color) return style === 'red' && looks.emphasis ? 'bold' : undefined;
  if (!COLOURS.has(style) && !looks.emphasis) return undefined;
  return style;
}

/**
 * A line as one string with its SGR codes (the only escape sequences ModelHub writes; span text
 * is escaped on its way in). One Ink text node per line keeps a 10,000-row screen's redraw cheap.
 */
export function paintLine(line: Line, looks: Looks, inverse = false): string {
  let out = '';
  for (const s of line) {
    const style = effectiveStyle(s.style, looks);
    out += style === undefined ? s.text : `\x1b[${SGR[style][0]}m${s.text}\x1b[${SGR[style][1]}m`;
  }
  if (out === '') out = ' ';
  return inverse && looks.emphasis ? `\x1b[7m${out}\x1b[27m` : out;
}

/** One line of spans, cut at the screen's edge (never wrapped, so the layout keeps its height). */
export function LineView({ line, inverse }: { line: Line; inverse?: boolean }): ReactElement {
  const looks = useContext(LooksContext);
  return <Text wrap="truncate-end">{paintLine(line, looks, inverse === true)}</Text>;
}

/** `height` lines of `lines` from `from` on, padded with blank lines, so every frame has the same height. */
export function LinesView({ lines, from, height }: { lines: readonly Line[]; from: number; height: number }): ReactElement {
  const shown = lines.slice(from, from + height);
  const pad = Math.max(0, height - shown.length);
  return (
    <>
      {shown.map((l, i) => (
        <LineView key={from + i} line={l} />
      ))}
      {Array.from({ length: pad }, (_, i) => (
        <Text key={`pad${i}`}> </Text>
      ))}
    </>
  );
}

/** A plain string padded or cut (with an ellipsis) to exactly `width` characters. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const chars = [...text];
  if (chars.length > width) return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
  const pad = ' '.repeat(width - chars.length);
  return align === 'left' ? text + pad : pad + text;
}
