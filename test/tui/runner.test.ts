/**
 * The TUI's effect runner on a real hub in a temp folder: each effect goes through the same
 * domain functions as the commands and answers with events; failures are events, never throws.
 */
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { loadDeploymentContext } from '../../reconcile/deployment-context.js';
import { inventoryVersion } from '../../store/browse.js';
import { openHub, type Hub } from '../../store/hub.js';
import { acquireLock } from '../../store/lock.js';
import type { Effect, Event } from '../../tui/effects.js';
import { createRunner } from '../../tui/runner.js';
import { mhOk, reusableWorld, type World } from '../helpers/world.js';
import { writeLora } from '../housekeeping/helpers.js';

const TARGET = (apps: string) => `kind: Target
name: comfy
root: ${apps}
mappings: { lora: loras }
`;

interface Opened {
  w: World;
  hub: Hub;
  terminal: string[];
  run(effect: Effect): Promise<Event[]>;
}

/** A hub with two scanned LoRAs and a target (built once, copied back for each test). */
const scannedTwo = reusableWorld(async (w) => {
  await writeLora(w, 'a.safetensors', { seed: 1 });
  await writeLora(w, 'b.safetensors', { seed: 2 });
  await mhOk(w, ['init']);
  await mhOk(w, ['scan', w.dl]);
  writeFileSync(join(w.manifests, 'mine.yaml'), TARGET(w.apps));
  return {};
});

/** The hub of scannedTwo, and a runner over it. */
async function open(): Promise<Opened> {
  const { w } = await scannedTwo();
  const hub = openHub(w.hub, { create: false });
  const config = loadConfig({ flags: { hub: w.hub, manifests: w.manifests }, env: w.env, cwd: w.root });
  const terminal: string[] = [];
  const runner = createRunner({
    hub,
    config,
    context: await loadDeploymentContext(config, { env: w.env, cwd: w.root }),
    offline: true,
    env: { ...w.env, TMUX: '' },
    cwd: w.root,
    now: () => Date.now() + 3_600_000,
    sleep: async () => undefined,
    lockTimeoutMs: 0,
    clipboard: { write: (s) => terminal.push(s), platform: 'linux' },
  });
  const run = (effect: Effect): Promise<Event[]> =>
    new Promise((resolve) => {
      const seen: Event[] = [];
      runner(effect, (e) => {
        seen.push(e);
        if (e.type !== 'progress' && e.type !== 'hub-changed') resolve(seen);
      });
    });
  return { w, hub, terminal, run };
}

const last = (events: Event[]): Event => events[events.length - 1] as Event;

