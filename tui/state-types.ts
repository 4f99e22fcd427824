import type { DeployOverview } from '../reconcile/deploy-overview.js';
import type { BrowseRow } from '../store/browse.js';
import { JOB_EFFECTS, type Effect } from './effects.js';
import { bodyHeight, type Size } from './layout.js';
import { NO_FILTER, buildList, placeCursor, type FilterState, type ListData } from './list-state.js';
import { line, type Line } from './text.js';

/** The filter form's fields as typed (text fields are one value each; empty: no condition). */
export interface FormDraft {
  name: string;
  type: string;
  base: string;
  variant: string;
  format: string;
  tag: string;
  deployed: 'any' | 'deployed' | 'undeployed';
  unsafe: boolean;
}

/** A screen. The views form a stack: the list at the bottom, Esc pops back. */
export type View =
  | { kind: 'list' }
  | { kind: 'quick' }
  | { kind: 'filter'; field: number; draft: FormDraft }
  | { kind: 'text'; role: 'details' | 'help' | 'report'; title: string; lines: Line[]; scroll: number; hash?: string }
  | { kind: 'confirm'; title: string; lines: Line[]; scroll: number; question: string; onYes: Effect }
  | { kind: 'prompt'; purpose: 'scan' | 'export' | 'root'; label: string; text: string; target?: string }
  | { kind: 'deploy'; cursor: number; scroll: number }
  | { kind: 'configure'; cursor: number }
  | { kind: 'copy'; hash: string }
  | { kind: 'pick-target'; hash: string; cursor: number };

export interface State {
  list: ListData;
  filters: FilterState;
  /** Index into list.visible, and the first visible row on screen. */
  cursor: number;
  top: number;
  /** Marked models, by hash. */
  marks: ReadonlySet<string>;
  views: readonly View[];
  size: Size;
  /** Rows ←/→ jump: config page_size. */
  pageSize: number;
  /** --readonly: every action that writes is refused. */
  readonly: boolean;
  /** Scans started here leave symlinks behind (Y toggles; default config `symlinks`). */
  symlinks: boolean;
  /** The last scan and export paths typed (the prompts start with them). */
  scanPath: string;
  exportPath: string;
  /** The deployment state (targets, status, plan), once loaded; and the plan as lines. */
  overview: DeployOverview | null;
  planLines: Line[];
  /** The background job running, if any: what it is and its progress line. */
  job: { kind: Effect['kind']; text: string } | null;
  status: { text: string; error: boolean } | null;
  /** Whether the first rows have arrived. */
  loaded: boolean;
  /** Effects this step asks for; the runner carries them out. Empty at the start of every step. */
  pending: Effect[];
}

export interface InitOptions {
  size: Size;
  pageSize: number;
  readonly: boolean;
  symlinks: boolean;
}

export function initialState(o: InitOptions): State {
  const filters: FilterState = { quick: '', filter: NO_FILTER, noCivitai: false, sort: 'name' };
  return {
    list: buildList([], filters),
    filters,
    cursor: 0,
    top: 0,
    marks: new Set(),
    views: [{ kind: 'list' }],
    size: o.size,
    pageSize: Math.max(1, o.pageSize),
    readonly: o.readonly,
    symlinks: o.symlinks,
    scanPath: '',
    exportPath: 'modelhub-inventory.yaml',
    overview: null,
    planLines: [],
    job: null,
    status: null,
    loaded: false,
    pending: [{ kind: 'load-rows' }],
  };
}

export function topView(s: State): View {
  return s.views[s.views.length - 1] ?? { kind: 'list' };
}

export function push(s: State, v: View): State {
  return { ...s, views: [...s.views, v] };
}

/** Back one view (the list is never popped). */
export function pop(s: State): State {
  return s.views.length <= 1 ? s : { ...s, views: s.views.slice(0, -1) };
}

export function replaceTop(s: State, v: View): State {
  return { ...s, views: [...s.views.slice(0, -1), v] };
}

export function say(s: State, text: string, error = false): State {
  return { ...s, status: { text, error } };
}

/**
 * Ask for an effect. A background job starts only when none is running (one at a time, so two
 * writers never race inside one TUI); otherwise the status line says what is busy.
 */
export function request(s: State, e: Effect, jobText?: string): State {
  if (!JOB_EFFECTS.has(e.kind)) return { ...s, pending: [...s.pending, e] };
  if (s.job !== null) return say(s, `busy: ${s.job.text}; wait for it to finish`, true);
  return { ...s, pending: [...s.pending, e], job: { kind: e.kind, text: jobText ?? `${e.kind}…` } };
}

/** The rows under the cursor. */
export function currentRow(s: State): BrowseRow | undefined {
  const i = s.list.visible[s.cursor];
  return i === undefined ? undefined : s.list.rows[i];
}

/** What an action applies to: the marked models, or the row under the cursor when nothing is marked. */
export function subjects(s: State): BrowseRow[] {
  if (s.marks.size > 0) return s.list.rows.filter((r) => s.marks.has(r.hash));
  const row = currentRow(s);
  return row === undefined ? [] : [row];
}

/** The cursor at `cursor`, kept inside the list and in view. */
export function moveTo(s: State, cursor: number): State {
  return { ...s, ...placeCursor(cursor, s.top, s.list.visible.length, bodyHeight(s.size)) };
}

/** Reloads after the hub may have changed: the rows, and the deployment state when a view shows it. */
export function reload(s: State): State {
  const deployShown = s.views.some((v) => v.kind === 'deploy' || v.kind === 'configure' || v.kind === 'pick-target');
  return { ...s, pending: [...s.pending, { kind: 'load-rows' }, ...(deployShown ? [{ kind: 'load-deploy' } as Effect] : [])] };
}

export const LOADING: Line[] = [line('Loading…', 'dim')];
