/**
 * Untrusted text made safe for a terminal. File names, metadata values and anything else read
 * from disk or the network may hold control characters (an ANSI escape in a downloaded file's
 * name would otherwise reach the terminal raw: clear the screen, set the title, forge a line)
 * or invisible format characters (a bidi override that shows `exe.safetensors` as
 * `srotnesfas.exe`). Every human interface (the CLI, the TUI) shows such text through here;
 * JSON output stays raw, JSON escapes by itself.
 *
 * The convention: `\t` `\n` `\r`, `\e` for ESC, `\xHH` for the other C0 controls and DEL,
 * `\u{HHHH}` for C1 controls, format characters (bidi controls, zero-width characters, BOM, …),
 * line and paragraph separators and lone surrogates. Ordinary Unicode (CJK, emoji, accents,
 * private-use characters) is left alone, and so is a zero-width joiner inside an emoji sequence.
 * A backslash is not doubled, so the escaped form is printable and escaping it again changes
 * nothing; `--json` shows the exact characters.
 */

/** Characters never shown raw: controls (C0, DEL, C1), format characters, separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** The same, but keeping line layout and the SGR colour codes ModelHub's renderers emit. */
const UNSAFE_OR_LAYOUT = /\x1b\[[0-9;]*m|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1b': '\\e' };
const ZWJ = '\u200d';
const EMOJI_BEFORE = /\p{Extended_Pictographic}[\u{fe0f}\u{1f3fb}-\u{1f3ff}]?$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;

/** `text` with every unsafe character shown as an escape (see the module comment). */
export function escapeForTerminal(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (ch, offset: number) => escapeChar(ch, offset, text));
}

/**
 * The last line of defence for whole output blocks: like escapeForTerminal, but newlines, tabs
 * and SGR colour sequences (`ESC [ digits m`, the only ones ModelHub writes) pass. Untrusted
 * values still go through escapeForTerminal before layout, so that a newline in a name is shown
 * as `\n` and attacker-supplied colour codes never reach this point.
 */
export function escapeTerminalOutput(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_OR_LAYOUT, (ch, offset: number) => (ch.length > 1 || ch === '\n' || ch === '\t' ? ch : escapeChar(ch, offset, text)));
}

/**
 * For text that carries no colour of its own but may span lines (an error message, a hint,
 * both built from untrusted paths): every unsafe character escaped, newlines and tabs kept. A
 * name holding a colour code (`ESC[31m`) is shown escaped, unlike in escapeTerminalOutput.
 */
export function escapeMessage(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (ch, offset: number) => (ch === '\n' || ch === '\t' ? ch : escapeChar(ch, offset, text)));
}

/**
 * `value` with every string (including Map keys and values) passed through escapeForTerminal:
 * what a human renderer is handed, so no field can be forgotten. Numbers, booleans, null and
 * undefined are kept. Copy on write: an object, array, Map or Set with nothing to escape inside
 * is returned as it is (a plan of 10,000 links in sync is read, not copied), one with something
 * to escape is copied, never changed. Treat the result as read-only.
 */
export function forTerminal<T>(value: T): T {
  return escapeDeep(value) as T;
}

function escapeDeep(value: unknown): unknown {
  if (typeof value === 'string') return escapeForTerminal(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return escapeList(value);
  if (value instanceof Map) {
    const entries = [...value];
    const escaped = entries.map(([k, v]) => [escapeDeep(k), escapeDeep(v)] as const);
    return escaped.every(([k, v], i) => k === entries[i]?.[0] && v === entries[i]?.[1]) ? value : new Map(escaped);
  }
  if (value instanceof Set) {
    const items = [...value];
    const escaped = escapeList(items);
    return escaped === items ? value : new Set(escaped);
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(record)) {
    const v = record[k];
    const e = escapeDeep(v);
    if (e !== v) out ??= { ...record };
    if (out !== undefined) out[k] = e;
  }
  return out ?? value;
}

/** The list escaped, or the list itself when no item changed. */
function escapeList(list: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const e = escapeDeep(item);
    if (e !== item) {
      out ??= list.slice(0, i);
      out.push(e);
    } else if (out !== undefined) out.push(item);
  }
  return out ?? list;
}

function escapeChar(ch: string, offset: number, text: string): string {
  if (ch === ZWJ && EMOJI_BEFORE.test(text.slice(Math.max(0, offset - 4), offset)) && EMOJI_AFTER.test(text.slice(offset + 1, offset + 3))) return ch;
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u{${code.toString(16)}}`;
}
