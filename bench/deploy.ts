/**
 * Deployment benchmark: `apply` of N new links and `plan` of N links in sync, side by side with
 * GNU Stow on the same tree (`stow --no-folding` to install N links, `stow -R` to restow) when
 * `stow` is on PATH (Debian: apt-get install stow); without it the Stow rows say "skipped".
 *
 *   node --import tsx bench/deploy.ts [--models 10000] [--runs 3] [--dir DIR] [--keep]
 *
 * Builds a throw-away hub with N tiny models (rows inserted directly, real store files), a
 * manifest deploying all of them into one folder, then times:
 *   - in-process: `run(['apply','--yes'])` and `run(['plan'])` through the real CLI entry
 *     (no Node startup), plus the phases of the in-sync plan;
 *   - whole command: `node --import tsx cmd/main.ts …` (Node startup and TypeScript transpiling
 *     included; `dist/cmd/main.js` is used instead when built).
 * --dir chooses the filesystem (default: the OS temp folder). Creating an inode (a symlink) is
 * the same kernel work for both tools and on some disks dominates everything; a tmpfs such as
 * /dev/shm shows the tools' own costs.
 * Targets: apply at least 3x faster than Stow; in-sync plan of 10,000 links within 0.3 s.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { run } from '../cmd/program.js';
import { packageRoot } from '../core/paths.js';
import { openHub } from '../store/hub.js';
import { loadDeploymentContext } from '../reconcile/deployment-context.js';
import { gatherInputs } from '../reconcile/gather.js';
import { planReconcile } from '../reconcile/plan.js';

const args = process.argv.slice(2);
const N = Number(flag('--models') ?? 10_000);
const RUNS = Number(flag('--runs') ?? 3);
const KEEP = args.includes('--keep');

const root = mkdtempSync(join(flag('--dir') ?? tmpdir(), 'modelhub-bench-'));
const hubDir = join(root, 'hub');
const manifests = join(root, 'manifests');
const app = join(root, 'app');
const stowDir = join(root, 'stow');
const stowTarget = join(root, 'stow-target');
const env = { ...process.env, XDG_CONFIG_HOME: join(root, 'xdg'), NO_COLOR: '1' };
const base = ['--hub', hubDir, '--manifests', manifests];

const rows: Array<[string, number | null, string]> = [];

try {
  const storeFiles = buildHub();
  const stow = hasStow();
  if (stow) buildStowPackage(storeFiles);
  // Apply and Stow alternate round by round, so both see the same (possibly noisy) machine.
  const applies: number[] = [];
  const installs: number[] = [];
  const floors: number[] = [];
  for (let round = 0; round < RUNS; round++) {
    resetDeployment();
    const runStow = (): void => void (stow && (settle(), installs.push(timeStow(['--no-folding']))));
    if (round % 2 === 1) runStow();
    settle();
    applies.push(await timeCli([...base, 'apply', '--yes']));
    if (round % 2 === 0) runStow();
    settle();
    floors.push(timeBareSymlinks(storeFiles));
  }
  rows.push([`modelhub apply, ${N} new links (in-process, median of ${RUNS})`, median(applies), `min ${fmt(Math.min(...applies))}`]);
  if (stow) rows.push([`stow --no-folding, ${N} new links (median of ${RUNS})`, median(installs), `min ${fmt(Math.min(...installs))}`]);
  rows.push([`floor: ${N} x symlink(2) in a bare loop (median of ${RUNS})`, median(floors), 'kernel cost both tools pay']);
  const plans: number[] = [];
  const restows: number[] = [];
  for (let round = 0; round < RUNS; round++) {
    plans.push(await timeCli([...base, 'plan', '--detailed-exitcode'], 0));
    if (stow) restows.push(timeStow(['--no-folding', '-R']));
  }
  rows.push([`modelhub plan, ${N} in sync (in-process, median of ${RUNS})`, median(plans), `min ${fmt(Math.min(...plans))}`]);
  for (const [phase, ms] of await planPhases()) rows.push([`  ${phase}`, ms, 'phase of the in-sync plan']);
  if (stow) rows.push([`stow --no-folding -R, ${N} in sync (median of ${RUNS})`, median(restows), `min ${fmt(Math.min(...restows))}`]);
  else rows.push(['stow', null, 'skipped: stow is not on PATH (apt-get install stow)']);

  rows.push([`modelhub plan, ${N} in sync (whole command)`, timeCommand([...base, 'plan']), entryLabel()]);
  resetDeployment();
  settle();
  rows.push([`modelhub apply, ${N} new links (whole command)`, timeCommand([...base, 'apply', '--yes']), entryLabel()]);
  printReport();
} finally {
  if (KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}

/** A hub with N models (rows in one transaction, tiny real store files) and a manifest deploying them all. */
function buildHub(): string[] {
  const hub = openHub(hubDir);
  const files: string[] = [];
  const insert = hub.db.prepare('INSERT INTO models (sha256, filename, file_size, format, primary_type, base_model, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)');
  hub.db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const name = `model-${String(i).padStart(6, '0')}.safetensors`;
      const content = `bench model ${i}\n`;
      const sha = createHash('sha256').update(content).digest('hex');
      const file = join(hub.layout.modelsDir, sha, name);
      mkdirSync(join(hub.layout.modelsDir, sha));
      writeFileSync(file, content);
      files.push(file);
      insert.run(sha, name, content.length, 'safetensors', 'lora', 'sdxl', 0.9);
    }
  })();
  hub.close();
  mkdirSync(manifests);
  mkdirSync(app);
  mkdirSync(stowTarget);
  writeFileSync(join(manifests, 'bench.yaml'), `kind: Target\nname: bench\nroot: ${app}\nmappings: { lora: loras }\n---\nkind: Deployment\nname: all\ntarget: bench\nselect: {}\n`);
  return files;
}

