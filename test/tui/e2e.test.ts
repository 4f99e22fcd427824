/**
 * End to end: the real `modelhub tui` in a real pseudo-terminal (tmux, from Debian's packages;
 * .ci/run installs it), on a real hub built in a temp folder. Keys are typed with send-keys and
 * the screen is read with capture-pane, polling for the expected text within a deadline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { makeWorld, mhOk, query, type World } from '../helpers/world.js';
import { writeLora } from '../housekeeping/helpers.js';

const hasTmux = spawnSync('sh', ['-c', 'command -v tmux'], { stdio: 'ignore' }).status === 0;
const SOCKET = `modelhub-e2e-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', 'mh');
}

/** Type keys (tmux key names: Enter, Escape, Space, or literal text). */
function keys(...k: string[]): void {
  tmux('send-keys', '-t', 'mh', ...k);
}

/** Poll the screen until it shows `text` (20 s at most), and return it. */
async function waitFor(text: string | RegExp): Promise<string> {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the screen never showed ${String(text)}; it shows:\n${last}`);
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Start `modelhub tui` on the world's hub in a fresh 110×30 tmux session (CI set, as on CI). */
function start(w: World): void {
  spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', 'mh'], { stdio: 'ignore' });
  const env = { HOME: w.env.HOME, XDG_CONFIG_HOME: w.env.XDG_CONFIG_HOME, NO_COLOR: '1', TERM: 'xterm-256color', PATH: process.env.PATH, CI: 'true' };
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(v ?? '')}`).join(' ');
  const command = `env ${assignments} ${quote(process.execPath)} --import tsx cmd/main.ts --offline --hub ${quote(w.hub)} --manifests ${quote(w.manifests)} tui; echo EXIT:$?; sleep 30`;
  tmux('new-session', '-d', '-s', 'mh', '-x', '110', '-y', '30', '-c', packageRoot(), command);
}

/** A hub with one scanned LoRA. */
async function smallHub(): Promise<World> {
  const w = makeWorld();
  await writeLora(w, 'alpha.safetensors', { seed: 1 });
  await mhOk(w, ['init']);
  await mhOk(w, ['scan', w.dl]);
  return w;
}

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { stdio: 'ignore' });
});

describe.runIf(hasTmux)('modelhub tui in a terminal', () => {
  it('opens, filters, shows details, deletes after a confirmation, shows the deploy menu and quits, restoring the terminal', async () => {
    const w = makeWorld();
    await writeLora(w, 'alpha.safetensors', { seed: 1 });
    await writeLora(w, 'beta.safetensors', { seed: 2 });
    await mhOk(w, ['init']);
    await mhOk(w, ['scan', w.dl]);
    writeFileSync(join(w.manifests, 'mine.yaml'), `kind: Target\nname: comfy\nroot: ${w.apps}\nmappings: { lora: loras }\n---\nkind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\n`);
    await mhOk(w, ['apply', '--yes']);

    start(w);
    await waitFor('2 models');
    expect(screen()).toMatch(/lora +sdxl +lora +safetensors .* 1 +alpha\.safetensors/);

    keys('/', 'beta');
    let s = await waitFor('2 models (1 shown)');
    expect(s).not.toContain('alpha.safetensors');
    keys('Enter');
    await waitFor('filter: /beta');
    keys('Escape');
    await waitFor('no filter');

    // The cursor stayed on beta, the model the filter showed.
    keys('Enter');
    s = await waitFor('source paths (1)');
    expect(s).toContain('── beta.safetensors ──');
    expect(s).toContain(join(w.apps, 'loras', 'beta.safetensors'));
    keys('Escape');
    await waitFor('TYPE');

    keys('g', 'X');
    s = await waitFor('Soft-delete 1 model? [y/N]');
    expect(s).toContain('The next apply removes 1 link:');
    expect(s).toContain(`- ${join(w.apps, 'loras', 'alpha.safetensors')}  (comfy)`);
    keys('y');
    await waitFor('Deleted 1 model');
    await waitFor('1 model ');
    expect(query<{ deleted: number }>(w, "SELECT deleted FROM models WHERE filename = 'alpha.safetensors'")).toEqual([{ deleted: 1 }]);

    keys('D');
    s = await waitFor('Plan: 0 to link, 0 to relink, 1 to remove, 0 conflicts.');
    expect(s).toMatch(/comfy \(comfy\) +enabled +1 +1/);
    expect(s).toContain('- loras/alpha.safetensors  (model-deleted; alpha.safetensors)');
    keys('Escape');
    await waitFor('TYPE');

    keys('q');
    s = await waitFor('EXIT:0');
    expect(s).not.toContain('ModelHub  ');
  }, 120_000);

  it('gives the terminal back on Ctrl-C and on SIGTERM (exit 143)', async () => {
    const w = await smallHub();
    start(w);
    await waitFor('1 model');
    keys('C-c');
    expect(await waitFor('EXIT:0')).not.toContain('ModelHub  ');
    start(w);
    await waitFor('1 model');
    const shell = tmux('display-message', '-p', '-t', 'mh', '#{pane_pid}').trim();
    const node = readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(' ')[0] as string;
    process.kill(Number(node), 'SIGTERM');
    expect(await waitFor('EXIT:143')).not.toContain('ModelHub  ');
  }, 120_000);
});

if (!hasTmux) {
  describe('modelhub tui in a terminal', () => {
    it.skip('needs tmux (the Debian package; .ci/run installs it when missing): not installed here', () => undefined);
  });
}
