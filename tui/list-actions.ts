import type { Selector } from '../reconcile/manifest-types.js';
import { formatBytes } from '../core/human-units.js';
import { bodyHeight } from './layout.js';
import { NO_FILTER, SORT_CYCLE, pageOf, refilter, resort, type FilterState } from './list-state.js';
import { LOADING, currentRow, moveTo, push, pop, replaceTop, request, say, subjects, type FormDraft, type State, type View } from './state-types.js';

/** The list's actions (LIST in bindings.ts). */
export function listAction(s: State, action: string): State {
  const moved = moveAction(s, action);
  if (moved !== undefined) return moved;
  switch (action) {
    case 'details': {
      const row = currentRow(s);
      if (row === undefined) return say(s, 'no model under the cursor');
      return request(push(s, { kind: 'text', role: 'details', title: row.name, lines: LOADING, scroll: 0, hash: row.hash }), { kind: 'load-details', hash: row.hash });
    }
    case 'quick-filter':
      return push(s, { kind: 'quick' });
    case 'clear-quick':
      return withFilters(s, { ...s.filters, quick: '' });
    case 'filter-form':
      return push(s, { kind: 'filter', field: 0, draft: draftOf(s.filters) });
    case 'toggle-no-civitai':
      return say(withFilters(s, { ...s.filters, noCivitai: !s.filters.noCivitai }), s.filters.noCivitai ? 'showing every model' : 'showing only models CivitAI has no match for');
    case 'reset': {
      const reset: FilterState = { quick: '', filter: NO_FILTER, noCivitai: false, sort: 'name' };
      return say(moveTo({ ...s, filters: reset, list: resort(s.list, reset) }, 0), 'filters and sort reset');
    }
    case 'sort': {
      const next = SORT_CYCLE[(SORT_CYCLE.indexOf(s.filters.sort) + 1) % SORT_CYCLE.length] ?? 'name';
      const filters = { ...s.filters, sort: next };
      return say(keepRow({ ...s, filters, list: resort(s.list, filters) }, currentRow(s)?.hash), `sorted by ${next === 'date' ? 'date added' : next}`);
    }
    case 'mark':
      return markRow(s);
    case 'scan':
      return push(s, { kind: 'prompt', purpose: 'scan', label: `Scan a folder (${s.symlinks ? 'symlinks left behind' : 'moved, no symlinks'}):`, text: s.scanPath });
    case 'export':
      return push(s, { kind: 'prompt', purpose: 'export', label: 'Export the inventory to (.json: JSON, else YAML):', text: s.exportPath });
    case 'reclassify':
    case 'hash-files':
    case 'delete':
      return onSubjects(s, action);
    case 'toggle-symlinks':
      return say({ ...s, symlinks: !s.symlinks }, !s.symlinks ? 'scans started here leave symlinks behind' : 'scans started here move files into the store without symlinks');
    case 'deploy':
      return request(push(s, { kind: 'deploy', cursor: 0, scroll: 0 }), { kind: 'load-deploy' });
    case 'configure':
      return request(push(s, { kind: 'configure', cursor: 0 }), { kind: 'load-deploy' });
    case 'copy': {
      const row = currentRow(s);
      return row === undefined ? say(s, 'no model under the cursor') : push(s, { kind: 'copy', hash: row.hash });
    }
    default:
      return s;
  }
}

function onSubjects(s: State, action: 'reclassify' | 'hash-files' | 'delete'): State {
  const rows = subjects(s);
  if (rows.length === 0) return say(s, 'no model under the cursor');
  const hashes = rows.map((r) => r.hash);
  const n = `${rows.length} model${rows.length === 1 ? '' : 's'}`;
  if (action === 'delete') return request(s, { kind: 'preview-delete', hashes });
  if (action === 'reclassify') return request(s, { kind: 'reclassify', hashes }, `reclassifying ${n}…`);
  return request(s, { kind: 'hash-files', hashes }, `writing hash files for ${n}…`);
}

/** Cursor moves: by a row, a screen, a page (config page_size), to the ends. */
function moveAction(s: State, action: string): State | undefined {
  const h = bodyHeight(s.size);
  const { page } = pageOf(s.cursor, s.list.visible.length, s.pageSize);
  switch (action) {
    case 'up':
      return moveTo(s, s.cursor - 1);
    case 'down':
      return moveTo(s, s.cursor + 1);
    case 'screen-up':
      return moveTo({ ...s, top: Math.max(0, s.top - h) }, s.cursor - h);
    case 'screen-down':
      return moveTo({ ...s, top: s.top + h }, s.cursor + h);
    case 'page-prev':
      return moveTo({ ...s, top: Math.max(0, (page - 1) * s.pageSize) }, Math.max(0, page - 1) * s.pageSize);
    case 'page-next': {
      const start = (page + 1) * s.pageSize;
      return start >= s.list.visible.length ? say(s, 'this is the last page') : moveTo({ ...s, top: start }, start);
    }
    case 'first':
      return moveTo(s, 0);
    case 'last':
      return moveTo(s, s.list.visible.length - 1);
    default:
      return undefined;
  }
}

