/**
 * The TUI's keymap and state as a pure reducer, without Ink: every key of the table,
 * marks, filters, sort, paging, the views and --readonly. Effects are asserted as the data the
 * reducer asks for.
 */
import { describe, expect, it } from 'vitest';
import type { DeployOverview } from '../../reconcile/deploy-overview.js';
import type { Plan } from '../../reconcile/plan-types.js';
import type { DeletePlan } from '../../store/delete.js';
import { topView } from '../../tui/state-types.js';
import { lineText } from '../../tui/text.js';
import { cursorName, detailsOf, loaded, press, row, send, shown, type } from './builders.js';

const ROWS = [
  row('beta.safetensors', { size: 3000, type: 'checkpoint', base: 'sd15', added: '2025-01-03T00:00:00Z', paths: ['/dl/models/beta.safetensors'] }),
  row('alpha.safetensors', { size: 1000, added: '2025-01-01T00:00:00Z', civitai: true, deployed: 2, tags: ['style'] }),
  row('gamma.gguf', { size: 2000, type: 'unet', base: 'flux', format: 'gguf', added: '2025-01-02T00:00:00Z', unsafe: true, variant: 'q8' }),
];

function emptyPlan(over: Partial<Plan> = {}): Plan {
  const summary = { create: 0, replace: 0, delete: 0, adopt: 0, forget: 0, conflict: 0, inSync: 0, dirs: 0, overrides: 0, files: 0 };
  return { formatVersion: 1, fingerprint: 'fp1', options: { target: null, adopt: false }, targets: [], changes: [], conflicts: [], dirs: [], overrides: [], files: [], emptyTargets: [], unsafe: [], ejected: [], summary, ...over };
}

function withOneLink(plan: Plan): Plan {
  const change = { action: 'create' as const, reason: 'declared' as const, target: 'comfy', path: '/c/loras/a', relPath: 'loras/a', model: { hash: 'ab', name: 'a' }, linkTarget: '/hub/a', deployment: 'd', expect: { kind: 'absent' as const } };
  return { ...plan, changes: [change], summary: { ...plan.summary, create: 1 } };
}

function overview(plan = emptyPlan()): DeployOverview {
  const target = { name: 'comfy', displayName: 'ComfyUI', rootAsWritten: '~/comfy', root: '/home/u/comfy', enabled: false, mappings: { lora: 'loras', checkpoint: 'checkpoints' }, file: '/m/targets.yaml', line: 1 };
  return { targets: [target, { ...target, name: 'forge', displayName: 'Forge', mappings: { unet: 'models/unet' } }], status: [], plan };
}

describe('the list', () => {
  it('asks for the rows first and shows them sorted by name', () => {
    const s = loaded(ROWS);
    expect(shown(s)).toEqual(['alpha.safetensors', 'beta.safetensors', 'gamma.gguf']);
    expect(s.loaded).toBe(true);
  });

  it('moves with ↑/↓ and j/k, jumps to the ends with Home/End and g/G', () => {
    let s = loaded(ROWS);
    s = press(s, 'down');
    expect(cursorName(s)).toBe('beta.safetensors');
    s = press(s, 'j', 'j', 'j');
    expect(cursorName(s)).toBe('gamma.gguf');
    s = press(s, 'k');
    expect(cursorName(s)).toBe('beta.safetensors');
    expect(cursorName(press(s, 'home'))).toBe('alpha.safetensors');
    expect(cursorName(press(s, 'end'))).toBe('gamma.gguf');
    expect(cursorName(press(s, 'G', 'g'))).toBe('alpha.safetensors');
    expect(cursorName(press(s, 'up', 'up', 'up'))).toBe('alpha.safetensors');
  });

  it('jumps a screen with PgUp/PgDn, keeping the cursor in the window', () => {
    const many = Array.from({ length: 100 }, (_, i) => row(`m${String(i).padStart(3, '0')}.safetensors`));
    // 30 rows: 3 header lines, 2 footer lines and a spare leave 24 rows of list.
    let s = press(loaded(many), 'pagedown');
    expect(s.cursor).toBe(24);
    expect(s.top).toBe(24);
    s = press(s, 'pagedown', 'pageup');
    expect(s.cursor).toBe(24);
    expect(press(s, 'pagedown', 'pagedown', 'pagedown', 'pagedown').cursor).toBe(99);
  });

  it('goes to the previous and next page with ←/→, pages of config page_size', () => {
    const many = Array.from({ length: 10 }, (_, i) => row(`m${i}.safetensors`));
    let s = press(loaded(many, { pageSize: 4 }), 'down', 'right');
    expect(s.cursor).toBe(4);
    s = press(s, 'right');
    expect(s.cursor).toBe(8);
    s = press(s, 'right');
    expect(s.cursor).toBe(8);
    expect(s.status?.text).toBe('this is the last page');
    expect(press(s, 'left').cursor).toBe(4);
    expect(press(s, 'left', 'left', 'left').cursor).toBe(0);
  });
});

