import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashesByName, makeWorld, mhOk, query, runChecked, storeDir } from '../helpers/world.js';
import { deployAllLoras, writeLora } from './helpers.js';

describe('modelhub delete and restore', () => {
  it('delete → apply undeploys → restore → apply redeploys; --hard removes the store entry only once nothing links to it', async () => {
    const w = makeWorld();
    await writeLora(w, 'a.safetensors', { seed: 1 });
    await writeLora(w, 'b.safetensors', { seed: 2 });
    await mhOk(w, ['scan', '-q', w.dl]);
    const comfy = deployAllLoras(w);
    await mhOk(w, ['apply', '--yes']);
    const a = hashesByName(w)['a.safetensors'] as string;
    const linkA = join(comfy, 'loras', 'a.safetensors');
    const deleted = (): number => (query<{ deleted: number }>(w, 'SELECT deleted FROM models WHERE sha256 = ?', a)[0] as { deleted: number }).deleted;

    const del = await runChecked(w, ['delete', a.slice(0, 8)]);
    expect(del.stdout).toContain(`delete  ${a.slice(0, 12)}  a.safetensors`);
    expect(del.stdout).toContain('The next `modelhub apply` removes 1 deployment link (run `modelhub plan` to see):');
    expect(deleted()).toBe(1);
    const plan = await mhOk(w, ['plan']);
    expect(plan.stdout).toContain('- loras/a.safetensors  (model-deleted; a.safetensors)');
    await runChecked(w, ['apply', '--yes'], { expect: () => ({ removed: [linkA] }) });

    const restored = await runChecked(w, ['restore', 'a.safetensors']);
    expect(restored.stdout).toContain('Run `modelhub plan` to see where the next apply deploys them again.');
    expect(deleted()).toBe(0);
    await runChecked(w, ['apply', '--yes'], { expect: () => ({ added: [linkA] }) });

    // Still deployed and linked back: refused, listed, left soft-deleted.
    const refused = await runChecked(w, ['delete', 'a.safetensors', '--hard', '--yes'], { exit: 1 });
    expect(refused.stdout).toContain(`still deployed by 1 owned link`);
    expect(refused.stdout).toContain(join(w.dl, 'a.safetensors'));
    expect(refused.stderr).toContain('hint: run `modelhub apply` to undeploy');
    expect(deleted()).toBe(1);

    await runChecked(w, ['apply', '--yes'], { expect: () => ({ removed: [linkA] }) });
    await runChecked(w, ['prune', '--yes'], { expect: () => ({ removed: [join(w.dl, 'a.safetensors')] }) });
    const noYes = await runChecked(w, ['delete', 'a.safetensors', '--hard'], { exit: 1 });
    expect(noYes.stdout).toMatch(/This will free [\d.]+ KB \(1 store entry\)\./);
    expect(noYes.stderr).toContain('nothing was changed');
    const hard = await runChecked(w, ['delete', 'a.safetensors', '--hard', '--yes', '--json'], { expect: () => ({ removed: [storeDir(w, a), join(storeDir(w, a), 'a.safetensors')] }) });
    expect(hard.json<{ result: { removed: { removed: Array<{ hash: string }>; freedBytes: number } } }>().result.removed.removed).toEqual([expect.objectContaining({ hash: a })]);
    expect(query(w, 'SELECT sha256 FROM models WHERE sha256 = ?', a)).toEqual([]);

    const gone = await runChecked(w, ['restore', 'a.safetensors'], { exit: 1 });
    expect(gone.stderr).toContain('no model matches "a.safetensors"');
  });

  it('--hard without --yes changes nothing, not even the flag; restore refuses a model whose store file is gone', async () => {
    const w = makeWorld();
    await writeLora(w, 'a.safetensors', { seed: 1 });
    await mhOk(w, ['scan', '-q', '--no-link', w.dl]);
    const a = hashesByName(w)['a.safetensors'] as string;
    await runChecked(w, ['delete', 'a.safetensors', '--hard'], { exit: 1 });
    expect(query(w, 'SELECT deleted FROM models WHERE sha256 = ?', a)).toEqual([{ deleted: 0 }]);
    await runChecked(w, ['delete', 'a.safetensors', '--hard'], { exit: 1, answer: 'no' });
    expect(query(w, 'SELECT deleted FROM models WHERE sha256 = ?', a)).toEqual([{ deleted: 0 }]);
    await mhOk(w, ['delete', 'a.safetensors']);
    unlinkSync(join(storeDir(w, a), 'a.safetensors'));
    const r = await runChecked(w, ['restore', 'a.safetensors'], { exit: 1 });
    expect(r.stdout).toContain('cannot restore');
    expect(query(w, 'SELECT deleted FROM models WHERE sha256 = ?', a)).toEqual([{ deleted: 1 }]);
  });
});
