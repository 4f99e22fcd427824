/**
 * Deploying, as whole commands beside GNU Stow on the same tree in the same run:
 *   - `modelhub apply --yes` of N new links against `stow --no-folding` installing the same N
 *     links (rounds alternate which goes first), and a bare symlink() loop: the kernel's floor;
 *   - `modelhub plan` with the N links in sync against `stow --no-folding -R` (restow).
 * Targets (issue 13): apply ≥ 2.5× faster than Stow; the in-sync plan of 10,000 links ≤ 0.3 s.
 * Without stow on PATH the peer figures are left out (Debian: apt-get install stow).
 *   npm run bench -- deploy [--models 10000] [--runs 5] [--dir DIR]
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, spread, type Harness, type Timing } from './harness.js';
import { deployWorld, LINK_FOLDERS, linkPlan, undeploy, type DeployWorld } from './inputs.js';
import { commandExists, numberFlag } from './lib.js';

export async function measure(h: Harness): Promise<void> {
  const models = numberFlag('--models') ?? 10_000;
  const world = deployWorld(h.folder('deploy'), models);
  const stow = commandExists('stow');
  const stowArgs = ['--no-folding', '-d', world.stowDir, '-t', world.stowTarget, 'pkg'];
  const applies: Timing[] = [];
  const installs: Timing[] = [];
  const floors: number[] = [];
  for (let round = 0; round < h.runs; round++) {
    undeploy(world);
    const runStow = (): void => {
      if (!stow) return;
      h.settle();
      installs.push(h.program('stow', stowArgs));
    };
    if (round % 2 === 1) runStow();
    h.settle();
    applies.push(h.modelhub([...world.globals, 'apply', '--yes'], { env: world.env }));
    if (round % 2 === 0) runStow();
    h.settle();
    floors.push(bareSymlinks(world));
  }
  const wall = (list: Timing[]): number[] => list.map((t) => t.seconds);
  const cpu = (list: Timing[]): number => median(list.map((t) => t.cpu));
  const floor = `bare symlink() loop ${Math.round(median(floors) * 1000)} ms`;
  h.row({ work: `apply of ${n(models)} new links`, value: median(wall(applies)), cpu: cpu(applies), unit: 's', samples: wall(applies), note: `${spread(wall(applies), 's')}; ${floor}`, ...(stow ? { peer: { name: 'stow --no-folding', value: median(wall(installs)), cpu: cpu(installs) } } : {}) });
  if (stow) {
    const ratios = applies.map((a, i) => (installs[i] as Timing).seconds / a.seconds);
    const cpuRatio = cpu(installs) / cpu(applies);
    h.row({ work: `apply of ${n(models)} new links: times faster than Stow`, value: median(ratios), unit: 'x', goal: { atLeast: 2.5 }, samples: ratios, note: `Stow’s wall time / apply’s, per round; in CPU time ${cpuRatio.toFixed(2)}×` });
  }
  planRow(h, world, models, 0.3);
}

/** The in-sync plan, `runs` times, each beside `stow -R` on the same tree; returns plan's peak RSS. */
export function planRow(h: Harness, world: DeployWorld, models: number, goal: number): number {
  const stow = commandExists('stow');
  const plans: Timing[] = [];
  const restows: Timing[] = [];
  let peak = 0;
  for (let round = 0; round < h.runs; round++) {
    // exit 0 with --detailed-exitcode: nothing to do, every link in sync
    const r = h.modelhub([...world.globals, 'plan', '--detailed-exitcode'], { env: world.env });
    plans.push(r);
    peak = Math.max(peak, r.peakMB);
    if (stow) restows.push(h.program('stow', ['-R', '--no-folding', '-d', world.stowDir, '-t', world.stowTarget, 'pkg']));
  }
  const wall = plans.map((t) => t.seconds);
  h.row({
    work: `plan with ${n(models)} links in sync`,
    value: median(wall),
    cpu: median(plans.map((t) => t.cpu)),
    unit: 's',
    goal: { atMost: goal },
    samples: wall,
    note: spread(wall, 's'),
    ...(stow ? { peer: { name: 'stow -R', value: median(restows.map((t) => t.seconds)), cpu: median(restows.map((t) => t.cpu)) } } : {}),
  });
  return peak;
}

/** The kernel's share: the same links (same texts, same folders) made by a bare loop, then removed. */
function bareSymlinks(world: DeployWorld): number {
  const into = join(world.root, 'floor');
  for (const folder of LINK_FOLDERS) mkdirSync(join(into, folder), { recursive: true });
  const links = linkPlan(world, into);
  const t0 = performance.now();
  for (const [target, link] of links) symlinkSync(target, link);
  const seconds = (performance.now() - t0) / 1000;
  rmSync(into, { recursive: true, force: true });
  return seconds;
}

export function n(count: number): string {
  return count.toLocaleString('en-US');
}
