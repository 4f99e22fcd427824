import { createHash } from 'node:crypto';
import { chmodSync, existsSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GcPlan, GcResult } from '../../store/gc.js';
import { hostTag } from '../../store/leftovers.js';
import { hashesByName, makeWorld, mhOk, query, reusableWorld, runChecked, storeDir, writeText, type World } from '../helpers/world.js';
import { deployAllLoras, writeLora } from './helpers.js';

/** a and c imported with a link-back, b without (built once, copied back for each test). */
const scannedABC = reusableWorld(async (w) => {
  await writeLora(w, 'link/a.safetensors', { seed: 1 });
  await writeLora(w, 'link/c.safetensors', { seed: 3 });
  await writeLora(w, 'moved/b.safetensors', { seed: 2 });
  await mhOk(w, ['scan', '-q', join(w.dl, 'link')]);
  await mhOk(w, ['scan', '-q', '--no-link', join(w.dl, 'moved')]);
  return {};
});

/**
 * a: linked back, deployed, then soft-deleted (not yet undeployed): refused.
 * b: imported without a link-back, soft-deleted and undeployed: removed.
 * c: live: untouched. Plus an unregistered model (a store folder without a row, holding the
 * model its name promises), staging files old and new, and a stray file.
 */
async function gcWorld(): Promise<{ w: World; a: string; b: string; c: string; orphan: string; oldPartial: string; newPartial: string; comfy: string }> {
  const { w } = await scannedABC();
  const comfy = deployAllLoras(w);
  await mhOk(w, ['apply', '--yes']);
  await mhOk(w, ['hashes', '--yes']);
  const h = hashesByName(w);
  await mhOk(w, ['delete', 'b.safetensors']);
  await mhOk(w, ['apply', '--yes']);
  await mhOk(w, ['delete', 'a.safetensors']);
  const content = 'an orphaned model file\n'.repeat(100);
  const orphan = createHash('sha256').update(content).digest('hex');
  writeText(join(storeDir(w, orphan), 'lost.safetensors'), content);
  chmodSync(join(storeDir(w, orphan), 'lost.safetensors'), 0o444);
  const oldPartial = join(w.hub, 'models', '.tmp', `${'e'.repeat(64)}.1.dead.partial`);
  const newPartial = join(w.hub, 'models', '.tmp', `${'d'.repeat(64)}.2.beef.partial`);
  writeText(oldPartial, 'half a copy');
  writeText(newPartial, 'a copy in progress');
  const twoDaysAgo = Date.now() / 1000 - 2 * 86400;
  utimesSync(oldPartial, twoDaysAgo, twoDaysAgo);
  writeText(join(w.hub, 'models', 'notes.txt'), 'not a store folder\n');
  // An orphan a symlink still points at (its record was lost, the link was not): refused.
  writeText(join(storeDir(w, '9'.repeat(64)), 'kept.safetensors'), 'still used\n');
  symlinkSync(join(storeDir(w, '9'.repeat(64)), 'kept.safetensors'), join(w.dl, 'link', 'kept.safetensors'));
  return { w, a: h['a.safetensors'] as string, b: h['b.safetensors'] as string, c: h['c.safetensors'] as string, orphan, oldPartial, newPartial, comfy };
}

