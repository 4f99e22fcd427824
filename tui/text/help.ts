import { GLOBAL, isTextEntry, tableFor } from '../bindings.js';
import type { Binding } from '../keys.js';
import type { View } from '../state-types.js';
import { BLANK, line, span, type Line } from '../text.js';

/**
 * The help screen of a view, generated from its key table (and the keys every view shares), so
 * it lists exactly the keys that work there. With --readonly, the writing ones are shown
 * dimmed and marked as disabled.
 */
export function helpLines(view: View, readonly: boolean): Line[] {
  const shared = isTextEntry(view) ? GLOBAL.filter((b) => b.keys.some((k) => k.startsWith('ctrl-'))) : GLOBAL;
  return [line('In this view', 'bold'), ...tableFor(view).map((b) => bindingLine(b, readonly)), BLANK, line('Everywhere', 'bold'), ...shared.map((b) => bindingLine(b, readonly))];
}

function bindingLine(b: Binding, readonly: boolean): Line {
  const off = readonly && b.writes === true;
  return [span(`  ${b.label.padEnd(12)} `, off ? 'dim' : 'cyan'), span(b.does, off ? 'dim' : undefined), ...(off ? [span('  (disabled: --readonly)', 'dim')] : [])];
}

/** A title for a view, as the header shows it. */
export function viewTitle(view: View): string {
  switch (view.kind) {
    case 'list':
      return 'models';
    case 'quick':
      return 'quick filter';
    case 'filter':
      return 'filter';
    case 'prompt':
      return { scan: 'scan', export: 'export', root: 'change a root' }[view.purpose];
    case 'confirm':
    case 'text':
      return view.title;
    case 'deploy':
      return 'deploy';
    case 'configure':
      return 'configure targets';
    case 'copy':
      return 'copy';
    case 'pick-target':
      return 'copy: ln -s into which target?';
  }
}
