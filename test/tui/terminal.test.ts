/** Taking and giving back the terminal, live refresh, the clipboard and when bare `modelhub` opens the TUI. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { opensTuiByDefault } from '../../cmd/tui-default.js';
import { copyToClipboard, osc52, shellQuote } from '../../tui/clipboard.js';
import { ENTER_SCREEN, LEAVE_SCREEN, takeTerminal } from '../../tui/terminal.js';
import { changeWatch } from '../../tui/watch.js';

function fakeTerminal() {
  const out: string[] = [];
  const proc = new EventEmitter();
  const signals: string[] = [];
  const session = takeTerminal({ out: { write: (s: string) => out.push(s) }, process: proc as never, onSignal: (s) => signals.push(s) });
  return { out, proc, signals, session };
}

describe('the terminal', () => {
  it('enters the alternate screen and leaves it once, whatever the way out', () => {
    const t = fakeTerminal();
    expect(t.out).toEqual([ENTER_SCREEN]);
    t.session.restore();
    t.session.restore();
    t.proc.emit('exit');
    expect(t.out).toEqual([ENTER_SCREEN, LEAVE_SCREEN]);
    expect(t.proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('ends the app on SIGTERM, SIGHUP and SIGINT and remembers which signal it was', () => {
    for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
      const t = fakeTerminal();
      t.proc.emit(sig);
      t.proc.emit('SIGTERM');
      expect(t.signals).toEqual([sig]);
      expect(t.session.signal).toBe(sig);
      t.session.restore();
      expect(t.out.at(-1)).toBe(LEAVE_SCREEN);
    }
  });

  it('restores the screen when the process exits from anywhere else', () => {
    const t = fakeTerminal();
    t.proc.emit('exit');
    expect(t.out).toEqual([ENTER_SCREEN, LEAVE_SCREEN]);
  });
});

describe('live refresh', () => {
  it('calls back when the stamp changes, and when it cannot be read', () => {
    let stamp = 'v1';
    let changes = 0;
    const w = changeWatch(
      () => {
        if (stamp === 'gone') throw new Error('ENOENT');
        return stamp;
      },
      () => changes++,
    );
    w.check();
    expect(changes).toBe(0);
    stamp = 'v2';
    w.check();
    w.check();
    expect(changes).toBe(1);
    stamp = 'gone';
    w.check();
    expect(changes).toBe(2);
  });
});

describe('the clipboard', () => {
  it('writes OSC 52, wrapped for tmux passthrough inside tmux, and says how it copied', async () => {
    expect(osc52('hi', false)).toBe('\x1b]52;c;aGk=\x07');
    expect(osc52('hi', true)).toBe('\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\');
    const out: string[] = [];
    const copied: string[] = [];
    const native = async (t: string) => void copied.push(t);
    expect(await copyToClipboard('x', { write: (s) => out.push(s), env: { TMUX: '/tmp/tmux-0/default,1,0' }, platform: 'linux', native })).toBe('OSC 52');
    expect(out[0]?.startsWith('\x1bPtmux;')).toBe(true);
    expect(await copyToClipboard('x', { write: () => undefined, env: { DISPLAY: ':0' }, platform: 'linux', native })).toBe('OSC 52 and the system clipboard');
    expect(copied).toEqual(['x']);
    const failing = async () => Promise.reject(new Error('xsel: cannot open display'));
    expect(await copyToClipboard('x', { write: () => undefined, env: { DISPLAY: ':0' }, platform: 'linux', native: failing })).toBe('OSC 52');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('bare modelhub', () => {
  const tty = { stdinIsTTY: true, stdoutIsTTY: true };
  it('opens the TUI on a terminal when no command is given, global options allowed', () => {
    expect(opensTuiByDefault([], tty)).toBe(true);
    expect(opensTuiByDefault(['--hub', 'list', '--offline'], tty)).toBe(true);
    expect(opensTuiByDefault(['list'], tty)).toBe(false);
    expect(opensTuiByDefault(['--help'], tty)).toBe(false);
    expect(opensTuiByDefault(['-V'], tty)).toBe(false);
    expect(opensTuiByDefault([], { stdinIsTTY: false, stdoutIsTTY: true })).toBe(false);
    expect(opensTuiByDefault([], { stdinIsTTY: true, stdoutIsTTY: false })).toBe(false);
  });
});

describe('modelhub tui without a terminal', () => {
  it('refuses with a hint, and bare modelhub keeps showing the help', async () => {
    const { cli } = await import('../helpers/cli.js');
    const r = await cli(['tui']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: `modelhub tui` needs a terminal: stdin and stdout must both be one');
    expect(r.stderr).toContain('hint: `modelhub list`');
    const bare = await cli([]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('Usage: modelhub');
    expect(bare.stderr).toContain('tui [options]');
  });
});