describe('filters and sort', () => {
  it('/ filters live over name, path, type and base; Enter keeps it; Esc in the list clears it', () => {
    let s = press(loaded(ROWS), '/');
    expect(topView(s).kind).toBe('quick');
    s = type(s, 'ga');
    expect(shown(s)).toEqual(['gamma.gguf']);
    s = press(s, 'backspace', 'backspace');
    expect(shown(s)).toHaveLength(3);
    expect(shown(type(s, 'MODELS'))).toEqual(['beta.safetensors']);
    expect(shown(type(s, 'flux'))).toEqual(['gamma.gguf']);
    expect(shown(type(s, 'checkpoint'))).toEqual(['beta.safetensors']);
    s = press(type(s, 'sd15'), 'enter');
    expect(topView(s).kind).toBe('list');
    expect(shown(s)).toEqual(['beta.safetensors']);
    expect(shown(press(s, 'escape'))).toHaveLength(3);
  });

  it('Esc while typing clears the quick filter; q and h type instead of quitting', () => {
    let s = type(press(loaded(ROWS), '/'), 'qh');
    expect(s.filters.quick).toBe('qh');
    expect(s.pending).toEqual([]);
    s = press(s, 'escape');
    expect(s.filters.quick).toBe('');
    expect(topView(s).kind).toBe('list');
  });

  it('F opens the structured filter form: Tab moves between fields, Space switches choices, Enter applies', () => {
    let s = press(loaded(ROWS), 'F');
    expect(topView(s).kind).toBe('filter');
    s = type(s, '*.safe*');
    s = press(s, 'enter');
    expect(shown(s)).toEqual(['alpha.safetensors', 'beta.safetensors']);
    // type field: tab once
    s = press(s, 'F', 'tab', 'backspace');
    s = type(press(s, 'tab', 'shift-tab'), 'lora');
    expect(shown(press(s, 'enter'))).toEqual(['alpha.safetensors']);
    // deployed: the 7th field, switched with Space
    s = press(loaded(ROWS), 'F', 'tab', 'tab', 'tab', 'tab', 'tab', 'tab', 'space', 'enter');
    expect(shown(s)).toEqual(['alpha.safetensors']);
    s = press(loaded(ROWS), 'F', 'tab', 'tab', 'tab', 'tab', 'tab', 'tab', 'space', 'space', 'enter');
    expect(shown(s)).toEqual(['beta.safetensors', 'gamma.gguf']);
    s = press(loaded(ROWS), 'F', 'up', 'space', 'enter');
    expect(shown(s)).toEqual(['gamma.gguf']);
    s = type(press(loaded(ROWS), 'F', 'tab', 'tab', 'tab', 'tab', 'tab'), 'style');
    expect(shown(press(s, 'enter'))).toEqual(['alpha.safetensors']);
    s = type(press(loaded(ROWS), 'F', 'tab', 'tab', 'tab'), 'q8');
    expect(shown(press(s, 'enter'))).toEqual(['gamma.gguf']);
    s = type(press(loaded(ROWS), 'F', 'tab', 'tab', 'tab', 'tab'), 'GGUF');
    expect(shown(press(s, 'enter'))).toEqual(['gamma.gguf']);
    expect(shown(press(type(press(loaded(ROWS), 'F'), 'x'), 'escape'))).toHaveLength(3);
  });

  it('finds a model by any of its source names: the quick filter and the form\'s name glob', () => {
    const rows = [row('add_detail.safetensors', { filename: 'add_detail_copy.safetensors', paths: ['/dl/add_detail_copy.safetensors', '/comfy/loras/detail-tweaker.safetensors'] }), row('other.safetensors')];
    expect(shown(type(press(loaded(rows), '/'), 'tweaker'))).toEqual(['add_detail.safetensors']);
    expect(shown(press(type(press(loaded(rows), 'F'), 'detail-tweak*'), 'enter'))).toEqual(['add_detail.safetensors']);
    expect(shown(press(type(press(loaded(rows), 'F'), '*_copy*'), 'enter'))).toEqual(['add_detail.safetensors']);
  });

  it('the form starts from the filter in force', () => {
    const s = press(type(press(loaded(ROWS), 'F', 'tab'), 'unet'), 'enter', 'F');
    const v = topView(s);
    expect(v.kind === 'filter' && v.draft.type).toBe('unet');
  });

  it('n toggles the non-CivitAI filter; r resets every filter and the sort', () => {
    let s = press(loaded(ROWS), 'n');
    expect(shown(s)).toEqual(['beta.safetensors', 'gamma.gguf']);
    s = press(s, 'o', '/');
    s = press(type(s, 'a'), 'enter', 'r');
    expect(shown(s)).toEqual(['alpha.safetensors', 'beta.safetensors', 'gamma.gguf']);
    expect(s.filters).toEqual({ quick: '', filter: { selector: {}, deployed: 'any', unsafe: false }, noCivitai: false, sort: 'name' });
    expect(shown(press(s, 'n', 'n'))).toHaveLength(3);
  });

  it('o cycles the sort: name, size, type, date added', () => {
    let s = press(loaded(ROWS), 'o');
    expect(s.filters.sort).toBe('size');
    expect(shown(s)).toEqual(['beta.safetensors', 'gamma.gguf', 'alpha.safetensors']);
    s = press(s, 'o');
    expect(shown(s)).toEqual(['beta.safetensors', 'alpha.safetensors', 'gamma.gguf']);
    s = press(s, 'o');
    expect(s.filters.sort).toBe('date');
    expect(shown(s)).toEqual(['beta.safetensors', 'gamma.gguf', 'alpha.safetensors']);
    expect(press(s, 'o').filters.sort).toBe('name');
  });

  it('keeps the cursor on its model when the rows reload or the filter changes', () => {
    let s = press(loaded(ROWS), 'down');
    s = send(s, { type: 'rows', rows: [row('aaa.safetensors'), ...ROWS] });
    expect(cursorName(s)).toBe('beta.safetensors');
    s = press(s, '/');
    expect(cursorName(type(s, 'bet'))).toBe('beta.safetensors');
  });
});

