/**
 * A scan killed mid-batch (SIGKILL, no chance to clean up) loses no byte, and the next scan
 * finishes or rolls back every import it journalled. The child runs the real CLI with the
 * test-only MODELHUB_TEST_CRASH_AFTER=N, which kills it right after its N-th filesystem step
 * (a move into the store, or a link back) and before that step is recorded: the worst moment.
 * A batch first moves every file into the store, then makes every link back.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { makeWorld, mhOk, query, type World } from '../helpers/world.js';

const FILES = 30;
let w: World;
/** SHA-256 of each file's bytes, by name, before any scan. */
let digests: Map<string, string>;

beforeEach(async () => {
  w = makeWorld({ hub: true });
  digests = new Map();
  for (let i = 0; i < FILES; i++) {
    const name = `lora-${String(i).padStart(2, '0')}.safetensors`;
    await writeSafetensors(join(w.dl, name), [{ name: 'lora_unet_x.lora_down.weight', shape: [4, 4] }], { metadata: { n: String(i) } });
    digests.set(name, createHash('sha256').update(readFileSync(join(w.dl, name))).digest('hex'));
  }
});

/** Run `modelhub scan` in a child process that kills itself after `steps` filesystem steps. */
function scanAndCrash(steps: number): void {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(packageRoot(), 'cmd/main.ts'), '--offline', '--hub', w.hub, 'scan', '--no-settle', w.dl],
    { cwd: packageRoot(), env: { ...w.env, MODELHUB_TEST_CRASH_AFTER: String(steps) }, encoding: 'utf8', timeout: 60_000 },
  );
  expect(child.signal, child.stderr).toBe('SIGKILL');
}

/** What each downloaded name is now: a link into the store, the original file, or nothing. */
function states(): Record<string, number> {
  const count: Record<string, number> = { link: 0, file: 0, missing: 0 };
  for (const name of digests.keys()) {
    const st = lstatSync(join(w.dl, name), { throwIfNoEntry: false });
    const kind = st === undefined ? 'missing' : st.isSymbolicLink() ? 'link' : 'file';
    count[kind] = (count[kind] ?? 0) + 1;
  }
  return count;
}

/** Every file's bytes are somewhere whole: in the store under its hash, or still in its place. */
function expectNoByteLost(): void {
  for (const [name, digest] of digests) {
    const stored = join(w.hub, 'models', digest, name);
    const there = existsSync(stored) ? stored : join(w.dl, name);
    expect(lstatSync(there).isFile(), `${name} has its bytes nowhere`).toBe(true);
    expect(createHash('sha256').update(readFileSync(there)).digest('hex')).toBe(digest);
  }
}

/** The end state of a finished scan: every name a link to its store file, every source recorded as linked. */
async function expectConverged(): Promise<void> {
  const again = await mhOk(w, ['scan', '--no-settle', w.dl]);
  expect(again.stdout).toContain('Scan (link): 0 imported');
  for (const [name, digest] of digests) expect(readlinkSync(join(w.dl, name))).toBe(join(w.hub, 'models', digest, name));
  expect(query<{ state: string; n: number }>(w, 'SELECT state, COUNT(*) AS n FROM model_sources GROUP BY state')).toEqual([{ state: 'linked', n: FILES }]);
  expect(query<{ n: number }>(w, 'SELECT COUNT(*) AS n FROM models')).toEqual([{ n: FILES }]);
  expect(readdirSync(join(w.hub, 'models')).filter((n) => /^[0-9a-f]{64}$/.test(n))).toHaveLength(FILES);
}

describe('scan killed mid-batch', () => {
  it('after some moves into the store: the next scan links those back and imports the rest', async () => {
    scanAndCrash(10);
    expect(states()).toEqual({ link: 0, file: FILES - 10, missing: 10 });
    expect(query<{ state: string; n: number }>(w, 'SELECT state, COUNT(*) AS n FROM model_sources GROUP BY state')).toEqual([{ state: 'importing', n: FILES }]);
    expectNoByteLost();

    const next = await mhOk(w, ['scan', '--no-settle', w.dl]);
    expect(next.stdout).toContain(`Scan (link): ${FILES - 10} imported`);
    await expectConverged();
  });

  it('after every move and some links back: the next scan finishes the links', async () => {
    scanAndCrash(FILES + 10);
    expect(states()).toEqual({ link: 10, file: 0, missing: FILES - 10 });
    expectNoByteLost();
    await expectConverged();
  });
});
