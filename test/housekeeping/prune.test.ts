import { mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PrunePlan, PruneResult } from '../../reconcile/prune.js';
import { hashesByName, makeWorld, mhOk, query, runChecked, storeDir } from '../helpers/world.js';
import { deployAllLoras, writeLora } from './helpers.js';

describe('modelhub prune', () => {
  it('after a store file was deleted by hand: removes its owned links and link-backs, lists foreign broken links', async () => {
    const w = makeWorld();
    await writeLora(w, 'a.safetensors', { seed: 1 });
    await writeLora(w, 'b.safetensors', { seed: 2 });
    await mhOk(w, ['scan', '-q', w.dl]);
    const comfy = deployAllLoras(w);
    await mhOk(w, ['apply', '--yes']);
    const h = hashesByName(w);
    const a = h['a.safetensors'] as string;

    unlinkSync(join(storeDir(w, a), 'a.safetensors'));
    mkdirSync(join(comfy, 'loras', 'old'), { recursive: true });
    symlinkSync('/nowhere/mine.safetensors', join(comfy, 'loras', 'old', 'mine.safetensors'));
    symlinkSync(join(w.root, 'gone.safetensors'), join(w.dl, 'foreign.safetensors'));

    const preview = await runChecked(w, ['prune', '--json'], { exit: 1 });
    const plan = preview.json<{ plan: PrunePlan; result: null }>().plan;
    expect(preview.json<{ result: null }>().result).toBeNull();
    expect(plan.links).toEqual([expect.objectContaining({ path: join(comfy, 'loras', 'a.safetensors'), target: 'comfy', hash: a, name: 'a.safetensors' })]);
    expect(plan.linkBacks).toEqual([expect.objectContaining({ path: join(w.dl, 'a.safetensors'), hash: a, reason: 'store-file-missing' })]);
    expect(plan.foreign.map((f) => f.path).sort()).toEqual([join(comfy, 'loras', 'old', 'mine.safetensors'), join(w.dl, 'foreign.safetensors')].sort());
    expect(preview.stderr).toContain('hint: review the list (stdout), then run `modelhub prune --yes`');

    const human = await runChecked(w, ['prune'], { exit: 1 });
    expect(human.stdout).toContain('Broken symlinks ModelHub did not make (listed, never removed):');
    expect(human.stdout).toContain('This will remove 2 symlinks (1 deployment link, 1 link-back).');

    const done = await runChecked(w, ['prune', '--yes', '--json'], {
      expect: (r) => {
        const out = r.json<{ plan: PrunePlan; result: PruneResult }>();
        return { removed: [...out.plan.links.map((l) => l.path), ...out.plan.linkBacks.map((l) => l.path)] };
      },
    });
    expect(done.json<{ result: PruneResult }>().result).toMatchObject({ removedLinks: [join(comfy, 'loras', 'a.safetensors')], removedLinkBacks: [join(w.dl, 'a.safetensors')], skipped: [] });
    expect(query(w, 'SELECT link_path FROM deploy_links WHERE model_sha256 = ?', a)).toEqual([]);
    expect(query(w, 'SELECT path FROM model_sources WHERE path = ?', join(w.dl, 'a.safetensors'))).toEqual([]);
    expect(query(w, 'SELECT COUNT(*) AS n FROM deploy_links')).toEqual([{ n: 1 }]);

    const again = await runChecked(w, ['prune', '--yes']);
    expect(again.stdout).toContain('Nothing to prune.');
  });
});