describe('marks', () => {
  it('Space marks and moves down; actions apply to the marks, or to the row when nothing is marked', () => {
    let s = press(loaded(ROWS), 'space', 'space');
    expect([...s.marks]).toHaveLength(2);
    expect(cursorName(s)).toBe('gamma.gguf');
    s = press(s, 'R');
    expect(s.pending).toEqual([{ kind: 'reclassify', hashes: [ROWS[0]?.hash, ROWS[1]?.hash] }]);
    const one = press(loaded(ROWS), 'down', 'R');
    expect(one.pending).toEqual([{ kind: 'reclassify', hashes: [ROWS[0]?.hash] }]);
    expect(press(loaded(ROWS), 'space', 'up', 'space').marks.size).toBe(0);
  });

  it('forgets marks of models that vanished', () => {
    let s = press(loaded(ROWS), 'space', 'space');
    s = send(s, { type: 'rows', rows: [ROWS[2] as never] });
    expect(s.marks.size).toBe(0);
  });
});

describe('actions', () => {
  it('Enter and d open the details, which fill in when they arrive; Esc goes back', () => {
    let s = press(loaded(ROWS), 'enter');
    const hash = ROWS[1]?.hash as string;
    expect(s.pending).toEqual([{ kind: 'load-details', hash }]);
    expect(topView(s)).toMatchObject({ kind: 'text', role: 'details', hash });
    s = send(s, { type: 'details', details: detailsOf(hash) });
    const v = topView(s);
    expect(v.kind === 'text' && v.lines.map(lineText).some((l) => l.includes('hash') && l.includes(hash))).toBe(true);
    expect(topView(press(s, 'escape')).kind).toBe('list');
    expect(press(loaded(ROWS), 'd').pending).toEqual([{ kind: 'load-details', hash }]);
  });

  it('S asks for a folder (remembered) and scans it in the background, with symlinks as Y says', () => {
    let s = press(loaded(ROWS), 'S');
    expect(topView(s).kind).toBe('prompt');
    s = press(type(s, '/dl/new'), 'enter');
    expect(s.pending).toEqual([{ kind: 'scan', path: '/dl/new', symlinks: true }]);
    expect(s.job?.text).toBe('scanning /dl/new…');
    s = send(s, { type: 'progress', text: 'hashing 1/3' });
    expect(s.job?.text).toBe('hashing 1/3');
    s = send(s, { type: 'done', message: 'Scanned: 3 imported' });
    expect(s.job).toBeNull();
    expect(s.pending).toEqual([{ kind: 'load-rows' }]);
    s = press(s, 'Y', 'S');
    const v = topView(s);
    expect(v.kind === 'prompt' && v.text).toBe('/dl/new');
    expect(press(s, 'enter').pending).toEqual([{ kind: 'scan', path: '/dl/new', symlinks: false }]);
  });

  it('runs one job at a time', () => {
    const s = press(loaded(ROWS), 'R', 'H');
    expect(s.pending).toEqual([]);
    expect(s.status).toEqual({ text: 'busy: reclassifying 1 model…; wait for it to finish', error: true });
  });

  it('X shows what a delete does and deletes only after y; n and Esc cancel', () => {
    let s = press(loaded(ROWS), 'space', 'X');
    const hash = ROWS[1]?.hash as string;
    expect(s.pending).toEqual([{ kind: 'preview-delete', hashes: [hash] }]);
    const plan: DeletePlan = { mark: [{ hash, name: 'alpha.safetensors', size: 1000, deleted: false }], already: [], undeploy: [{ hash, target: 'comfy', path: '/c/loras/alpha.safetensors' }], hard: null };
    s = send(s, { type: 'delete-preview', plan });
    const v = topView(s);
    expect(v.kind).toBe('confirm');
    const text = v.kind === 'confirm' ? v.lines.map(lineText).join('\n') : '';
    expect(text).toContain('alpha.safetensors  1.0 KB');
    expect(text).toContain('/c/loras/alpha.safetensors  (comfy)');
    expect(press(s, 'n').status?.text).toBe('Cancelled; nothing was changed.');
    expect(topView(press(s, 'escape')).kind).toBe('list');
    const yes = press(s, 'y');
    expect(yes.pending).toEqual([{ kind: 'delete', hashes: [hash] }]);
    expect(topView(yes).kind).toBe('list');
  });

  it('H writes hash files for the marked models; e exports to a remembered path', () => {
    expect(press(loaded(ROWS), 'H').pending).toEqual([{ kind: 'hash-files', hashes: [ROWS[1]?.hash] }]);
    let s = press(loaded(ROWS), 'e');
    const v = topView(s);
    expect(v.kind === 'prompt' && v.text).toBe('modelhub-inventory.yaml');
    s = press(type(press(s, 'ctrl-u'), 'inv.json'), 'enter');
    expect(s.pending).toEqual([{ kind: 'export', path: 'inv.json' }]);
    expect(s.exportPath).toBe('inv.json');
  });

  it('a finished job with a report opens it; a failure goes to the status line', () => {
    let s = press(loaded(ROWS), 'R');
    s = send(s, { type: 'done', message: 'Reclassified 1', report: { title: 'reclassify', lines: ['~ alpha: lora/sd15 → lora/sdxl'] } });
    expect(topView(s)).toMatchObject({ kind: 'text', role: 'report', title: 'reclassify' });
    s = press(press(s, 'escape'), 'H');
    s = send(s, { type: 'failed', message: 'the hub is locked by modelhub scan' });
    expect(s.status).toEqual({ text: 'the hub is locked by modelhub scan', error: true });
    expect(s.job).toBeNull();
  });

  it('y copies the store path or the hash; l picks a target for the ln -s command', () => {
    const hash = ROWS[1]?.hash as string;
    let s = press(loaded(ROWS), 'y');
    expect(topView(s).kind).toBe('copy');
    expect(press(s, 's').pending).toEqual([{ kind: 'copy', hash, what: 'path' }]);
    expect(press(s, 'h').pending).toEqual([{ kind: 'copy', hash, what: 'hash' }]);
    s = press(s, 'l');
    expect(s.pending).toEqual([{ kind: 'load-deploy' }]);
    s = send(s, { type: 'deploy', overview: overview() });
    // Only comfy maps loras.
    s = press(s, 'down', 'enter');
    expect(s.pending).toEqual([{ kind: 'copy', hash, what: 'ln', target: 'comfy' }]);
    expect(topView(s).kind).toBe('list');
  });

  it('D shows the targets and the plan, applies it after a confirmation, and adds or removes models through the manifests', () => {
    let s = press(loaded(ROWS), 'D');
    expect(s.pending).toEqual([{ kind: 'load-deploy' }]);
    expect(press(s, 'a').status?.text).toBe('the plan is still loading');
    s = send(s, { type: 'deploy', overview: overview() });
    expect(press(s, 'a').status?.text).toBe('No changes: nothing to apply.');
    const plan = withOneLink(emptyPlan({ fingerprint: 'fp2' }));
    s = send(s, { type: 'deploy', overview: overview(plan) });
    const asked = press(s, 'a');
    expect(topView(asked)).toMatchObject({ kind: 'confirm', question: 'Apply this plan?' });
    expect(press(asked, 'y').pending).toEqual([{ kind: 'apply', fingerprint: 'fp2' }]);
    const alpha = { hash: ROWS[1]?.hash, name: 'alpha.safetensors' };
    expect(press(s, '+').pending).toEqual([{ kind: 'preview-edit', change: { kind: 'deploy', target: 'comfy', models: [alpha] } }]);
    expect(press(s, 'down', '-').pending).toEqual([{ kind: 'preview-edit', change: { kind: 'undeploy', target: 'forge', models: [alpha] } }]);
  });

  it('a manifest edit shows its diff, saves after y, then shows the plan', () => {
    let s = press(loaded(ROWS), 'c');
    s = send(s, { type: 'deploy', overview: overview() });
    s = press(s, 'space');
    expect(s.pending).toEqual([{ kind: 'preview-edit', change: { kind: 'enable', target: 'comfy', enabled: true } }]);
    const plan = { change: { kind: 'enable' as const, target: 'comfy', enabled: true }, edits: [{ file: '/m/targets.yaml', before: 'enabled: false\n', after: 'enabled: true\n' }], refused: [], notes: [] };
    s = send(s, { type: 'edit-preview', plan, diff: ['--- /m/targets.yaml', '+++ /m/targets.yaml', '@@ -1 +1 @@', '-enabled: false', '+enabled: true'] });
    expect(topView(s)).toMatchObject({ kind: 'confirm', question: 'Save /m/targets.yaml?' });
    s = press(s, 'y');
    expect(s.pending).toEqual([{ kind: 'save-edit', plan }]);
    s = send(s, { type: 'done', message: 'Saved /m/targets.yaml' });
    expect(topView(s).kind).toBe('deploy');
    expect(s.pending).toEqual([{ kind: 'load-rows' }, { kind: 'load-deploy' }]);
  });

  it('c r changes a root through a prompt that starts with the root as written', () => {
    let s = send(press(loaded(ROWS), 'c'), { type: 'deploy', overview: overview() });
    s = press(s, 'r');
    const v = topView(s);
    expect(v.kind === 'prompt' && v.text).toBe('~/comfy');
    s = press(type(press(s, 'ctrl-u'), '/srv/comfy'), 'enter');
    expect(s.pending).toEqual([{ kind: 'preview-edit', change: { kind: 'root', target: 'comfy', root: '/srv/comfy' } }]);
  });

  it('an edit that changes nothing says why in the status line', () => {
    const plan = { change: { kind: 'enable' as const, target: 'comfy', enabled: true }, edits: [], refused: [], notes: ['comfy is already enabled'] };
    expect(send(loaded(ROWS), { type: 'edit-preview', plan, diff: [] }).status).toEqual({ text: 'comfy is already enabled', error: false });
  });
});

