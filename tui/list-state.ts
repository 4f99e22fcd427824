import type { Selector } from '../reconcile/manifest-types.js';
import { matchesSelector } from '../reconcile/select.js';
import type { BrowseRow } from '../store/browse.js';

/**
 * The list's derived state, pure: which rows show (filters), in which order (sort), where the
 * cursor and the window are. The structured filter is a deployment selector, matched by the
 * same code that decides what a Deployment selects, plus three switches of its own.
 */

export type SortKey = 'name' | 'size' | 'type' | 'date';
export const SORT_CYCLE: readonly SortKey[] = ['name', 'size', 'type', 'date'];

export interface StructuredFilter {
  /** name (glob), type, base, variant, format, tag: each a one-value condition. */
  selector: Selector;
  deployed: 'any' | 'deployed' | 'undeployed';
  /** Only models flagged unsafe. */
  unsafe: boolean;
}

export const NO_FILTER: StructuredFilter = { selector: {}, deployed: 'any', unsafe: false };

export interface ListData {
  rows: readonly BrowseRow[];
  /** Lower-cased `name store-file-name path… type base` per row, for the quick filter. */
  haystack: readonly string[];
  /** Row indices in sort order. */
  sorted: readonly number[];
  /** Row indices that pass every filter, in sort order: what the list shows. */
  visible: readonly number[];
}

export interface FilterState {
  quick: string;
  filter: StructuredFilter;
  noCivitai: boolean;
  sort: SortKey;
}

/** The list data for new rows (or a new sort). */
export function buildList(rows: readonly BrowseRow[], f: FilterState): ListData {
  const haystack = rows.map((r) => [r.name, r.filename, ...r.paths, r.type, r.base].join('\n').toLowerCase());
  const sorted = sortRows(rows, f.sort);
  return { rows, haystack, sorted, visible: filterRows({ rows, haystack, sorted }, f) };
}

/** The same rows under other filters (the sort order is kept): one pass, no sorting. */
export function refilter(list: ListData, f: FilterState): ListData {
  return { ...list, visible: filterRows(list, f) };
}

export function resort(list: ListData, f: FilterState): ListData {
  const sorted = sortRows(list.rows, f.sort);
  return { ...list, sorted, visible: filterRows({ ...list, sorted }, f) };
}

function filterRows(list: Pick<ListData, 'rows' | 'haystack' | 'sorted'>, f: FilterState): number[] {
  const needle = f.quick.toLowerCase();
  const sel = f.filter.selector;
  const plain = Object.keys(sel).length === 0;
  return list.sorted.filter((i) => {
    const r = list.rows[i] as BrowseRow;
    if (needle !== '' && !(list.haystack[i] as string).includes(needle)) return false;
    if (f.noCivitai && r.civitai) return false;
    if (f.filter.unsafe && !r.unsafe) return false;
    if (f.filter.deployed === 'deployed' && r.deployed === 0) return false;
    if (f.filter.deployed === 'undeployed' && r.deployed > 0) return false;
    return plain || matchesSelector(sel, r) || (sel.name !== undefined && otherNames(r).some((name) => matchesSelector(sel, { ...r, name })));
  });
}

/** The names a model is also known by: its store file's and its source files' (a name glob finds it by any). */
function otherNames(r: BrowseRow): string[] {
  return [r.filename, ...r.paths.map((p) => p.slice(p.lastIndexOf('/') + 1))].filter((n) => n !== r.name);
}

const byName = (a: BrowseRow, b: BrowseRow): number => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0;
};

/** The orders `list --sort` knows: name; size (largest first); type, base, name; date added (newest first). */
const ORDER: Record<SortKey, (a: BrowseRow, b: BrowseRow) => number> = {
  name: byName,
  size: (a, b) => b.size - a.size || byName(a, b),
  type: (a, b) => a.type.localeCompare(b.type) || a.base.localeCompare(b.base) || byName(a, b),
  date: (a, b) => (a.added < b.added ? 1 : a.added > b.added ? -1 : byName(a, b)),
};

function sortRows(rows: readonly BrowseRow[], key: SortKey): number[] {
  const cmp = ORDER[key];
  return rows.map((_, i) => i).sort((i, j) => cmp(rows[i] as BrowseRow, rows[j] as BrowseRow));
}

/** A cursor kept inside the list, and a window (first row shown) that keeps it in view. */
export function placeCursor(cursor: number, top: number, count: number, height: number): { cursor: number; top: number } {
  const c = Math.max(0, Math.min(cursor, count - 1));
  const h = Math.max(1, height);
  let t = Math.min(top, Math.max(0, count - h));
  if (c < t) t = c;
  if (c >= t + h) t = c - h + 1;
  return { cursor: Math.max(0, c), top: Math.max(0, t) };
}

/** Page n (from 0) of the list under config page_size, and the page count. */
export function pageOf(cursor: number, count: number, pageSize: number): { page: number; pages: number } {
  return { page: Math.floor(Math.max(0, cursor) / pageSize), pages: Math.max(1, Math.ceil(count / pageSize)) };
}

/** Whether any filter is on (the header says so, and `r` resets them). */
export function isFiltered(f: FilterState): boolean {
  return f.quick !== '' || f.noCivitai || f.filter.unsafe || f.filter.deployed !== 'any' || Object.keys(f.filter.selector).length > 0;
}
