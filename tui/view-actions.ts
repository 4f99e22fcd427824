import { hasChanges } from '../reconcile/plan.js';
import type { TargetInfo } from '../reconcile/deploy-overview.js';
import { JOB_EFFECTS } from './effects.js';
import { bodyHeight } from './layout.js';
import { pop, push, replaceTop, request, say, subjects, type State, type View } from './state-types.js';

type Of<K extends View['kind']> = Extract<View, { kind: K }>;

/** Scrolling a view of lines (details, help, reports, confirmations). */
export function scrolled(scroll: number, lines: number, height: number, action: string): number | undefined {
  const max = Math.max(0, lines - height);
  const by: Record<string, number> = { up: -1, down: 1, 'screen-up': -height, 'screen-down': height, first: -Infinity, last: Infinity };
  const delta = by[action];
  return delta === undefined ? undefined : Math.max(0, Math.min(max, scroll + delta));
}

export function textAction(s: State, view: Of<'text'>, action: string): State {
  const scroll = scrolled(view.scroll, view.lines.length, bodyHeight(s.size), action);
  if (scroll !== undefined) return replaceTop(s, { ...view, scroll });
  if (action === 'back') return pop(s);
  if (action === 'copy' && view.hash !== undefined) return push(s, { kind: 'copy', hash: view.hash });
  return s;
}

/** A confirmation: `y` runs what it asked about, `n`/Esc changes nothing. */
export function confirmAction(s: State, view: Of<'confirm'>, action: string): State {
  const scroll = scrolled(view.scroll, view.lines.length, bodyHeight(s.size) - 2, action);
  if (scroll !== undefined) return replaceTop(s, { ...view, scroll });
  if (action === 'no') return say(pop(s), 'Cancelled; nothing was changed.');
  if (action !== 'yes') return s;
  const e = view.onYes;
  if (!JOB_EFFECTS.has(e.kind)) return request(pop(s), e);
  // Another job is running: the question stays open.
  if (s.job !== null) return say(s, `busy: ${s.job.text}; wait for it to finish`, true);
  return request(pop(s), e, jobText(e.kind));
}

function jobText(kind: string): string {
  return { delete: 'deleting…', apply: 'applying the plan…', 'save-edit': 'saving the manifests…' }[kind] ?? `${kind}…`;
}

/** A one-line prompt: the scan folder, the export file, a target's new root. */
export function promptAction(s: State, view: Of<'prompt'>, action: string, typed?: string): State {
  if (typed !== undefined) return replaceTop(s, { ...view, text: view.text + typed });
  switch (action) {
    case 'erase':
      return replaceTop(s, { ...view, text: [...view.text].slice(0, -1).join('') });
    case 'erase-all':
      return replaceTop(s, { ...view, text: '' });
    case 'cancel':
      return pop(s);
    case 'accept':
      return submit(s, view);
    default:
      return s;
  }
}

function submit(s: State, view: Of<'prompt'>): State {
  const text = view.text.trim();
  if (text === '') return say(s, 'type a path first (Esc cancels)', true);
  const back = pop(s);
  switch (view.purpose) {
    case 'scan':
      return request({ ...back, scanPath: text }, { kind: 'scan', path: text, symlinks: s.symlinks }, `scanning ${text}…`);
    case 'export':
      return request({ ...back, exportPath: text }, { kind: 'export', path: text }, `exporting to ${text}…`);
    case 'root':
      return request(back, { kind: 'preview-edit', change: { kind: 'root', target: view.target ?? '', root: text } });
  }
}

function targets(s: State): TargetInfo[] {
  return s.overview?.targets ?? [];
}

function clampCursor(cursor: number, n: number): number {
  return Math.max(0, Math.min(cursor, n - 1));
}

/** The deploy menu: pick a target, scroll the plan, apply it, add or remove models. */
export function deployAction(s: State, view: Of<'deploy'>, action: string): State {
  const list = targets(s);
  const planHeight = Math.max(1, bodyHeight(s.size) - list.length - 2);
  switch (action) {
    case 'up':
    case 'down':
      return replaceTop(s, { ...view, cursor: clampCursor(view.cursor + (action === 'up' ? -1 : 1), list.length) });
    case 'scroll-up':
    case 'scroll-down':
      return replaceTop(s, { ...view, scroll: scrolled(view.scroll, s.planLines.length, planHeight, action === 'scroll-up' ? 'screen-up' : 'screen-down') ?? 0 });
    case 'apply': {
      if (s.overview === null) return say(s, 'the plan is still loading');
      if (!hasChanges(s.overview.plan)) return say(s, 'No changes: nothing to apply.');
      return push(s, { kind: 'confirm', title: 'apply', lines: s.planLines, scroll: 0, question: 'Apply this plan?', onYes: { kind: 'apply', fingerprint: s.overview.plan.fingerprint } });
    }
    case 'add':
    case 'remove': {
      const t = list[view.cursor];
      const rows = subjects(s);
      if (t === undefined) return say(s, 'no target in the manifests (c configures them; `modelhub init` copies examples)', true);
      if (rows.length === 0) return say(s, 'mark models in the list first (Space)', true);
      const models = rows.map((r) => ({ hash: r.hash, name: r.name }));
      return request(s, { kind: 'preview-edit', change: { kind: action === 'add' ? 'deploy' : 'undeploy', target: t.name, models } });
    }
    case 'back':
      return pop(s);
    default:
      return s;
  }
}

/** Configure targets: enable or disable one, change its root; each edits the Target's manifest. */
export function configureAction(s: State, view: Of<'configure'>, action: string): State {
  const list = targets(s);
  const t = list[view.cursor];
  switch (action) {
    case 'up':
    case 'down':
      return replaceTop(s, { ...view, cursor: clampCursor(view.cursor + (action === 'up' ? -1 : 1), list.length) });
    case 'toggle':
      return t === undefined ? s : request(s, { kind: 'preview-edit', change: { kind: 'enable', target: t.name, enabled: !t.enabled } });
    case 'root':
      return t === undefined ? s : push(s, { kind: 'prompt', purpose: 'root', label: `New root for ${t.name} (as written in ${t.file}):`, text: t.rootAsWritten, target: t.name });
    case 'back':
      return pop(s);
    default:
      return s;
  }
}

/** The targets an `ln -s` command can be made for: those mapping the model's type. */
export function linkTargets(s: State, hash: string): TargetInfo[] {
  const row = s.list.rows.find((r) => r.hash === hash);
  return row === undefined ? [] : targets(s).filter((t) => row.type in t.mappings);
}

export function copyAction(s: State, view: Of<'copy'>, action: string): State {
  switch (action) {
    case 'path':
    case 'hash':
      return request(pop(s), { kind: 'copy', hash: view.hash, what: action });
    case 'ln':
      return request(push(s, { kind: 'pick-target', hash: view.hash, cursor: 0 }), { kind: 'load-deploy' });
    case 'back':
      return pop(s);
    default:
      return s;
  }
}

export function pickTargetAction(s: State, view: Of<'pick-target'>, action: string): State {
  const list = linkTargets(s, view.hash);
  switch (action) {
    case 'up':
    case 'down':
      return replaceTop(s, { ...view, cursor: clampCursor(view.cursor + (action === 'up' ? -1 : 1), list.length) });
    case 'accept': {
      const t = list[view.cursor];
      if (t === undefined) return say(s, 'no target maps this model type', true);
      return request(pop(pop(s)), { kind: 'copy', hash: view.hash, what: 'ln', target: t.name });
    }
    case 'back':
      return pop(s);
    default:
      return s;
  }
}
