import type { Binding } from './keys.js';
import type { View } from './state-types.js';

/**
 * The key tables, one per view. The reducer runs what these say, and the help screen (h or ?)
 * and each view's hint line are generated from them. Keys every view shares (q, Ctrl-C,
 * Ctrl-R, h/?) are in GLOBAL and listed with every view.
 */

const MOVE: Binding[] = [
  { keys: ['up', 'k'], label: '↑/k', does: 'move up', action: 'up' },
  { keys: ['down', 'j'], label: '↓/j', does: 'move down', action: 'down' },
  { keys: ['pageup'], label: 'PgUp', does: 'up a screen', action: 'screen-up' },
  { keys: ['pagedown'], label: 'PgDn', does: 'down a screen', action: 'screen-down' },
  { keys: ['home', 'g'], label: 'Home/g', does: 'first', action: 'first' },
  { keys: ['end', 'G'], label: 'End/G', does: 'last', action: 'last' },
];

export const GLOBAL: Binding[] = [
  { keys: ['q'], label: 'q', does: 'quit', action: 'quit', hint: 'quit' },
  { keys: ['ctrl-c'], label: 'Ctrl-C', does: 'quit (also while typing)', action: 'quit' },
  { keys: ['ctrl-r'], label: 'Ctrl-R', does: 'refresh now (the list also refreshes by itself within 2 s)', action: 'refresh' },
  { keys: ['h', '?'], label: 'h/?', does: 'help: the keys of this view', action: 'help', hint: 'help' },
];

export const LIST: Binding[] = [
  ...MOVE.slice(0, 4),
  { keys: ['left'], label: '←', does: 'previous page (config page_size)', action: 'page-prev' },
  { keys: ['right'], label: '→', does: 'next page', action: 'page-next' },
  ...MOVE.slice(4),
  { keys: ['enter', 'd'], label: 'Enter/d', does: 'details: everything show and explain give', action: 'details', hint: 'details' },
  { keys: ['/'], label: '/', does: 'quick filter over name, path, type and base (live)', action: 'quick-filter', hint: 'filter' },
  { keys: ['escape'], label: 'Esc', does: 'clear the quick filter', action: 'clear-quick' },
  { keys: ['F'], label: 'F', does: 'filter form: name glob, type, base, variant, format, tag, deployed, unsafe', action: 'filter-form', hint: 'form' },
  { keys: ['n'], label: 'n', does: 'toggle the non-CivitAI filter (models CivitAI has no match for)', action: 'toggle-no-civitai' },
  { keys: ['r'], label: 'r', does: 'reset all filters and the sort', action: 'reset' },
  { keys: ['o'], label: 'o', does: 'cycle the sort: name, size, type, date added', action: 'sort', hint: 'sort' },
  { keys: ['space'], label: 'Space', does: 'mark/unmark the row; actions apply to the marks, else to the row', action: 'mark', hint: 'mark' },
  { keys: ['S'], label: 'S', does: 'scan a folder in the background', action: 'scan', writes: true, hint: 'scan' },
  { keys: ['R'], label: 'R', does: 'reclassify (shows before → after)', action: 'reclassify', writes: true },
  { keys: ['X'], label: 'X', does: 'soft-delete, after a confirmation', action: 'delete', writes: true, hint: 'delete' },
  { keys: ['H'], label: 'H', does: 'write .sha256 hash files into the store', action: 'hash-files', writes: true },
  { keys: ['Y'], label: 'Y', does: 'toggle symlink conversion for scans started here', action: 'toggle-symlinks' },
  { keys: ['D'], label: 'D', does: 'deploy menu: targets, the plan, apply, add/remove models', action: 'deploy', hint: 'deploy' },
  { keys: ['c'], label: 'c', does: 'configure targets: enable/disable, change a root', action: 'configure' },
  { keys: ['e'], label: 'e', does: 'export the inventory to a file', action: 'export', writes: true },
  { keys: ['y'], label: 'y', does: 'copy: store path, hash, or an `ln -s` command', action: 'copy' },
];

export const QUICK: Binding[] = [
  { keys: ['enter'], label: 'Enter', does: 'keep the filter, back to the list', action: 'accept', hint: 'keep' },
  { keys: ['escape'], label: 'Esc', does: 'clear the filter, back to the list', action: 'cancel', hint: 'clear' },
  { keys: ['backspace'], label: 'Backspace', does: 'erase a character', action: 'erase' },
];

export const FORM: Binding[] = [
  { keys: ['tab', 'down'], label: 'Tab/↓', does: 'next field', action: 'next', hint: 'next' },
  { keys: ['shift-tab', 'up'], label: 'S-Tab/↑', does: 'previous field', action: 'prev' },
  { keys: ['space'], label: 'Space', does: 'switch a choice field (deployed, unsafe); a space in a text field', action: 'toggle' },
  { keys: ['backspace'], label: 'Backspace', does: 'erase a character', action: 'erase' },
  { keys: ['enter'], label: 'Enter', does: 'apply the filter', action: 'accept', hint: 'apply' },
  { keys: ['escape'], label: 'Esc', does: 'cancel', action: 'cancel', hint: 'cancel' },
];