describe('the effect runner', () => {
  it('loads the rows, the details and the deployment state', async () => {
    const o = await open();
    try {
      const rows = last(await o.run({ kind: 'load-rows' }));
      expect(rows.type === 'rows' && rows.rows.map((r) => [r.name, r.type, r.deployed])).toEqual([
        ['a.safetensors', 'lora', 0],
        ['b.safetensors', 'lora', 0],
      ]);
      const hash = rows.type === 'rows' ? (rows.rows[0]?.hash as string) : '';
      const d = last(await o.run({ kind: 'load-details', hash }));
      expect(d.type === 'details' && d.details.paths).toEqual([{ path: join(o.w.dl, 'a.safetensors'), state: 'linked' }]);
      expect(d.type === 'details' && d.details.classifier?.candidates.length).toBeGreaterThan(0);
      const dep = last(await o.run({ kind: 'load-deploy' }));
      expect(dep.type === 'deploy' && dep.overview.targets.find((t) => t.name === 'comfy')?.file).toBe(join(o.w.manifests, 'mine.yaml'));
      expect(dep.type === 'deploy' && dep.overview.status.map((t) => t.name)).toContain('comfy');
    } finally {
      o.hub.close();
    }
  });

  it('adds a model to a target through the manifests, applies the plan that was shown, and refuses a stale one', async () => {
    const o = await open();
    try {
      const rows = last(await o.run({ kind: 'load-rows' }));
      const a = rows.type === 'rows' ? (rows.rows[0] as { hash: string; name: string }) : { hash: '', name: '' };
      const preview = last(await o.run({ kind: 'preview-edit', change: { kind: 'deploy', target: 'comfy', models: [{ hash: a.hash, name: a.name }] } }));
      expect(preview.type).toBe('edit-preview');
      if (preview.type !== 'edit-preview') return;
      expect(preview.diff[0]).toBe('--- /dev/null');
      expect(last(await o.run({ kind: 'save-edit', plan: preview.plan })).type).toBe('done');
      const dep = last(await o.run({ kind: 'load-deploy' }));
      if (dep.type !== 'deploy') throw new Error('no overview');
      expect(dep.overview.plan.changes.map((c) => [c.action, c.relPath])).toEqual([['create', 'loras/a.safetensors']]);
      const stale = last(await o.run({ kind: 'apply', fingerprint: 'not-this-one' }));
      expect(stale.type === 'failed' && stale.message).toMatch(/^the plan changed since it was shown/);
      expect(existsSync(join(o.w.apps, 'loras', 'a.safetensors'))).toBe(false);
      const applied = last(await o.run({ kind: 'apply', fingerprint: dep.overview.plan.fingerprint }));
      expect(applied).toEqual({ type: 'done', message: 'Apply complete! 1 linked, 0 relinked, 0 removed.' });
      expect(readlinkSync(join(o.w.apps, 'loras', 'a.safetensors'))).toBe(join(o.w.hub, 'models', a.hash, 'a.safetensors'));
      const again = last(await o.run({ kind: 'load-rows' }));
      expect(again.type === 'rows' && again.rows[0]?.deployed).toBe(1);
    } finally {
      o.hub.close();
    }
  });

  it('previews a delete with the links apply would remove, and deletes', async () => {
    const o = await open();
    try {
      const rows = last(await o.run({ kind: 'load-rows' }));
      const hash = rows.type === 'rows' ? (rows.rows[1]?.hash as string) : '';
      const p = last(await o.run({ kind: 'preview-delete', hashes: [hash] }));
      expect(p.type === 'delete-preview' && p.plan.mark.map((m) => m.name)).toEqual(['b.safetensors']);
      expect(last(await o.run({ kind: 'delete', hashes: [hash] }))).toMatchObject({ type: 'done', message: expect.stringMatching(/^Deleted 1 model/) });
      const after = last(await o.run({ kind: 'load-rows' }));
      expect(after.type === 'rows' && after.rows.map((r) => r.name)).toEqual(['a.safetensors']);
      await mhOk(o.w, ['restore', hash]);
    } finally {
      o.hub.close();
    }
  });

  it('writes hash files for the models asked, reclassifies, exports, scans', async () => {
    const o = await open();
    try {
      const rows = last(await o.run({ kind: 'load-rows' }));
      const [a, b] = rows.type === 'rows' ? rows.rows : [];
      const h = last(await o.run({ kind: 'hash-files', hashes: [a?.hash as string] }));
      expect(h.type === 'done' && h.message).toBe('Hash files: 1 written, 0 already right, 0 left alone.');
      expect(readFileSync(join(o.w.hub, 'models', a?.hash as string, 'a.safetensors.sha256'), 'utf8')).toBe(`${a?.hash}  a.safetensors\n`);
      expect(existsSync(join(o.w.hub, 'models', b?.hash as string, 'b.safetensors.sha256'))).toBe(false);
      const r = last(await o.run({ kind: 'reclassify', hashes: [a?.hash as string, b?.hash as string] }));
      expect(r.type === 'done' && r.report?.lines).toEqual([expect.stringMatching(/^= a\.safetensors: lora\/sdxl/), expect.stringMatching(/^= b\.safetensors/)]);
      const e = last(await o.run({ kind: 'export', path: 'inv.json' }));
      expect(e.type === 'done' && e.message).toBe(`Exported 2 models to ${join(o.w.root, 'inv.json')} (JSON).`);
      expect(JSON.parse(readFileSync(join(o.w.root, 'inv.json'), 'utf8')).models).toHaveLength(2);
      expect(last(await o.run({ kind: 'export', path: '-' }))).toMatchObject({ type: 'failed', message: expect.stringContaining('cannot export to stdout') });
      await writeLora(o.w, 'new/c.safetensors', { seed: 3 });
      const scan = await o.run({ kind: 'scan', path: join(o.w.dl, 'new'), symlinks: true });
      expect(scan.some((x) => x.type === 'progress')).toBe(true);
      expect(last(scan)).toMatchObject({ type: 'done', message: `Scanned ${join(o.w.dl, 'new')}: 1 imported, 0 duplicates, 0 unchanged, 0 skipped, 0 failed.` });
    } finally {
      o.hub.close();
    }
  });

  it('copies the ln -s command for a target with OSC 52 and echoes it', async () => {
    const o = await open();
    try {
      const rows = last(await o.run({ kind: 'load-rows' }));
      const a = rows.type === 'rows' ? (rows.rows[0]?.hash as string) : '';
      const e = last(await o.run({ kind: 'copy', hash: a, what: 'ln', target: 'comfy' }));
      const cmd = `ln -s '${join(o.w.hub, 'models', a, 'a.safetensors')}' '${join(o.w.apps, 'loras', 'a.safetensors')}'`;
      expect(e).toEqual({ type: 'notice', message: `Copied with OSC 52: ${cmd}` });
      expect(o.terminal).toEqual([`\x1b]52;c;${Buffer.from(cmd).toString('base64')}\x07`]);
    } finally {
      o.hub.close();
    }
  });

  it("sees another process's change of the inventory through data_version", async () => {
    const o = await open();
    try {
      const before = inventoryVersion(o.hub.db);
      expect(inventoryVersion(o.hub.db)).toBe(before);
      await mhOk(o.w, ['delete', 'a.safetensors']);
      expect(inventoryVersion(o.hub.db)).not.toBe(before);
    } finally {
      o.hub.close();
    }
  });

  it('reports a held hub lock in the status line instead of waiting or crashing', async () => {
    const o = await open();
    const held = await acquireLock(join(o.w.hub, 'modelhub.lock'), 'modelhub scan');
    try {
      const e = last(await o.run({ kind: 'delete', hashes: ['0'.repeat(64)] }));
      expect(e.type === 'failed' && e.message).toMatch(/modelhub scan/);
    } finally {
      held.release();
      o.hub.close();
    }
  });
});