describe('help, quit, refresh, read-only', () => {
  it('h and ? list every key that works in the current view', () => {
    const s = press(loaded(ROWS), 'h');
    const v = topView(s);
    const text = v.kind === 'text' ? v.lines.map(lineText).join('\n') : '';
    for (const key of ['↑/k', 'PgDn', '←', 'Enter/d', '/', 'F', 'n', 'r', 'o', 'Space', 'S', 'R', 'X', 'H', 'Y', 'D', 'c', 'e', 'y', 'h/?', 'q', 'Ctrl-R']) expect(text).toContain(`  ${key} `);
    const deployHelp = press(send(press(loaded(ROWS), 'D'), { type: 'deploy', overview: overview() }), '?');
    const dv = topView(deployHelp);
    expect(dv.kind === 'text' && dv.lines.map(lineText).join('\n')).toContain('add the marked models');
    expect(topView(press(s, 'escape')).kind).toBe('list');
  });

  it('q and Ctrl-C quit; Ctrl-C also while typing; Ctrl-R refreshes now; a change elsewhere reloads', () => {
    expect(press(loaded(ROWS), 'q').pending).toEqual([{ kind: 'quit' }]);
    expect(press(loaded(ROWS), '/', 'ctrl-c').pending).toEqual([{ kind: 'quit' }]);
    expect(press(loaded(ROWS), 'ctrl-r').pending).toEqual([{ kind: 'load-rows' }]);
    const deploy = send(press(loaded(ROWS), 'D'), { type: 'hub-changed' });
    expect(deploy.pending).toEqual([{ kind: 'load-rows' }, { kind: 'load-deploy' }]);
  });

  it('--readonly refuses every action that writes, and help marks them', () => {
    const ro = loaded(ROWS, { readonly: true });
    for (const key of ['S', 'R', 'X', 'H', 'e']) {
      const s = press(ro, key);
      expect(s.pending).toEqual([]);
      expect(s.status?.error).toBe(true);
      expect(s.status?.text).toMatch(/^read-only \(--readonly\)/);
    }
    const d = send(press(ro, 'D'), { type: 'deploy', overview: overview(withOneLink(emptyPlan())) });
    for (const key of ['a', '+', '-']) expect(press(d, key).pending).toEqual([]);
    const c = send(press(ro, 'c'), { type: 'deploy', overview: overview() });
    for (const key of ['space', 'r']) expect(press(c, key).pending).toEqual([]);
    const help = topView(press(ro, 'h'));
    expect(help.kind === 'text' && help.lines.map(lineText).find((l) => l.includes('  X '))).toContain('(disabled: --readonly)');
    // Reading still works.
    expect(press(ro, 'enter').pending).toHaveLength(1);
    expect(press(ro, 'y', 's').pending).toHaveLength(1);
  });
});