describe('modelhub gc', () => {
  it('removes a soft-deleted model and old staging files; keeps an unregistered model until --orphans; refuses a model still deployed and linked back', async () => {
    const { w, a, b, c, orphan, oldPartial, newPartial, comfy } = await gcWorld();
    const sizeOf = (hash: string): number => (query<{ file_size: number }>(w, 'SELECT file_size FROM models WHERE sha256 = ?', hash)[0] as { file_size: number }).file_size;
    const bSize = sizeOf(b);

    const preview = await runChecked(w, ['gc', '--json'], { exit: 1 });
    const { plan, result } = preview.json<{ plan: GcPlan; result: GcResult | null }>();
    expect(result).toBeNull();
    expect(plan.remove.map((r) => [r.hash, r.reason])).toEqual([[b, 'deleted']]);
    expect(plan.kept.map((k) => [k.hash, k.reason, k.name, k.checked])).toEqual([[orphan, 'unregistered', 'lost.safetensors', true]]);
    const removeB = plan.remove.find((r) => r.hash === b);
    expect(removeB?.files.map((f) => f.path).sort()).toEqual([join(storeDir(w, b), 'b.safetensors'), join(storeDir(w, b), 'b.safetensors.sha256')]);
    const refusedBy = new Map(plan.refused.map((r) => [r.hash, r]));
    expect([...refusedBy.keys()].sort()).toEqual([a, '9'.repeat(64)].sort());
    expect(refusedBy.get('9'.repeat(64))).toMatchObject({ reason: 'orphan', deployed: [], linkBacks: [join(w.dl, 'link', 'kept.safetensors')], unexpected: [] });
    expect(refusedBy.get(a)).toMatchObject({ reason: 'deleted', deployed: [{ target: 'comfy', path: join(comfy, 'loras', 'a.safetensors') }], linkBacks: [join(w.dl, 'link', 'a.safetensors')], unexpected: [] });
    expect(plan.staging.map((s) => s.path)).toEqual([oldPartial]);
    expect(plan.stagingKept.map((s) => s.path)).toEqual([newPartial]);
    const bHashFileSize = (removeB?.files.find((f) => f.path.endsWith('.sha256'))?.size ?? 0);
    expect(plan.bytes).toBe(bSize + bHashFileSize + 'half a copy'.length);

    const human = await runChecked(w, ['gc'], { exit: 1 });
    expect(human.stdout).toContain('Unregistered models (in the store, unknown to the inventory; kept):');
    expect(human.stdout).toContain('still deployed by 1 owned link');
    expect(human.stdout).toContain('run `modelhub apply` to undeploy it first');
    expect(human.stdout).toMatch(/This will free [\d.]+ KB \(1 store entry, 1 staging file\)\./);
    expect(human.stderr).toContain('run `modelhub gc --yes`');

    const declined = await runChecked(w, ['gc'], { exit: 1, answer: 'no' });
    expect(declined.stderr).toContain('Cancelled; nothing was changed.');

    const done = await runChecked(w, ['gc', '--yes', '--json'], {
      expect: (r) => {
        const p = r.json<{ plan: GcPlan }>().plan;
        return { removed: [...p.remove.flatMap((x) => [x.dir, ...x.files.map((f) => f.path)]), ...p.staging.map((s) => s.path)] };
      },
    });
    expect(done.json<{ result: GcResult }>().result).toMatchObject({ removed: [expect.objectContaining({ hash: b })], stagingRemoved: [oldPartial], skipped: [] });
    expect(existsSync(join(storeDir(w, orphan), 'lost.safetensors'))).toBe(true);
    expect(existsSync(newPartial)).toBe(true);
    expect(query(w, 'SELECT sha256 FROM models ORDER BY sha256').map((r) => (r as { sha256: string }).sha256)).toEqual([a, c].sort());
    expect(query(w, 'SELECT path FROM hash_files WHERE model_sha256 = ?', b)).toEqual([]);

    // Undeploy a and remove its link-back: then gc takes it too.
    await mhOk(w, ['apply', '--yes']);
    await mhOk(w, ['prune', '--yes']);
    await runChecked(w, ['gc', '--yes'], { expect: () => ({ removed: [storeDir(w, a), join(storeDir(w, a), 'a.safetensors'), join(storeDir(w, a), 'a.safetensors.sha256')] }) });
    // Asked for explicitly, the unregistered model goes too; the linked orphan is still refused.
    await runChecked(w, ['gc', '--orphans', '--yes'], { expect: () => ({ removed: [storeDir(w, orphan), join(storeDir(w, orphan), 'lost.safetensors')] }) });
    const verify = await mhOk(w, ['verify'], 1);
    expect(verify.stdout).toContain('2 unexpected; 1 ok.'); // notes.txt and the linked orphan: never removed by gc
  });

  it('a confirmation on a terminal removes what the plan showed', async () => {
    const { w, b } = await gcWorld();
    const r = await runChecked(w, ['gc'], {
      answer: 'yes',
      expect: () => ({
        removed: [storeDir(w, b), join(storeDir(w, b), 'b.safetensors'), join(storeDir(w, b), 'b.safetensors.sha256'), join(w.hub, 'models', '.tmp', `${'e'.repeat(64)}.1.dead.partial`)],
      }),
    });
    expect(r.stdout).toContain('Only \'yes\' will be accepted to approve.');
    expect(r.stdout).toMatch(/Removed 1 store entry and 1 staging file; freed [\d.]+ KB\./);
  });
});

