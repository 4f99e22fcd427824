/**
 * Keys as data. A key is named once (`keyNames` turns what the terminal sent into names), and
 * every view has one table of bindings: the reducer looks actions up in it, and the help screen
 * and the hint line are generated from it, so what is shown is what works.
 */

/** A named key: `up`, `pagedown`, `enter`, `escape`, `tab`, `space`, `ctrl-r`, … or one printable character. */
export type KeyName = string;

/** What Ink reports beside the input text (the subset used here). */
export interface TerminalKey {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  ctrl: boolean;
  shift: boolean;
  meta: boolean;
}

const SPECIAL: Array<[keyof TerminalKey, KeyName]> = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'],
  ['home', 'home'],
  ['end', 'end'],
  ['return', 'enter'],
  ['escape', 'escape'],
  ['backspace', 'backspace'],
  // Most terminals send DEL (0x7f) for the Backspace key; Ink calls that "delete".
  ['delete', 'backspace'],
];

/**
 * The key names one terminal input stands for. Pasted text arrives as one input: it becomes one
 * name per character, so a pasted path types itself into a prompt.
 */
export function keyNames(input: string, key: TerminalKey): KeyName[] {
  if (key.tab) return [key.shift ? 'shift-tab' : 'tab'];
  for (const [flag, name] of SPECIAL) if (key[flag]) return [name];
  if (key.ctrl && input.length === 1) return [`ctrl-${input.toLowerCase()}`];
  // Esc and the next key arriving together read as Meta+key: they are both meant (Esc, then e).
  if (key.meta && input.length === 1) return ['escape', input === ' ' ? 'space' : input];
  return [...input].map((ch) => (ch === ' ' ? 'space' : ch === '\r' || ch === '\n' ? 'enter' : ch));
}

/** The character a key types into a text field, or undefined for keys that type nothing. */
export function typedChar(key: KeyName): string | undefined {
  if (key === 'space') return ' ';
  return [...key].length === 1 && key >= ' ' ? key : undefined;
}

/** One binding: the keys, how help shows them, what they do, and the action the reducer runs. */
export interface Binding<A extends string = string> {
  keys: KeyName[];
  /** How the help screen and the hint line spell the keys, e.g. `↑/k`. */
  label: string;
  does: string;
  action: A;
  /** Changes the hub, the manifests, the target folders or a file: refused with --readonly. */
  writes?: boolean;
  /** A word or two for the one-line hint at the bottom of the view (absent: only in help). */
  hint?: string;
}

/** The action a key runs in a table, if any. */
export function bindingFor<A extends string>(table: ReadonlyArray<Binding<A>>, key: KeyName): Binding<A> | undefined {
  return table.find((b) => b.keys.includes(key));
}

/** The hint line of a view: its hinted bindings, `label does`, writing ones left out when read-only. */
export function hintLine(table: ReadonlyArray<Binding>, readonly: boolean): string {
  return table
    .filter((b) => b.hint !== undefined && !(readonly && b.writes === true))
    .map((b) => `${b.label} ${b.hint}`)
    .join('  ');
}
