/* @jsxRuntime automatic */
/* @jsxImportSource react */
import type { ReactElement } from 'react';
import { GLOBAL, isTextEntry, tableFor } from '../bindings.js';
import { hintLine } from '../keys.js';
import { pageOf, isFiltered, type FilterState } from '../list-state.js';
import { markSummary } from '../list-actions.js';
import { topView, type State } from '../state-types.js';
import { span, type Line } from '../text.js';
import { LineView } from './paint.js';

/** The title line: the hub, how many models show, the marks, the modes. */
export function TitleLine({ state, hub }: { state: State; hub: string }): ReactElement {
  const total = state.list.rows.length;
  const shown = state.list.visible.length;
  const count = state.loaded ? `${total} model${total === 1 ? '' : 's'}${shown !== total ? ` (${shown} shown)` : ''}` : 'loading…';
  const marks = markSummary(state);
  const line: Line = [
    span('ModelHub', 'bold'),
    span(`  ${hub}  `, 'dim'),
    span(count),
    ...(marks === '' ? [] : [span(`  ${marks}`, 'yellow')]),
    span(`  sort: ${state.filters.sort}  symlinks: ${state.symlinks ? 'on' : 'off'}`, 'dim'),
    ...(state.readonly ? [span('  [read-only]', 'cyan')] : []),
  ];
  return <LineView line={line} />;
}

/** The filter line: the quick filter being typed, or the filters in force and the page. */
export function FilterLine({ state }: { state: State }): ReactElement {
  const view = topView(state);
  const { page, pages } = pageOf(state.cursor, state.list.visible.length, state.pageSize);
  const paging = pages > 1 ? [span(`  page ${page + 1}/${pages}`, 'dim')] : [];
  if (view.kind === 'quick') return <LineView line={[span('/ ', 'cyan'), span(state.filters.quick), span('▏', 'cyan'), ...paging]} />;
  const words = describeFilters(state.filters);
  return <LineView line={[...(words === '' ? [span('no filter', 'dim')] : [span('filter: ', 'dim'), span(words, 'yellow')]), ...paging]} />;
}

/** The filters in force, in words: `/text type=lora deployed non-CivitAI`. */
export function describeFilters(f: FilterState): string {
  if (!isFiltered(f)) return '';
  const parts: string[] = [];
  if (f.quick !== '') parts.push(`/${f.quick}`);
  for (const [k, v] of Object.entries(f.filter.selector)) parts.push(`${k}=${(v as string[]).join(',')}`);
  if (f.filter.deployed !== 'any') parts.push(f.filter.deployed);
  if (f.filter.unsafe) parts.push('unsafe');
  if (f.noCivitai) parts.push('non-CivitAI');
  return parts.join(' ');
}

/** The status line (a running job's progress first) and the hint line of the top view. */
export function Footer({ state }: { state: State }): ReactElement {
  const status: Line =
    state.job !== null
      ? [span('⟳ ', 'yellow'), span(state.job.text, 'yellow')]
      : state.status === null
        ? []
        : [span(state.status.error ? '✗ ' : '✓ ', state.status.error ? 'red' : 'green'), span(state.status.text, state.status.error ? 'red' : undefined)];
  const view = topView(state);
  const table = tableFor(view);
  const help = table.some((b) => b.keys.includes('h')) ? '? help' : 'h/? help';
  const shared = view.kind === 'list' ? hintLine(GLOBAL, state.readonly) : isTextEntry(view) ? '' : help;
  const hints = [hintLine(table, state.readonly), shared].filter((h) => h !== '').join('  ');
  return (
    <>
      <LineView line={status} />
      <LineView line={[span(hints, 'dim')]} />
    </>
  );
}
