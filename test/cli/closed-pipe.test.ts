/**
 * `modelhub list | head`: a reader that goes away ends the program quietly with 141 (128 +
 * SIGPIPE, what the shell reports for `yes | head`), never an EPIPE stack trace. The real CLI
 * runs as a child process on real pipes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { openHub } from '../../store/hub.js';
import { insertModel, saveClassification } from '../../store/inventory.js';
import { run } from '../../cmd/program.js';
import { tempDir } from '../helpers/tmp.js';

const MAIN = join(packageRoot(), 'cmd/main.ts');

/** A hub holding `n` inventory rows (no store files: list and stats only read the inventory). */
function hubWithModels(n: number): string {
  const hub = join(tempDir(), 'hub');
  const h = openHub(hub);
  try {
    h.db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const name = `model-${String(i).padStart(5, '0')}-with-a-longish-file-name.safetensors`;
        const id = insertModel(h.db, { sha256: createHash('sha256').update(name).digest('hex'), filename: name, size: 1000 + i, format: 'safetensors', container: null, unsafe: false, headerError: null });
        saveClassification(h.db, id, { type: 'lora', base: 'sdxl', variant: null, confidence: 0.9, evidence: [] });
      }
    })();
  } finally {
    h.close();
  }
  return hub;
}

const env = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: tempDir(), XDG_CONFIG_HOME: '/nonexistent-modelhub-config', NO_COLOR: '1' });

/** Run the CLI with its stdout a pipe whose reading end is closed before the CLI writes. */
function runIntoClosedPipe(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a closed stdout', () => {
  it('list, stats and --help into a closed pipe end quietly with 141', async () => {
    const hub = hubWithModels(50);
    for (const args of [['--hub', hub, 'list'], ['--hub', hub, 'stats'], ['--help']]) {
      const r = await runIntoClosedPipe(args);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(141);
    }
  }, 60_000);

  it('`modelhub list | head -1` prints one line and no stack trace', () => {
    const hub = hubWithModels(3000);
    const script = `"${process.execPath}" --import tsx "${MAIN}" --hub "${hub}" list | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', script], { env: env(), encoding: 'utf8' });
    expect(r.stdout).toMatch(/^HASH +NAME +TYPE.*\n$/);
    expect(r.stderr).toBe('status=141\n');
  }, 60_000);

  it('in-process: a stream that fails with EPIPE ends the command with 141 and prints nothing on stderr', async () => {
    const hub = hubWithModels(5);
    const stderr: string[] = [];
    const stdout = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const errStream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        stderr.push(chunk.toString());
        cb();
      },
    });
    const code = await run(['--hub', hub, 'list', '--limit', '1', '--page', '1'], { stdout, stderr: errStream, env: env(), cwd: hub });
    // the first write fails after the command has written everything; the next command's write sees it
    const again = await run(['--hub', hub, 'stats'], { stdout, stderr: errStream, env: env(), cwd: hub });
    expect([code, again]).toEqual([141, 141]);
    expect(stderr.join('')).toBe('');
  });
});