/** Time one in-process CLI run (output discarded); fail loudly on an unexpected exit code. */
async function timeCli(argv: string[], expected = 0): Promise<number> {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const t0 = performance.now();
  const code = await run(argv, { stdout: sink, stderr: sink, env, cwd: root, stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: false });
  const ms = performance.now() - t0;
  if (code !== expected) throw new Error(`modelhub ${argv.join(' ')} exited ${code}`);
  return ms;
}

/** The in-sync plan split into its phases: gather (manifests, inventory, desired, observe) and the pure planner. */
async function planPhases(): Promise<Array<[string, number]>> {
  const hub = openHub(hubDir, { readonly: true });
  try {
    const t0 = performance.now();
    const context = await loadDeploymentContext({ hub: hubDir, manifests, rules: [] }, { env, cwd: root });
    const gathered = await gatherInputs({ hub, context, target: null, adopt: false });
    const t1 = performance.now();
    const plan = planReconcile(gathered);
    const t2 = performance.now();
    if (plan.summary.inSync !== N) throw new Error(`expected ${N} links in sync, got ${plan.summary.inSync}`);
    return [
      ['gather: manifests, inventory, desired, observe', t1 - t0],
      ['planReconcile (pure)', t2 - t1],
    ];
  } finally {
    hub.close();
  }
}

/** The kernel's share: the same N links (same texts) made by a bare loop, then removed. */
function timeBareSymlinks(storeFiles: string[]): number {
  const dir = join(root, 'floor', 'loras');
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  for (const f of storeFiles) symlinkSync(f, join(dir, f.slice(f.lastIndexOf('/') + 1)));
  const ms = performance.now() - t0;
  rmSync(join(root, 'floor'), { recursive: true, force: true });
  return ms;
}

/** Flush dirty metadata to disk so one timing does not pay for the previous step's writes. */
function settle(): void {
  spawnSync('sync');
}

/** Remove both deployed trees and ModelHub's records of its links (outside the timings). */
function resetDeployment(): void {
  rmSync(join(app, 'loras'), { recursive: true, force: true });
  rmSync(join(stowTarget, 'loras'), { recursive: true, force: true });
  const hub = openHub(hubDir);
  hub.db.exec('DELETE FROM deploy_links; DELETE FROM deploy_dirs;');
  hub.close();
}

function entryLabel(): string {
  return existsSync(join(packageRoot(), 'dist/cmd/main.js')) ? 'node dist/cmd/main.js' : 'node --import tsx (includes transpiling)';
}

/** Wall time of one whole `modelhub` process. */
function timeCommand(argv: string[]): number {
  const dist = join(packageRoot(), 'dist/cmd/main.js');
  const entry = existsSync(dist) ? [dist] : ['--import', 'tsx', join(packageRoot(), 'cmd/main.ts')];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...entry, ...argv], { cwd: packageRoot(), env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`modelhub ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function hasStow(): boolean {
  return spawnSync('stow', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** The same tree for Stow: package `pkg` holding loras/<name> (each a link to its store file). */
function buildStowPackage(storeFiles: string[]): void {
  const dir = join(stowDir, 'pkg', 'loras');
  mkdirSync(dir, { recursive: true });
  mkdirSync(stowTarget, { recursive: true });
  for (const f of storeFiles) symlinkSync(f, join(dir, f.slice(f.lastIndexOf('/') + 1)));
}

function timeStow(opts: string[]): number {
  const t0 = performance.now();
  const r = spawnSync('stow', [...opts, '-d', stowDir, '-t', stowTarget, 'pkg'], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`stow ${opts.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function printReport(): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nModelHub deploy benchmark: ${N} links in ${root}, node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(2)}\n`);
  for (const [label, ms, note] of rows) console.log(`${label.padEnd(width)}  ${ms === null ? '       -' : fmt(ms).padStart(8)}  ${note}`);
  const find = (start: string, has = ''): number | undefined => rows.find((r) => r[0].startsWith(start) && r[0].includes(has))?.[1] ?? undefined;
  const applyIn = find('modelhub apply', 'in-process') ?? NaN;
  const planIn = find('modelhub plan', 'in-process') ?? NaN;
  const stowInstall = find('stow --no-folding,');
  const stowRestow = find('stow --no-folding -R');
  console.log('');
  console.log(`in-sync plan target (<= 0.3 s for 10,000 links): ${fmt(planIn)}, ${planIn <= 300 * (N / 10_000) ? 'met' : 'NOT met'}`);
  if (stowInstall !== undefined) console.log(`apply vs stow --no-folding: ${(stowInstall / applyIn).toFixed(2)}x (target >= 3x faster)`);
  if (stowRestow !== undefined) console.log(`in-sync plan vs stow -R: ${(stowRestow / planIn).toFixed(2)}x`);
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function median(list: number[]): number {
  const s = [...list].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function flag(name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
