import { GLOBAL, isTextEntry, tableFor } from './bindings.js';
import type { Event } from './effects.js';
import { bindingFor, typedChar, type KeyName } from './keys.js';
import { bodyHeight } from './layout.js';
import { buildList } from './list-state.js';
import { formAction, keepRow, listAction, quickAction } from './list-actions.js';
import { currentRow, push, reload, request, say, topView, type State, type View } from './state-types.js';
import { deleteLines, editLines } from './text/confirmations.js';
import { detailsLines } from './text/details.js';
import { helpLines, viewTitle } from './text/help.js';
import { planLines } from './text/plan.js';
import { line } from './text.js';
import { configureAction, confirmAction, copyAction, deployAction, pickTargetAction, promptAction, textAction } from './view-actions.js';

export { initialState, type State, type View } from './state-types.js';

/**
 * The TUI's one reducer: `(state, event) → state`, pure. Keys are looked up in the top view's
 * table (bindings.ts); what needs the hub, the manifests or the terminal is asked for as data in
 * `pending`, which the effect runner carries out and answers with events. Nothing here reads a
 * clock, a file or the database.
 */
export function update(prev: State, event: Event): State {
  const s: State = { ...prev, pending: [] };
  switch (event.type) {
    case 'key':
      return onKey(s, event.key);
    case 'resize': {
      return keepRow({ ...s, size: { cols: event.cols, rows: event.rows } }, currentRow(s)?.hash);
    }
    case 'rows': {
      const hash = currentRow(s)?.hash;
      const live = new Set(event.rows.map((r) => r.hash));
      const marks = new Set([...s.marks].filter((h) => live.has(h)));
      return keepRow({ ...s, list: buildList(event.rows, s.filters), marks, loaded: true }, hash);
    }
    case 'details':
      return {
        ...s,
        views: s.views.map((v) => (v.kind === 'text' && v.role === 'details' && v.hash === event.details.hash ? { ...v, title: event.details.name, lines: detailsLines(event.details) } : v)),
      };
    case 'deploy':
      return { ...s, overview: event.overview, planLines: planLines(event.overview.plan) };
    case 'delete-preview': {
      const plan = event.plan;
      if (plan.mark.length === 0) return say(s, 'already deleted: nothing to do');
      return push(s, { kind: 'confirm', title: 'delete', lines: deleteLines(plan), scroll: 0, question: `Soft-delete ${plan.mark.length} model${plan.mark.length === 1 ? '' : 's'}?`, onYes: { kind: 'delete', hashes: plan.mark.map((m) => m.hash) } });
    }
    case 'edit-preview': {
      const { plan, diff } = event;
      if (plan.edits.length === 0) return say(s, [...plan.refused, ...plan.notes].join('; ') || 'nothing to change', plan.refused.length > 0);
      const files = plan.edits.map((e) => e.file).join(', ');
      return push(s, { kind: 'confirm', title: 'edit the manifests', lines: editLines(plan, diff), scroll: 0, question: `Save ${files}?`, onYes: { kind: 'save-edit', plan } });
    }
    case 'progress':
      return s.job === null ? s : { ...s, job: { ...s.job, text: event.text } };
    case 'done': {
      const kind = s.job?.kind;
      let next = reload(say({ ...s, job: null }, event.message));
      if (event.report !== undefined) next = push(next, { kind: 'text', role: 'report', title: event.report.title, lines: event.report.lines.map((l) => line(l)), scroll: 0 });
      // A manifest edit is followed by the plan it makes.
      if (kind === 'save-edit' && topView(next).kind !== 'deploy') next = push(next, { kind: 'deploy', cursor: 0, scroll: 0 });
      return next;
    }
    case 'failed':
      return say({ ...s, job: null }, event.message, true);
    case 'notice':
      return say(s, event.message);
    case 'hub-changed':
      return reload(s);
  }
}

/** A key: the top view's binding, else a shared one; the status line is cleared by every key. */
function onKey(prev: State, key: KeyName): State {
  const s: State = { ...prev, status: null };
  const view = topView(s);
  const table = tableFor(view);
  if (isTextEntry(view)) {
    const b = table.find((x) => x.keys.includes(key)) ?? (key.startsWith('ctrl-') ? bindingFor(GLOBAL, key) : undefined);
    if (b !== undefined) return b.action === 'quit' || b.action === 'refresh' ? globalAction(s, view, b.action) : viewAction(s, view, b.action);
    const ch = typedChar(key);
    return ch === undefined ? s : viewAction(s, view, 'type', ch);
  }
  const own = bindingFor(table, key);
  const b = own ?? bindingFor(GLOBAL, key);
  if (b === undefined) return s;
  if (b.writes === true && s.readonly) return say(s, `read-only (--readonly): "${b.does}" is disabled`, true);
  return own === undefined ? globalAction(s, view, b.action) : viewAction(s, view, b.action);
}

function globalAction(s: State, view: View, action: string): State {
  switch (action) {
    case 'quit':
      return request(s, { kind: 'quit' });
    case 'refresh':
      return say(reload(s), 'refreshed');
    case 'help':
      return push(s, { kind: 'text', role: 'help', title: `help: ${viewTitle(view)}`, lines: helpLines(view, s.readonly), scroll: 0 });
    default:
      return s;
  }
}

function viewAction(s: State, view: View, action: string, typed?: string): State {
  switch (view.kind) {
    case 'list':
      return listAction(s, action);
    case 'quick':
      return quickAction(s, action, typed);
    case 'filter':
      return formAction(s, view, action, typed);
    case 'prompt':
      return promptAction(s, view, action, typed);
    case 'text':
      return textAction(s, view, action);
    case 'confirm':
      return confirmAction(s, view, action);
    case 'deploy':
      return deployAction(s, view, action);
    case 'configure':
      return configureAction(s, view, action);
    case 'copy':
      return copyAction(s, view, action);
    case 'pick-target':
      return pickTargetAction(s, view, action);
  }
}

/** Rows of the list body on screen now (the views draw exactly this many). */
export function listWindow(s: State): { from: number; to: number } {
  return { from: s.top, to: Math.min(s.list.visible.length, s.top + bodyHeight(s.size)) };
}
