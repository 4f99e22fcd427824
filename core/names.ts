/**
 * Names that become paths: an Override's `set.name`, the literal parts of a Deployment's path
 * template, and every path a template renders for a model (whose file name came from disk).
 * These checks are pure; callers turn a reason into a positioned problem or a per-path refusal.
 */

/** The longest file name Linux and macOS file systems take, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 255;

/** Characters that make a name display as something other than what it is. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** C0 controls, DEL and C1 controls; NUL is told apart because it ends a path for the kernel. */
const CONTROLS = /[\u0001-\u001f\u007f-\u009f]/;

/**
 * Why `name` may not be one component of a link path, or undefined when it may. Refused: an
 * empty name, a `/` or `\`, NUL and other control characters, bidirectional-text controls, a
 * leading `.` (hidden files, `.` and `..`), a trailing space or dot (which some file systems
 * drop), and more than 255 UTF-8 bytes. The reason reads after the name: `"x." ends with a dot`.
 */
export function checkLinkName(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.includes('\u0000')) return 'contains a NUL character';
  const control = CONTROLS.exec(name);
  if (control !== null) return `contains a control character (${codePoint(control[0])})`;
  const bidi = BIDI_CONTROLS.exec(name);
  if (bidi !== null) return `contains a bidirectional-text control (${codePoint(bidi[0])}), which makes it display as something else`;
  if (name.includes('/') || name.includes('\\')) return 'contains a / or \\; a name is one file name';
  if (name.startsWith('.')) return 'starts with "." (a hidden name)';
  if (name.endsWith(' ')) return 'ends with a space';
  if (name.endsWith('.')) return 'ends with a dot';
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) return `is longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/**
 * Why the relative link path `path` (components joined by `/`) may not be created, or
 * undefined when it may: every component must pass checkLinkName, and none may be `..`. The
 * reason names the offending component when there are several.
 */
export function checkLinkPath(path: string): string | undefined {
  const parts = path.split('/');
  for (const part of parts) {
    const reason = part === '..' ? 'goes up (..)' : checkLinkName(part);
    if (reason !== undefined) return parts.length === 1 ? reason : `${quoteName(part)} ${reason}`;
  }
  return undefined;
}

/**
 * A name in double quotes, safe to print: control characters and bidirectional-text controls
 * are written as `\uXXXX`, so a message shows what the name holds, not what it pretends.
 */
export function quoteName(name: string): string {
  return JSON.stringify(name).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function codePoint(c: string): string {
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
