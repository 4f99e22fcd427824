/**
 * The 100,000-model case (opt-in: `npm run bench -- scale`; --models changes N): a hub of N
 * models all deployed, then as whole commands: the in-sync plan (target ≤ 2 s) beside `stow -R`,
 * `list --type lora --limit 50` (≤ 0.3 s), and the peak resident memory (≤ 300 MB) of plan,
 * status, list and the terminal UI (run in tmux until its first screen shows rows, then `q`).
 * Building the inputs takes a minute or two the first time; they are kept for later runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../core/paths.js';
import { distEntry, type Harness } from './harness.js';
import { deployWorld, undeploy } from './inputs.js';
import { commandExists, numberFlag } from './lib.js';
import { listRow } from './list.js';
import { n, planRow } from './deploy.js';
import { firstScanRows } from './scan.js';

export async function measure(h: Harness): Promise<void> {
  const models = numberFlag('--models') ?? 100_000;
  const parent = h.folder('scale');
  const world = deployWorld(parent, models);
  undeploy(world);
  const applied = h.modelhub([...world.globals, 'apply', '--yes'], { env: world.env });
  h.row({ work: `apply of ${n(models)} new links`, value: applied.seconds, cpu: applied.cpu, unit: 's', note: `one run; peak RSS ${Math.round(applied.peakMB)} MB` });

  if (commandExists('stow')) h.program('stow', ['--no-folding', '-d', world.stowDir, '-t', world.stowTarget, 'pkg']);
  const planPeak = planRow(h, world, models, 2);
  await listRow(h, models, parent);

  const peaks: Array<[string, number]> = [['plan', planPeak]];
  peaks.push(['status', h.modelhub([...world.globals, 'status'], { env: world.env, expect: [0, 2] }).peakMB]);
  peaks.push(['list --type lora --limit 50', h.modelhub([...world.globals, 'list', '--type', 'lora', '--limit', '50'], { env: world.env }).peakMB]);
  peaks.push(['tui (to its first screen)', tuiPeak(world.globals, world.env)]);
  for (const [what, mb] of peaks) h.row({ work: `peak RSS of ${what}, ${n(models)} models`, value: mb, unit: 'MB', goal: { atMost: 300 } });
  await firstScanRows(h, parent, models, { first: 60, rescan: 10 });
}

/** The TUI in a tmux session of its own: wait for rows on screen, press q, read the peak RSS. */
function tuiPeak(globals: string[], env: NodeJS.ProcessEnv): number {
  if (!commandExists('tmux')) return Number.NaN;
  const probe = join(tmpdir(), `modelhub-bench-tui-rss-${process.pid}`);
  rmSync(probe, { force: true });
  const sock = `modelhub-bench-${process.pid}`;
  const tm = (...a: string[]): string => spawnSync('tmux', ['-L', sock, ...a], { encoding: 'utf8' }).stdout ?? '';
  const vars = Object.entries({ ...env, NO_COLOR: '1', MODELHUB_BENCH_RSS: probe }).map(([k, v]) => `${k}=${v ?? ''}`);
  const preload = pathToFileURL(join(packageRoot(), 'bench/peak-rss.mjs')).href;
  const cmd = ['env', ...vars, process.execPath, '--import', preload, distEntry(), '--offline', ...globals, 'tui', '--readonly'].map(shellQuote).join(' ');
  tm('new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', cmd);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !tm('capture-pane', '-p', '-t', 'b').includes('.safetensors')) spawnSync('sleep', ['0.05']);
  tm('send-keys', '-t', 'b', 'q');
  while (Date.now() < deadline && !existsSync(probe)) spawnSync('sleep', ['0.05']);
  tm('kill-server');
  const kb = existsSync(probe) ? Number(readFileSync(probe, 'utf8')) : Number.NaN;
  rmSync(probe, { force: true });
  return kb / 1024;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}
