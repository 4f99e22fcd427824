/**
 * Copying to the clipboard from a terminal program: OSC 52 asks the terminal itself to set the
 * clipboard, which works over SSH and, wrapped in tmux's passthrough sequence, inside tmux;
 * the native tool (clipboardy: wl-copy, xsel, pbcopy, …) is used as well where a desktop
 * session is there to serve it. The caller always echoes what was copied.
 */

/** The OSC 52 sequence that sets the clipboard to `text`; inside tmux, wrapped for passthrough. */
export function osc52(text: string, inTmux: boolean): string {
  const seq = `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
  return inTmux ? `\x1bPtmux;${seq.replace(/\x1b/g, '\x1b\x1b')}\x1b\\` : seq;
}

export interface ClipboardOptions {
  /** Writes to the terminal (the OSC 52 sequence goes here). */
  write(text: string): void;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The native clipboard writer (clipboardy's write); absent in tests. */
  native?: (text: string) => Promise<void>;
}

/** Copy `text`; returns how it was copied, in words, for the status line. */
export async function copyToClipboard(text: string, o: ClipboardOptions): Promise<string> {
  o.write(osc52(text, o.env.TMUX !== undefined && o.env.TMUX !== ''));
  const ways = ['OSC 52'];
  if (o.native !== undefined && hasDesktop(o.env, o.platform)) {
    try {
      await o.native(text);
      ways.push('the system clipboard');
    } catch {
      // No clipboard tool or no session to serve it: OSC 52 alone has to do.
    }
  }
  return ways.join(' and ');
}

function hasDesktop(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.WAYLAND_DISPLAY) || Boolean(env.DISPLAY);
}

/** `text` quoted for a POSIX shell: in single quotes, each `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
