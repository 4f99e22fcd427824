import { describe, expect, it } from 'vitest';
import { escapeForTerminal, escapeTerminalOutput, forTerminal, escapeMessage } from '../../core/terminal-text.js';

describe('escapeForTerminal', () => {
  it.each([
    ['a\x1b[2Jb', 'a\\e[2Jb'],
    ['tab\there', 'tab\\there'],
    ['cr\rlf\n', 'cr\\rlf\\n'],
    ['bell\x07 nul-free \x01', 'bell\\x07 nul-free \\x01'],
    ['del\x7f', 'del\\x7f'],
    ['c1\u009b\u0085', 'c1\\u{9b}\\u{85}'],
    ['rlo\u202eexe', 'rlo\\u{202e}exe'],
    ['isolates\u2066\u2069', 'isolates\\u{2066}\\u{2069}'],
    ['zw\u200b\u200c\u200e\u200f', 'zw\\u{200b}\\u{200c}\\u{200e}\\u{200f}'],
    ['\ufeffbom', '\\u{feff}bom'],
    ['line\u2028sep', 'line\\u{2028}sep'],
    ['soft\u00adhyphen', 'soft\\u{ad}hyphen'],
    ['lone\ud800surrogate', 'lone\\u{d800}surrogate'],
    ['a lone joiner\u200dhere', 'a lone joiner\\u{200d}here'],
  ])('shows %j as %j', (raw, shown) => {
    expect(escapeForTerminal(raw)).toBe(shown);
  });

  it('leaves ordinary Unicode alone, emoji sequences with joiners included', () => {
    for (const text of ['日本語の画風.safetensors', 'café crème', 'Ελληνικά', '👨‍👩‍👧 family', '🏳️‍🌈', '👍🏽‍', 'emoji😀', 'back\\slash', '\ue000private']) {
      expect(escapeForTerminal(text)).toBe(text.endsWith('‍') ? `${text.slice(0, -1)}\\u{200d}` : text);
    }
  });

  it('is idempotent: the escaped form is printable', () => {
    const raw = 'x\x1b]0;t\x07\u202e\r\n\u009b';
    const once = escapeForTerminal(raw);
    expect(escapeForTerminal(once)).toBe(once);
    expect(once).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('escapeTerminalOutput', () => {
  it('keeps line layout and colour codes, escapes every other control', () => {
    const block = '\x1b[32mok\x1b[39m\n\tnext\x1b[2J\r\x1b]0;t\x07';
    expect(escapeTerminalOutput(block)).toBe('\x1b[32mok\x1b[39m\n\tnext\\e[2J\\r\\e]0;t\\x07');
  });
});

describe('forTerminal', () => {
  it('escapes every string of a structure, keys of Maps included, and keeps the rest', () => {
    const input = { name: 'a\x1bb', n: 3, ok: true, none: null, list: ['\r', 1], map: new Map([['k\x07', ['v\n']]]), set: new Set(['\u202e']) };
    const out = forTerminal(input);
    expect(out).toEqual({ name: 'a\\eb', n: 3, ok: true, none: null, list: ['\\r', 1], map: new Map([['k\\x07', ['v\\n']]]), set: new Set(['\\u{202e}']) });
    expect(input.name).toBe('a\x1bb');
  });

  it('hands back what needs no escaping as it is and copies only what does', () => {
    const clean = { paths: ['loras/a.safetensors', 'loras/b.safetensors'], nested: { n: 1 } };
    expect(forTerminal(clean)).toBe(clean);
    const mixed = { name: 'x\ny', same: clean, later: 'z\x07' };
    const out = forTerminal(mixed);
    expect(out).toEqual({ name: 'x\\ny', same: clean, later: 'z\\x07' });
    expect(out.same).toBe(clean);
    expect(mixed).toEqual({ name: 'x\ny', same: clean, later: 'z\x07' });
    const list = ['ok', 'b\u202e', 'ok2'];
    expect(forTerminal(list)).toEqual(['ok', 'b\\u{202e}', 'ok2']);
    expect(list[1]).toBe('b\u202e');
  });
});

describe('escapeMessage', () => {
  it('keeps the lines of a message but shows a colour code inside a quoted name escaped', () => {
    expect(escapeMessage('2 conflicts:\n  loras/red\x1b[31mtext.safetensors: unsafe-name\n\tdone')).toBe('2 conflicts:\n  loras/red\\e[31mtext.safetensors: unsafe-name\n\tdone');
    expect(escapeMessage('plain')).toBe('plain');
  });
});