function markRow(s: State): State {
  const row = currentRow(s);
  if (row === undefined) return s;
  const marks = new Set(s.marks);
  if (marks.has(row.hash)) marks.delete(row.hash);
  else marks.add(row.hash);
  return moveTo({ ...s, marks }, s.cursor + 1);
}

/** The marks' count and total size, as the header shows them. */
export function markSummary(s: State): string {
  if (s.marks.size === 0) return '';
  const bytes = s.list.rows.reduce((n, r) => (s.marks.has(r.hash) ? n + r.size : n), 0);
  return `${s.marks.size} marked (${formatBytes(bytes)})`;
}

/** New filters: the rows are filtered again, the cursor stays on its model when it still shows. */
export function withFilters(s: State, filters: FilterState): State {
  return keepRow({ ...s, filters, list: refilter(s.list, filters) }, currentRow(s)?.hash);
}

/** The cursor on the model with this hash if it shows, else at the top. */
export function keepRow(s: State, hash: string | undefined): State {
  const at = hash === undefined ? -1 : s.list.visible.findIndex((i) => s.list.rows[i]?.hash === hash);
  return moveTo(at < 0 ? { ...s, top: 0 } : s, Math.max(0, at));
}

/** The quick filter, live: every key typed filters again. */
export function quickAction(s: State, action: string, typed?: string): State {
  if (typed !== undefined) return withFilters(s, { ...s.filters, quick: s.filters.quick + typed });
  switch (action) {
    case 'erase':
      return withFilters(s, { ...s.filters, quick: [...s.filters.quick].slice(0, -1).join('') });
    case 'accept':
      return pop(s);
    case 'cancel':
      return pop(withFilters(s, { ...s.filters, quick: '' }));
    default:
      return s;
  }
}

/** The filter form's fields, in Tab order. */
export const FORM_FIELDS: ReadonlyArray<{ key: keyof FormDraft; label: string }> = [
  { key: 'name', label: 'name (glob: * and ?)' },
  { key: 'type', label: 'type' },
  { key: 'base', label: 'base' },
  { key: 'variant', label: 'variant' },
  { key: 'format', label: 'format' },
  { key: 'tag', label: 'tag' },
  { key: 'deployed', label: 'deployed' },
  { key: 'unsafe', label: 'only unsafe' },
];

const DEPLOYED_CYCLE: ReadonlyArray<FormDraft['deployed']> = ['any', 'deployed', 'undeployed'];
const SELECTOR_FIELDS = ['name', 'type', 'base', 'variant', 'format', 'tag'] as const;

/** The structured filter form: Tab between fields, type into text fields, Space switches choices. */
export function formAction(s: State, view: Extract<View, { kind: 'filter' }>, action: string, typed?: string): State {
  const field = FORM_FIELDS[view.field]?.key ?? 'name';
  const d = view.draft;
  const edit = (draft: FormDraft): State => replaceTop(s, { ...view, draft });
  const isText = field !== 'deployed' && field !== 'unsafe';
  const text = isText ? (d[field] as string) : '';
  if (typed !== undefined) return isText ? edit({ ...d, [field]: text + typed }) : s;
  switch (action) {
    case 'next':
      return replaceTop(s, { ...view, field: (view.field + 1) % FORM_FIELDS.length });
    case 'prev':
      return replaceTop(s, { ...view, field: (view.field + FORM_FIELDS.length - 1) % FORM_FIELDS.length });
    case 'toggle':
      if (isText) return edit({ ...d, [field]: `${text} ` });
      if (field === 'unsafe') return edit({ ...d, unsafe: !d.unsafe });
      return edit({ ...d, deployed: DEPLOYED_CYCLE[(DEPLOYED_CYCLE.indexOf(d.deployed) + 1) % 3] ?? 'any' });
    case 'erase':
      return isText ? edit({ ...d, [field]: [...text].slice(0, -1).join('') }) : s;
    case 'accept':
      return pop(withFilters(s, { ...s.filters, filter: filterOf(d) }));
    case 'cancel':
      return pop(s);
    default:
      return s;
  }
}

function draftOf(f: FilterState): FormDraft {
  const one = (k: (typeof SELECTOR_FIELDS)[number]): string => f.filter.selector[k]?.[0] ?? '';
  return { name: one('name'), type: one('type'), base: one('base'), variant: one('variant'), format: one('format'), tag: one('tag'), deployed: f.filter.deployed, unsafe: f.filter.unsafe };
}

function filterOf(d: FormDraft): FilterState['filter'] {
  const selector: Selector = {};
  for (const k of SELECTOR_FIELDS) {
    const v = d[k].trim();
    if (v !== '') selector[k] = [k === 'format' ? v.toLowerCase() : v];
  }
  return { selector, deployed: d.deployed, unsafe: d.unsafe };
}
