import { Text } from 'ink';
import { createContext, useContext, type ReactElement } from 'react';
import type { Line, Style } from '../text.js';

/** Whether colours may be used (off with NO_COLOR or --no-color); bold, dim and inverse stay. */
export const ColorContext = createContext(true);

export interface TextStyleProps {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
  inverse?: boolean;
}

const COLORS: Partial<Record<Style, string>> = { red: 'red', green: 'green', yellow: 'yellow', cyan: 'cyan' };

/** Ink text props for a style; without colour, colours are dropped and emphasis stays. */
export function styleProps(style: Style | undefined, color: boolean): TextStyleProps {
  if (style === undefined) return {};
  if (style === 'bold') return { bold: true };
  if (style === 'dim') return { dimColor: true };
  if (style === 'inverse') return { inverse: true };
  return color ? { color: COLORS[style] as string } : style === 'red' ? { bold: true } : {};
}

/** One line of spans, cut at the screen's edge (never wrapped, so the layout keeps its height). */
export function LineView({ line, inverse }: { line: Line; inverse?: boolean }): ReactElement {
  const color = useContext(ColorContext);
  return (
    <Text wrap="truncate-end" inverse={inverse === true}>
      {line.length === 0 ? ' ' : line.map((s, i) => (s.style === undefined ? s.text : <Text key={i} {...styleProps(s.style, color)}>{s.text}</Text>))}
    </Text>
  );
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