describe('modelhub gc after the inventory is lost', () => {
  it('keeps every store folder whose content matches its name, lists it as unregistered with the command that registers it again, and removes it only with --orphans', async () => {
    const w = makeWorld();
    await writeLora(w, 'link/a.safetensors', { seed: 1 });
    await writeLora(w, 'moved/b.safetensors', { seed: 2 });
    await mhOk(w, ['scan', '-q', join(w.dl, 'link')]);
    await mhOk(w, ['scan', '-q', '--no-link', join(w.dl, 'moved')]);
    const h = hashesByName(w);
    const [a, b] = [h['a.safetensors'], h['b.safetensors']] as [string, string];
    // A folder whose content does not hash to its name: damaged, or not a model.
    writeText(join(storeDir(w, 'c'.repeat(64)), 'odd.bin'), 'not what the name says\n');
    for (const f of ['modelhub.db', 'modelhub.db-wal', 'modelhub.db-shm']) rmSync(join(w.hub, f), { force: true });

    const kept = await runChecked(w, ['gc', '--yes', '--json']);
    const { plan } = kept.json<{ plan: GcPlan }>();
    expect(plan.remove).toEqual([]);
    expect(plan.kept.map((k) => [k.hash, k.reason, k.name])).toEqual([
      [a, 'unregistered', 'a.safetensors'],
      [b, 'unregistered', 'b.safetensors'],
      ['c'.repeat(64), 'orphan', 'odd.bin'],
    ].sort((x, y) => ((x[0] as string) < (y[0] as string) ? -1 : 1)));

    const human = await runChecked(w, ['gc', '--yes']);
    expect(human.stdout).toContain('Unregistered models (in the store, unknown to the inventory; kept):');
    expect(human.stdout).toMatch(new RegExp(`\\? ${a.slice(0, 12)}  a\\.safetensors +[\\d.]+ KB`));
    expect(human.stdout).toContain(`register them again with: modelhub scan ${join(w.hub, 'models')}`);
    expect(human.stdout).toContain('Orphans whose content does not match their folder name (damaged, or not models; kept):');
    expect(human.stdout).toContain('Nothing to remove.');
    expect(human.stdout).toContain('`modelhub gc --orphans` removes the 3 kept entries');

    const preview = await runChecked(w, ['gc', '--orphans'], { exit: 1 });
    expect(preview.stdout).toContain('modelhub gc --orphans will remove:');
    expect(preview.stdout).toContain('unregistered: a model the inventory forgot (its content matches its folder name)');
    expect(preview.stderr).toContain('run `modelhub gc --orphans --yes`');
    await runChecked(w, ['gc', '--orphans', '--yes'], {
      expect: () => ({
        removed: [storeDir(w, a), join(storeDir(w, a), 'a.safetensors'), storeDir(w, b), join(storeDir(w, b), 'b.safetensors'), storeDir(w, 'c'.repeat(64)), join(storeDir(w, 'c'.repeat(64)), 'odd.bin')],
      }),
    });
  });
});

describe('modelhub gc after the inventory is lost: the command it names', () => {
  it('registers the unregistered models again, after which gc has nothing to say', async () => {
    const w = makeWorld();
    await writeLora(w, 'link/a.safetensors', { seed: 1 });
    await mhOk(w, ['scan', '-q', join(w.dl, 'link')]);
    for (const f of ['modelhub.db', 'modelhub.db-wal', 'modelhub.db-shm']) rmSync(join(w.hub, f), { force: true });
    const before = await mhOk(w, ['gc']);
    const command = /register it again with: (modelhub scan \S+)/.exec(before.stdout)?.[1];
    expect(command).toBe(`modelhub scan ${join(w.hub, 'models')}`);
    await mhOk(w, (command as string).split(' ').slice(1));
    expect((await mhOk(w, ['gc'])).stdout).toBe('Nothing to remove: the store holds no orphans and no deleted models.\n');
  });
});

describe('modelhub gc and staging leftovers', () => {
  it('shows every staging file with its size, whatever its age, and removes those whose owner is dead', async () => {
    const w = makeWorld();
    await mhOk(w, ['init']);
    const tmp = join(w.hub, 'models', '.tmp');
    const host = hostTag();
    const dead = join(tmp, `${'a'.repeat(64)}.${host}-${2 ** 22 + 17}.0badf00d.partial`);
    const running = join(tmp, `${'b'.repeat(64)}.${host}-${process.ppid}.0badf00d.partial`);
    const elsewhere = join(tmp, `${'c'.repeat(64)}.${host === 'ffffffff' ? 'eeeeeeee' : 'ffffffff'}-12345.0badf00d.partial`);
    const young = join(tmp, `${'d'.repeat(64)}.77.beef.partial`);
    const old = join(tmp, `${'e'.repeat(64)}.78.beef.partial`);
    writeText(dead, 'x'.repeat(3000));
    writeText(running, 'y'.repeat(20));
    writeText(elsewhere, 'z'.repeat(30));
    writeText(young, 'a copy in progress');
    writeText(old, 'half a copy');
    const twoDaysAgo = Date.now() / 1000 - 2 * 86400;
    utimesSync(old, twoDaysAgo, twoDaysAgo);

    const shown = await runChecked(w, ['gc'], { exit: 1 });
    expect(shown.stdout).toContain(`- ${dead}  3.0 KB  staging file of a scan that died (pid ${2 ** 22 + 17})`);
    expect(shown.stdout).toContain(`- ${old}  11 B  staging file left by an interrupted scan (2 days old)`);
    expect(shown.stdout).toContain('Staging files kept:');
    expect(shown.stdout).toContain(`· ${running}  20 B  its scan is still running (pid ${process.ppid})`);
    expect(shown.stdout).toContain(`· ${elsewhere}  30 B  written by a scan on another host`);
    expect(shown.stdout).toMatch(new RegExp(`· ${young.replace(/\./g, '\\.')}  18 B  no owner in its name; removed once older than a day \\(\\d+ s old\\)`));

    const done = await runChecked(w, ['gc', '--yes', '--json'], { expect: () => ({ removed: [dead, old] }) });
    expect(done.json<{ result: GcResult }>().result.freedBytes).toBe(3000 + 11);
  });
});
