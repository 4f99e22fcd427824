import { describe, expect, it } from 'vitest';
import { hintLine, keyNames, typedChar, type TerminalKey } from '../../tui/keys.js';
import { LIST } from '../../tui/bindings.js';

const NONE: TerminalKey = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false, return: false, escape: false, tab: false, backspace: false, delete: false, ctrl: false, shift: false, meta: false };

describe('key names', () => {
  it('names the special keys, Ctrl keys and each character of pasted text', () => {
    expect(keyNames('', { ...NONE, upArrow: true })).toEqual(['up']);
    expect(keyNames('', { ...NONE, pageDown: true })).toEqual(['pagedown']);
    expect(keyNames('', { ...NONE, tab: true, shift: true })).toEqual(['shift-tab']);
    // DEL, which most terminals send for Backspace, is Ink's "delete".
    expect(keyNames('', { ...NONE, delete: true })).toEqual(['backspace']);
    expect(keyNames('r', { ...NONE, ctrl: true })).toEqual(['ctrl-r']);
    expect(keyNames('X', { ...NONE, shift: true })).toEqual(['X']);
    expect(keyNames('/a b', NONE)).toEqual(['/', 'a', 'space', 'b']);
    expect(keyNames('e', { ...NONE, meta: true })).toEqual(['escape', 'e']);
    expect(keyNames('', { ...NONE, escape: true, meta: true })).toEqual(['escape']);
    expect(typedChar('space')).toBe(' ');
    expect(typedChar('é')).toBe('é');
    expect(typedChar('pagedown')).toBeUndefined();
  });

  it('builds the hint line from the table, without the writing keys when read-only', () => {
    expect(hintLine(LIST, false)).toContain('X delete');
    expect(hintLine(LIST, true)).not.toContain('X delete');
    expect(hintLine(LIST, true)).toContain('D deploy');
  });
});
