/**
 * Each view's frame through ink-testing-library: keys are written to the app's stdin and the
 * frames it draws are asserted. The effect runner is a small fake answering with fixed data.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeployOverview } from '../../reconcile/deploy-overview.js';
import type { BrowseRow } from '../../store/browse.js';
import { App, type Runner } from '../../tui/app.js';
import type { Effect, Event } from '../../tui/effects.js';
import { initialState } from '../../tui/state-types.js';
import { paintLine } from '../../tui/views/paint.js';
import { span } from '../../tui/text.js';
import { detailsOf, row } from './builders.js';

const ROWS = [row('alpha.safetensors', { deployed: 2 }), row('beta.safetensors', { type: 'checkpoint', base: 'sd15', size: 6_900_000_000 }), row('gamma.gguf', { type: 'unet', base: 'flux', format: 'gguf', unsafe: true })];

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** Render the app on a cols×rows terminal, with a runner that answers from `answers`. */
function open(rows: BrowseRow[], opts: { size?: { cols: number; rows: number }; readonly?: boolean; answers?: (e: Effect) => Event | undefined } = {}) {
  const asked: Effect[] = [];
  const run: Runner = (effect, dispatch) => {
    asked.push(effect);
    const answer = effect.kind === 'load-rows' ? ({ type: 'rows', rows } as Event) : opts.answers?.(effect);
    if (answer !== undefined) setTimeout(() => dispatch(answer), 0);
  };
  const initial = initialState({ size: opts.size ?? { cols: 100, rows: 24 }, pageSize: 1000, readonly: opts.readonly ?? false, symlinks: true });
  const app = render(<App initial={initial} hub="/hub" run={run} color={false} emphasis={false} />);
  unmount = app.unmount;
  return { ...app, asked };
}

