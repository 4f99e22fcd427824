/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Text } from 'ink';
import { memo, type ReactElement } from 'react';
import { formatBytes } from '../../core/human-units.js';
import type { BrowseRow } from '../../store/browse.js';
import { bodyHeight } from '../layout.js';
import type { State } from '../state-types.js';
import { span, type Line } from '../text.js';
import { LineView, fit } from './paint.js';

/** Fixed columns before the name, which takes the rest of the width (a name never misaligns them). */
const COLUMNS = [
  { header: 'TYPE', width: 13 },
  { header: 'BASE', width: 13 },
  { header: 'VARIANT', width: 9 },
  { header: 'FORMAT', width: 12 },
  { header: 'SIZE', width: 9, right: true },
  { header: 'LINKS', width: 6, right: true },
  { header: 'FLAGS', width: 11 },
] as const;

export function ListHeader(): ReactElement {
  const head = `  ${COLUMNS.map((c) => fit(c.header, c.width - 1, 'right' in c ? 'right' : 'left')).join(' ')} NAME`;
  return <LineView line={[span(head, 'bold')]} />;
}

/**
 * The visible window of the list and nothing more: a 10,000-model hub draws as many rows as
 * fit on the screen. The cursor row is shown inverted; a marked row starts with `●`.
 */
export function ListBody({ state }: { state: State }): ReactElement {
  const height = bodyHeight(state.size);
  const { visible, rows } = state.list;
  const lines: ReactElement[] = [];
  for (let i = state.top; i < Math.min(visible.length, state.top + height); i++) {
    const r = rows[visible[i] as number] as BrowseRow;
    lines.push(<Row key={r.hash} row={r} marked={state.marks.has(r.hash)} cursor={i === state.cursor} />);
  }
  if (visible.length === 0) lines.push(<LineView key="empty" line={[span(emptyText(state), 'dim')]} />);
  while (lines.length < height) lines.push(<Text key={`pad${lines.length}`}> </Text>);
  return <>{lines}</>;
}

/** One row; drawn again only when its model, its mark or the cursor on it changes (a keystroke redraws what changed). */
const Row = memo(function Row({ row, marked, cursor }: { row: BrowseRow; marked: boolean; cursor: boolean }): ReactElement {
  return <LineView line={rowLine(row, marked)} inverse={cursor} />;
});

function emptyText(state: State): string {
  if (!state.loaded) return '  Loading the inventory…';
  if (state.list.rows.length === 0) return '  No models yet. Press S to scan a folder (or run `modelhub scan PATH`).';
  return '  No model matches the filters (r resets them).';
}

function rowLine(r: BrowseRow, marked: boolean): Line {
  const cells = [r.type, r.base, r.variant ?? '', r.format, formatBytes(r.size), r.deployed > 0 ? String(r.deployed) : '-', flags(r)];
  const text = COLUMNS.map((c, i) => fit(cells[i] ?? '', c.width - 1, 'right' in c ? 'right' : 'left'));
  return [
    span(marked ? '● ' : '  ', 'yellow'),
    span(`${text[0]} `, r.type === 'unknown' ? 'yellow' : undefined),
    span(`${text.slice(1, 6).join(' ')} `),
    span(`${text[6]} `, r.unsafe ? 'yellow' : 'dim'),
    span(r.name),
  ];
}

/** `unsafe` for a flagged pickle, `civ` when CivitAI knows the file. */
function flags(r: BrowseRow): string {
  return [r.unsafe ? 'unsafe' : '', r.civitai ? 'civ' : ''].filter((x) => x !== '').join(' ');
}
