/**
 * The terminal UI on a large hub: first paint, and the redraw after each quick-filter keystroke.
 * Targets: a 10,000-model hub opens to first paint within 0.5 s; a keystroke redraws within 50 ms.
 *
 *   npm run bench -- tui [--models 10000] [--dir DIR]
 *
 * Builds a throw-away hub with N models (rows inserted directly, each with a source path), then
 * runs the real App (reducer, effect runner, Ink) against an in-memory 120×40 terminal:
 *   - first paint: from opening the hub to the first frame showing rows;
 *   - keystrokes: `/` then 12 characters typed 80 ms apart, each timed from the write to its
 *     stdin to the first frame showing the filter with that character (Ink at 60 frames/s).
 * With tmux on PATH, also the whole command (`node --import tsx cmd/main.ts tui`, Node startup
 * and TypeScript transpiling included) until its first screen with rows.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { render } from 'ink';
import { createElement } from 'react';
import { loadConfig } from '../core/config.js';
import { packageRoot } from '../core/paths.js';
import { loadDeploymentContext } from '../reconcile/deployment-context.js';
import { openHub } from '../store/hub.js';
import { App } from '../tui/app.js';
import { createRunner } from '../tui/runner.js';
import { initialState } from '../tui/state-types.js';
import { benchDir, commandExists, table } from './lib.js';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--models') + 1] ?? 10_000) || 10_000;
const root = benchDir(`tui-${N}`);
const hubDir = join(root, 'hub');
const manifests = join(root, 'manifests');

/** A terminal in memory: Ink writes frames here; `waitFor` resolves on the first frame containing a text. */
class Screen extends EventEmitter {
  readonly isTTY = true;
  columns = 120;
  rows = 40;
  private waiting: { text: string; resolve: (t: number) => void } | undefined;
  write(chunk: string): boolean {
    if (this.waiting !== undefined && chunk.includes(this.waiting.text)) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve(performance.now());
    }
    return true;
  }
  waitFor(text: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame showed ${JSON.stringify(text)} within 20 s`)), 20_000);
      this.waiting = { text, resolve: (t) => (clearTimeout(timer), resolve(t)) };
    });
  }
}

/** A keyboard in memory, read the way Ink reads a TTY (readable events). */
class Keyboard extends EventEmitter {
  readonly isTTY = true;
  private pending: string | null = null;
  type(text: string): void {
    this.pending = text;
    this.emit('readable');
  }
  read(): string | null {
    const t = this.pending;
    this.pending = null;
    return t;
  }
  setRawMode(): void {}
  setEncoding(): void {}
  ref(): void {}
  unref(): void {}
  resume(): void {}
  pause(): void {}
}

function buildHub(): void {
  const hub = openHub(hubDir);
  const insert = hub.db.prepare("INSERT INTO models (sha256, filename, file_size, format, primary_type, base_model, sub_type, confidence) VALUES (?, ?, ?, 'safetensors', ?, ?, ?, 0.9)");
  const source = hub.db.prepare("INSERT INTO model_sources (model_id, path, state) VALUES (?, ?, 'linked')");
  const types = ['lora', 'checkpoint', 'vae', 'unet', 'text_encoder'];
  const bases = ['sdxl', 'sd15', 'flux', 'pony', 'wan'];
  hub.db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const sha = createHash('sha256').update(`tui bench ${i}`).digest('hex');
      const name = `${bases[i % 5]}-style-${String(i).padStart(5, '0')}.safetensors`;
      const id = insert.run(sha, name, 1_000_000 + i, types[i % 5], bases[(i >> 3) % 5], i % 5 === 0 ? 'lora' : null).lastInsertRowid;
      source.run(id, `/downloads/batch-${i % 50}/${name}`);
    }
  })();
  hub.close();
  mkdirSync(manifests, { recursive: true });
}

async function measureInProcess(): Promise<Array<[string, string]>> {
  const screen = new Screen();
  const keyboard = new Keyboard();
  const env = { ...process.env, XDG_CONFIG_HOME: join(root, 'xdg'), NO_COLOR: '1' };
  const painted = screen.waitFor('-style-');
  const t0 = performance.now();
  const hub = openHub(hubDir, { readonly: true });
  const config = loadConfig({ flags: { hub: hubDir, manifests }, env, cwd: root });
  const context = await loadDeploymentContext(config, { env, cwd: root });
  const run = createRunner({ hub, config, context, offline: true, env, cwd: root, now: Date.now, sleep: async () => undefined, lockTimeoutMs: 0, clipboard: { write: () => undefined, platform: process.platform } });
  const initial = initialState({ size: { cols: 120, rows: 40 }, pageSize: config.page_size, readonly: true, symlinks: true });
  const app = render(createElement(App, { initial, hub: hubDir, run, color: false }), { stdout: screen as never, stdin: keyboard as never, exitOnCtrlC: false, patchConsole: false, maxFps: 60 });
  const firstPaint = (await painted) - t0;
  const times: number[] = [];
  const opened = screen.waitFor('/ ▏');
  keyboard.type('/');
  await opened;
  let typed = '';
  for (const ch of 'sdxl-style-0') {
    // A fast typist's pace: Ink draws at most 60 frames a second, so keys closer than that share a frame.
    await new Promise((r) => setTimeout(r, 80));
    typed += ch;
    const shown = screen.waitFor(`/ ${typed}▏`);
    const start = performance.now();
    keyboard.type(ch);
    times.push((await shown) - start);
  }
  if (process.env.BENCH_VERBOSE) console.log(times.map((t) => t.toFixed(1)).join(' '));
  app.unmount();
  hub.close();
  const sorted = [...times].sort((a, b) => a - b);
  return [
    [`first paint, ${N} models (open the hub, read the rows, draw)`, ms(firstPaint)],
    [`quick-filter keystroke → redraw, median of ${times.length}`, ms(sorted[Math.floor(sorted.length / 2)] ?? 0)],
    [`quick-filter keystroke → redraw, slowest`, ms(sorted.at(-1) ?? 0)],
  ];
}

/** The whole command in tmux, until its first screen with rows (Node startup and transpiling included). */
function measureCommand(): [string, string] {
  if (!commandExists('tmux')) return ['whole command in tmux', 'skipped: tmux is not on PATH (apt-get install tmux)'];
  const sock = `modelhub-bench-${process.pid}`;
  const tm = (...a: string[]) => spawnSync('tmux', ['-L', sock, ...a], { encoding: 'utf8' });
  const cmd = `env NO_COLOR=1 XDG_CONFIG_HOME=${join(root, 'xdg')} ${process.execPath} --import tsx cmd/main.ts --offline --hub ${hubDir} --manifests ${manifests} tui --readonly`;
  const t0 = performance.now();
  tm('new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', '-c', packageRoot(), cmd);
  let elapsed = Number.NaN;
  while (performance.now() - t0 < 20_000) {
    if ((tm('capture-pane', '-p', '-t', 'b').stdout ?? '').includes('-style-')) {
      elapsed = performance.now() - t0;
      break;
    }
    spawnSync('sleep', ['0.01']);
  }
  tm('kill-server');
  return [`whole command to first screen (node --import tsx cmd/main.ts tui, in tmux)`, Number.isNaN(elapsed) ? 'did not paint within 20 s' : ms(elapsed)];
}

function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`;
}

rmSync(hubDir, { recursive: true, force: true });
rmSync(manifests, { recursive: true, force: true });
buildHub();
const rows = [...(await measureInProcess()), measureCommand()];
console.log(table(rows.map(([what, time]) => ({ what, time }))));
console.log('targets: first paint ≤ 0.5 s; keystroke redraw ≤ 50 ms');