/** Poll the last frame until it satisfies `ok` (bounded: 2 s), then return it. */
async function frameWhere(app: { lastFrame: () => string | undefined }, ok: (frame: string) => boolean): Promise<string> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const f = app.lastFrame() ?? '';
    if (ok(f)) return f;
    if (Date.now() > deadline) throw new Error(`no such frame; the last one was:\n${f}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const has = (text: string) => (f: string) => f.includes(text);
const ESC = '\x1b';

describe('the main view', () => {
  it('draws the title, the column header, the rows, the status and hint lines', async () => {
    const app = open(ROWS);
    const f = await frameWhere(app, has('gamma.gguf'));
    const lines = f.split('\n');
    expect(lines[0]).toContain('ModelHub  /hub  3 models');
    expect(lines[1]).toContain('no filter');
    expect(lines[2]).toMatch(/TYPE +BASE +VARIANT +FORMAT +SIZE +LINKS +FLAGS +NAME/);
    expect(f).toMatch(/checkpoint +sd15 +safetensors +6\.9 GB +- +beta\.safetensors/);
    expect(f).toMatch(/unet +flux +gguf +1\.0 KB +- +unsafe +gamma\.gguf/);
    expect(f).toMatch(/lora +sdxl +safetensors +1\.0 KB +2 +alpha/);
    expect(lines.at(-1)).toContain('Enter/d details');
    expect(lines).toHaveLength(23);
  });

  it('draws only the visible rows of a large inventory', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => row(`m${String(i).padStart(4, '0')}.safetensors`));
    const app = open(many);
    const f = await frameWhere(app, has('m0000'));
    expect(f).toContain('m0017');
    expect(f).not.toContain('m0018');
    expect(f.split('\n')).toHaveLength(23);
    app.stdin.write(`${ESC}[6~`);
    const next = await frameWhere(app, has('m0018'));
    expect(next).not.toContain('m0000');
  });

  it('says so when the terminal is too small', async () => {
    const app = open(ROWS, { size: { cols: 40, rows: 8 } });
    const f = await frameWhere(app, has('too small'));
    expect(f.replace(/\s+/g, ' ')).toContain('(40×8); it needs at least 60×12.');
  });

  it('escapes control characters in file names', async () => {
    const app = open([row('ev\x1b[2J\x07\u202egnp.pt')]);
    const f = await frameWhere(app, has('ev'));
    expect(f).toContain('ev\\e[2J\\x07\\u{202e}gnp.pt');
    expect(f).not.toContain('\x1b[2J');
  });

  it('filters live as you type, and shows the filter', async () => {
    const app = open(ROWS);
    await frameWhere(app, has('gamma'));
    app.stdin.write('/');
    await frameWhere(app, has('/ ▏'));
    app.stdin.write('ga');
    const f = await frameWhere(app, (x) => !x.includes('alpha'));
    expect(f).toContain('/ ga▏');
    expect(f).toContain('3 models (1 shown)');
    app.stdin.write('\r');
    expect(await frameWhere(app, has('filter: /ga'))).toContain('gamma.gguf');
  });

  it('marks rows with a count and total size', async () => {
    const app = open(ROWS);
    await frameWhere(app, has('gamma'));
    app.stdin.write(' ');
    await frameWhere(app, has('1 marked'));
    app.stdin.write(' ');
    const f = await frameWhere(app, has('2 marked (6.9 GB)'));
    expect(f).toMatch(/● lora/);
  });
});

describe('the other views', () => {
  it('opens the details with Enter and goes back with Esc', async () => {
    const app = open(ROWS, { answers: (e) => (e.kind === 'load-details' ? { type: 'details', details: detailsOf(e.hash) } : undefined) });
    await frameWhere(app, has('gamma'));
    app.stdin.write('\r');
    const f = await frameWhere(app, has('source paths (1)'));
    expect(f).toContain('── alpha.safetensors ──');
    expect(f).toContain('/dl/alpha.safetensors');
    app.stdin.write(ESC);
    await frameWhere(app, has('TYPE'));
  });

  it('shows the help of the current view', async () => {
    const app = open(ROWS);
    await frameWhere(app, has('gamma'));
    app.stdin.write('?');
    const f = await frameWhere(app, has('help: models'));
    expect(f).toContain('Space        mark/unmark the row');
    app.stdin.write(`${ESC}[6~`);
    expect(await frameWhere(app, has('X            soft-delete'))).toContain('Ctrl-R       refresh now');
  });

  it('asks before a delete, listing names, sizes and the links apply would remove', async () => {
    const hash = ROWS[0]?.hash as string;
    const plan = { mark: [{ hash, name: 'alpha.safetensors', size: 1000, deleted: false }], already: [], undeploy: [{ hash, target: 'comfy', path: '/apps/loras/alpha.safetensors' }], hard: null };
    const app = open(ROWS, { answers: (e) => (e.kind === 'preview-delete' ? { type: 'delete-preview', plan } : undefined) });
    await frameWhere(app, has('gamma'));
    app.stdin.write('X');
    const f = await frameWhere(app, has('Soft-delete 1 model?'));
    expect(f).toContain('- alpha.safetensors  1.0 KB');
    expect(f).toContain('The next apply removes 1 link:');
    expect(f).toContain('/apps/loras/alpha.safetensors  (comfy)');
    app.stdin.write('n');
    await frameWhere(app, has('Cancelled; nothing was changed.'));
    expect(app.asked.map((e) => e.kind)).not.toContain('delete');
  });

  it('shows the deploy menu: targets with their status, and the plan', async () => {
    const app = open(ROWS, { answers: (e) => (e.kind === 'load-deploy' ? { type: 'deploy', overview: overview() } : undefined) });
    await frameWhere(app, has('gamma'));
    app.stdin.write('D');
    const f = await frameWhere(app, has('ComfyUI (comfy)'));
    expect(f).toMatch(/ComfyUI \(comfy\) +enabled +1 +0 +1 +0 +0/);
    expect(f).toContain('+ loras/alpha.safetensors  → alpha.safetensors');
    expect(f).toContain('Plan: 1 to link, 0 to relink, 0 to remove, 0 conflicts.');
  });

  it('hides the writing keys from the hint line in read-only mode', async () => {
    const app = open(ROWS, { readonly: true });
    const f = await frameWhere(app, has('gamma'));
    expect(f).toContain('[read-only]');
    expect(f.split('\n').at(-1)).not.toContain('X delete');
  });
});

describe('colour', () => {
  it('drops colours without dropping emphasis when colour is off (NO_COLOR, --no-color)', () => {
    const l = [span('ok', 'green'), span(' '), span('conflict', 'red'), span(' '), span('dim', 'dim')];
    expect(paintLine(l, { color: true, emphasis: true })).toBe('\x1b[32mok\x1b[39m \x1b[31mconflict\x1b[39m \x1b[2mdim\x1b[22m');
    expect(paintLine(l, { color: false, emphasis: true })).toBe('ok \x1b[1mconflict\x1b[22m \x1b[2mdim\x1b[22m');
    expect(paintLine(l, { color: false, emphasis: false })).toBe('ok conflict dim');
    expect(paintLine([span('row')], { color: false, emphasis: true }, true)).toBe('\x1b[7mrow\x1b[27m');
  });
});

function overview(): DeployOverview {
  const hash = ROWS[0]?.hash as string;
  const change = { action: 'create' as const, reason: 'declared' as const, target: 'comfy', path: '/apps/loras/alpha.safetensors', relPath: 'loras/alpha.safetensors', model: { hash, name: 'alpha.safetensors' }, linkTarget: '/hub/x', deployment: 'd', expect: { kind: 'absent' as const } };
  const summary = { create: 1, replace: 0, delete: 0, adopt: 0, forget: 0, conflict: 0, inSync: 0, dirs: 0, overrides: 0, files: 0 };
  const plan = {
    formatVersion: 1 as const,
    fingerprint: 'fp',
    options: { target: null, adopt: false },
    targets: [{ name: 'comfy', displayName: 'ComfyUI', root: '/apps', enabled: true, folders: ['loras'], declared: 1, inSync: 0, inSyncPaths: [] }],
    changes: [change],
    conflicts: [],
    dirs: [],
    overrides: [],
    files: [],
    emptyTargets: [],
    unsafe: [],
    ejected: [],
    summary,
  };
  const status = [{ name: 'comfy', displayName: 'ComfyUI', root: '/apps', enabled: true, declared: 1, inSync: 0, missing: 1, drifted: 0, extra: 0, adoptable: 0, conflicts: 0, broken: [], unselected: [], unmapped: [], notes: [] }];
  return { targets: [{ name: 'comfy', displayName: 'ComfyUI', rootAsWritten: '/apps', root: '/apps', enabled: true, mappings: { lora: 'loras' }, file: '/m/t.yaml', line: 1 }], status, plan };
}
