/**
 * Real processes racing for one hub lock. Every round starts from a lock left by a process
 * that died (an old-format lock file naming a pid that cannot exist), then all racers try at
 * the same moment; a racer that gets the lock claims a marker file with O_EXCL, so two holders
 * at once cannot go unnoticed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelHubError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { acquireLock } from '../../store/lock.js';
import { tempDir } from '../helpers/tmp.js';

const CHILD = join(packageRoot(), 'test/store/lock-child.ts');
/** Above Linux's largest pid (2^22): never a live process. */
const DEAD_PID = 2 ** 22 + 17;

interface Racer {
  child: ChildProcessWithoutNullStreams;
  lines: Interface;
  next(): Promise<string>;
}

const racers: Racer[] = [];
afterEach(() => {
  for (const r of racers.splice(0)) r.child.kill('SIGKILL');
});

function startRacer(file: string, marker: string, holdMs: number): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, marker, String(holdMs)], { cwd: packageRoot(), stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (err: Error) => void }> = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  lines.on('line', (line) => {
    const w = waiting.shift();
    if (w) w.resolve(line);
    else queue.push(line);
  });
  child.once('exit', (code, signal) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`racer exited (${code ?? signal}): ${stderr}`));
  });
  const racer: Racer = {
    child,
    lines,
    next: () =>
      new Promise((resolve, reject) => {
        const q = queue.shift();
        if (q !== undefined) resolve(q);
        else waiting.push({ resolve, reject });
      }),
  };
  racers.push(racer);
  return racer;
}

describe('hub lock under real concurrency', () => {
  it('never has two holders at once, even while taking over a lock whose holder died', { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 'modelhub.lock');
    const marker = join(dir, 'holder-marker');
    const all = Array.from({ length: 4 }, () => startRacer(file, marker, 15));
    const outcomes: string[] = [];
    for (let round = 0; round < 60; round++) {
      if (round % 2 === 0) writeFileSync(file, `${JSON.stringify({ pid: DEAD_PID, host: hostname(), since: '2020-01-01T00:00:00Z', command: 'modelhub scan' })}\n`);
      // Exclusion is the promise; who wins is not. Racers that collide can all back off at once
      // (each saw another's claim), so a round is retried, a bounded number of times, until one holds.
      let answers: string[] = [];
      for (let attempt = 0; attempt < 20 && !answers.includes('held'); attempt++) {
        for (const r of all) r.child.stdin.write('go\n');
        answers = await Promise.all(all.map((r) => r.next()));
        expect(answers.filter((a) => a !== 'held' && a !== 'busy'), `round ${round}: ${answers.join(', ')}`).toEqual([]);
        outcomes.push(...answers);
      }
      expect(answers, `round ${round}: someone gets the lock within 20 tries`).toContain('held');
    }
    expect(outcomes.filter((a) => a === 'busy').length, 'the racers really contended').toBeGreaterThan(60);
  });

  it('frees itself when its holder is killed (SIGKILL: no chance to clean up)', async () => {
    const dir = tempDir();
    const file = join(dir, 'modelhub.lock');
    const holder = startRacer(file, join(dir, 'marker'), 0);
    holder.child.stdin.write('hold\n');
    expect(await holder.next()).toBe(`holding ${holder.child.pid}`);
    const err = await acquireLock(file, 'modelhub gc').then(
      () => undefined,
      (e: unknown) => e as ModelHubError,
    );
    expect(err?.message).toMatch(new RegExp(`^the hub is locked by modelhub scan \\(pid ${holder.child.pid} on `));
    const exited = new Promise((resolve) => holder.child.once('exit', resolve));
    holder.child.kill('SIGKILL');
    await exited;
    const lock = await acquireLock(file, 'modelhub gc');
    expect(lock.info.pid).toBe(process.pid);
    lock.release();
  });

  it('a waiter in the same process that gives up leaves the holder\'s lock in force', async () => {
    const dir = tempDir();
    const file = join(dir, 'modelhub.lock');
    const held = await acquireLock(file, 'modelhub apply');
    await expect(acquireLock(file, 'modelhub scan')).rejects.toThrow(/locked by modelhub apply/);
    const other = startRacer(file, join(dir, 'marker'), 0);
    other.child.stdin.write('go\n');
    expect(await other.next(), 'another process still finds the lock held').toBe('busy');
    held.release();
    other.child.stdin.write('go\n');
    expect(await other.next()).toBe('held');
  });
});
