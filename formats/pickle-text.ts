/**
 * Decoders for the arguments of pickle's protocol-0 text opcodes (INT, LONG, STRING, UNICODE),
 * which old checkpoints still contain. They return undefined for malformed text.
 */

/** INT / LONG: decimal text, `01`/`00` meaning True/False for INT, an optional trailing `L` for LONG. */
export function parseTextInt(text: string): bigint | boolean | undefined {
  if (text === '01') return true;
  if (text === '00') return false;
  const digits = text.endsWith('L') ? text.slice(0, -1) : text;
  return /^[+-]?\d+$/.test(digits) ? BigInt(digits) : undefined;
}

/** STRING: a Python 2 `repr` of a byte string (quoted, backslash escapes), decoded as latin-1. */
export function parseQuotedString(line: Buffer): string | undefined {
  const text = line.toString('latin1');
  const quote = text[0];
  if (text.length < 2 || (quote !== "'" && quote !== '"') || text[text.length - 1] !== quote) return undefined;
  const body = text.slice(1, -1);
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, esc: string) => {
    if (esc.startsWith('x')) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8) & 0xff);
    return simple[esc] ?? `\\${esc}`;
  });
}

/** UNICODE: raw-unicode-escape text: latin-1 bytes with `\uXXXX` / `\UXXXXXXXX` escapes. */
export function parseRawUnicode(line: Buffer): string {
  return line.toString('latin1').replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (whole, u4?: string, u8?: string) => {
    const code = parseInt(u4 ?? u8 ?? '', 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