export const PROMPT: Binding[] = [
  { keys: ['enter'], label: 'Enter', does: 'go', action: 'accept', hint: 'go' },
  { keys: ['escape'], label: 'Esc', does: 'cancel', action: 'cancel', hint: 'cancel' },
  { keys: ['backspace'], label: 'Backspace', does: 'erase a character', action: 'erase' },
  { keys: ['ctrl-u'], label: 'Ctrl-U', does: 'erase the whole line', action: 'erase-all' },
];

export const CONFIRM: Binding[] = [
  { keys: ['y'], label: 'y', does: 'yes, go ahead', action: 'yes', hint: 'yes' },
  { keys: ['n', 'escape'], label: 'n/Esc', does: 'no, change nothing', action: 'no', hint: 'no' },
  ...MOVE.slice(0, 4),
];

export const TEXT: Binding[] = [
  ...MOVE,
  { keys: ['escape'], label: 'Esc', does: 'back', action: 'back', hint: 'back' },
];

export const DETAILS: Binding[] = [...TEXT, { keys: ['y'], label: 'y', does: 'copy: store path, hash, or an `ln -s` command', action: 'copy', hint: 'copy' }];

export const DEPLOY: Binding[] = [
  { keys: ['up', 'k'], label: '↑/k', does: 'previous target', action: 'up' },
  { keys: ['down', 'j'], label: '↓/j', does: 'next target', action: 'down' },
  { keys: ['pageup'], label: 'PgUp', does: 'scroll the plan up', action: 'scroll-up' },
  { keys: ['pagedown'], label: 'PgDn', does: 'scroll the plan down', action: 'scroll-down' },
  { keys: ['a'], label: 'a', does: 'apply the plan (after a confirmation)', action: 'apply', writes: true, hint: 'apply' },
  { keys: ['+'], label: '+', does: 'add the marked models (or the row) to the target: edits the manifests', action: 'add', writes: true, hint: 'add' },
  { keys: ['-'], label: '-', does: 'remove the marked models (or the row) from the target: edits the manifests', action: 'remove', writes: true, hint: 'remove' },
  { keys: ['escape'], label: 'Esc', does: 'back', action: 'back', hint: 'back' },
];

export const CONFIGURE: Binding[] = [
  { keys: ['up', 'k'], label: '↑/k', does: 'previous target', action: 'up' },
  { keys: ['down', 'j'], label: '↓/j', does: 'next target', action: 'down' },
  { keys: ['space', 'enter'], label: 'Space', does: "enable/disable the target: edits its manifest", action: 'toggle', writes: true, hint: 'on/off' },
  { keys: ['r'], label: 'r', does: "change the target's root: edits its manifest", action: 'root', writes: true, hint: 'root' },
  { keys: ['escape'], label: 'Esc', does: 'back', action: 'back', hint: 'back' },
];

export const COPY: Binding[] = [
  { keys: ['s', 'p'], label: 's', does: 'the store path', action: 'path', hint: 'path' },
  { keys: ['h'], label: 'h', does: 'the SHA-256', action: 'hash', hint: 'hash' },
  { keys: ['l'], label: 'l', does: 'the `ln -s STORE LINK` command for a target folder', action: 'ln', hint: 'ln -s' },
  { keys: ['escape'], label: 'Esc', does: 'back', action: 'back', hint: 'back' },
];

export const PICK_TARGET: Binding[] = [
  { keys: ['up', 'k'], label: '↑/k', does: 'previous target', action: 'up' },
  { keys: ['down', 'j'], label: '↓/j', does: 'next target', action: 'down' },
  { keys: ['enter'], label: 'Enter', does: 'copy the command for this target', action: 'accept', hint: 'copy' },
  { keys: ['escape'], label: 'Esc', does: 'back', action: 'back', hint: 'back' },
];

/** The table of a view (GLOBAL comes on top of every table but those of the text-entry views). */
export function tableFor(view: View): Binding[] {
  switch (view.kind) {
    case 'list':
      return LIST;
    case 'quick':
      return QUICK;
    case 'filter':
      return FORM;
    case 'prompt':
      return PROMPT;
    case 'confirm':
      return CONFIRM;
    case 'text':
      return view.role === 'details' ? DETAILS : TEXT;
    case 'deploy':
      return DEPLOY;
    case 'configure':
      return CONFIGURE;
    case 'copy':
      return COPY;
    case 'pick-target':
      return PICK_TARGET;
  }
}

/** Views where printable keys type text: only Ctrl keys of GLOBAL work there. */
export function isTextEntry(view: View): boolean {
  return view.kind === 'quick' || view.kind === 'filter' || view.kind === 'prompt';
}
