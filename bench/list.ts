/**
 * `modelhub list --type lora --limit 50` on a hub of N models, as a whole command, beside its
 * peer: the same indexed query by the sqlite3 command line on the same inventory (a process
 * that opens the database, runs one query and exits), and `node -e ''` (Node's own start).
 * Target (issue 13): ≤ 0.3 s at 10,000 models and at 100,000.
 *   npm run bench -- list [--models 10000] [--runs 5] [--dir DIR]
 */
import { join } from 'node:path';
import { median, spread, type Harness, type Timing } from './harness.js';
import { deployWorld } from './inputs.js';
import { commandExists, numberFlag } from './lib.js';
import { n } from './deploy.js';

export async function measure(h: Harness): Promise<void> {
  await listRow(h, numberFlag('--models') ?? 10_000, h.folder('deploy'));
}

export async function listRow(h: Harness, models: number, parent: string): Promise<void> {
  const world = deployWorld(parent, models);
  const argv = [...world.globals, 'list', '--type', 'lora', '--limit', '50'];
  const sqlite = commandExists('sqlite3');
  const query = "SELECT id, sha256, filename, file_size, primary_type, base_model FROM models WHERE primary_type = 'lora' AND deleted = 0 ORDER BY filename LIMIT 50";
  const times: number[] = [];
  const cpus: number[] = [];
  const peers: Timing[] = [];
  const starts: Timing[] = [];
  let rows = 0;
  for (let round = 0; round < h.runs; round++) {
    const r = h.modelhub(argv, { env: world.env });
    rows = r.stdout.split('\n').filter((l) => l.includes('.safetensors')).length;
    times.push(r.seconds);
    cpus.push(r.cpu);
    if (sqlite) peers.push(h.program('sqlite3', ['-readonly', join(world.hub, 'modelhub.db'), query]));
    starts.push(h.program(process.execPath, ['-e', '']));
  }
  if (rows !== 50) throw new Error(`list printed ${rows} models, expected 50`);
  h.row({
    work: `list --type lora --limit 50, ${n(models)} models`,
    value: median(times),
    unit: 's',
    goal: { atMost: 0.3 },
    samples: times,
    cpu: median(cpus),
    note: `${spread(times, 's')}; node -e '' ${Math.round(median(starts.map((t) => t.seconds)) * 1000)} ms (cpu ${Math.round(median(starts.map((t) => t.cpu)) * 1000)} ms)`,
    ...(sqlite ? { peer: { name: 'sqlite3 (same query)', value: median(peers.map((t) => t.seconds)), cpu: median(peers.map((t) => t.cpu)) } } : {}),
  });
}
