/**
 * The name of a model found under several paths (issue 12): chosen among its source names, so
 * apps see `add_detail.safetensors`, not the copy a browser saved first.
 */
import { copyFileSync, mkdirSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { INVENTORY_MIGRATIONS } from '../../store/migrations.js';
import { deployAllLoras, writeLora } from '../housekeeping/helpers.js';
import { makeWorld, mhOk, query, runChecked, storeDir } from '../helpers/world.js';

function expectSymlink(path: string, target: string): void {
  expect(readlinkSync(path)).toBe(target);
}

describe('the name of a deduplicated model', () => {
  it('a clean name found later replaces `x (1)`: the store file keeps its name, the plan relinks, the link-back still resolves', async () => {
    const w = makeWorld();
    const first = await writeLora(w, 'browser/add_detail (1).safetensors', { seed: 1 });
    await mhOk(w, ['scan', '-q', join(w.dl, 'browser')]);
    const comfy = deployAllLoras(w);
    await mhOk(w, ['apply', '--yes']);
    const [m] = query<{ sha256: string; name: string; filename: string }>(w, 'SELECT sha256, name, filename FROM models');
    expect(m?.name).toBe('add_detail (1).safetensors');
    const storeFile = join(storeDir(w, m!.sha256), 'add_detail (1).safetensors');
    expectSymlink(join(comfy, 'loras', 'add_detail (1).safetensors'), storeFile);

    const clean = join(w.dl, 'civitai', 'add_detail.safetensors');
    mkdirSync(dirname(clean), { recursive: true });
    copyFileSync(storeFile, clean);
    await mhOk(w, ['scan', '-q', join(w.dl, 'civitai')]);
    expect(query(w, 'SELECT name, filename FROM models')).toEqual([{ name: 'add_detail.safetensors', filename: 'add_detail (1).safetensors' }]);
    expect(readlinkSync(first)).toBe(storeFile);

    const plan = await mhOk(w, ['plan']);
    expect(plan.stdout).toContain('    -add_detail (1).safetensors\n    +add_detail.safetensors\n');
    expect(plan.stdout).toContain('Plan: 1 to link, 0 to relink, 1 to remove, 0 conflicts.');
    await runChecked(w, ['apply', '--yes'], { expect: () => ({ added: [join(comfy, 'loras', 'add_detail.safetensors')], removed: [join(comfy, 'loras', 'add_detail (1).safetensors')] }) });
    expectSymlink(join(comfy, 'loras', 'add_detail.safetensors'), storeFile);
    expect((await mhOk(w, ['plan'])).stdout).toContain('No changes.');
    // list --name finds it by any of its names: the store file's, a source file's.
    for (const glob of ['add_detail.*', 'add_detail ?1?.safetensors', 'ADD_DETAIL ?1?*']) {
      expect((await mhOk(w, ['list', '--json', '--name', glob])).json<Array<{ name: string }>>().map((x) => x.name), glob).toEqual(['add_detail.safetensors']);
    }
    expect((await mhOk(w, ['list', '--json', '--name', 'other*'])).json<unknown[]>()).toEqual([]);
  });

  it('a generic Hugging Face name takes its folder; list and show print the chosen name', async () => {
    const w = makeWorld();
    await writeLora(w, 'sdxl-detail-lora/adapter_model.safetensors', { seed: 2 });
    await mhOk(w, ['scan', '-q', w.dl]);
    expect(query(w, 'SELECT name, filename FROM models')).toEqual([{ name: 'sdxl-detail-lora.safetensors', filename: 'adapter_model.safetensors' }]);
    const list = await mhOk(w, ['list', '--json']);
    expect(list.json<Array<{ name: string }>>().map((x) => x.name)).toEqual(['sdxl-detail-lora.safetensors']);
    const show = await mhOk(w, ['show', 'sdxl-detail-lora.safetensors']);
    expect(show.stdout).toContain('sdxl-detail-lora.safetensors');
  });

  it('an older inventory gets the rule when it is opened, keeping every row', async () => {
    const w = makeWorld();
    await writeLora(w, 'a/add_detail - Copy.safetensors', { seed: 3 });
    await writeLora(w, 'b/add_detail.safetensors', { seed: 3 });
    await mhOk(w, ['scan', '-q', join(w.dl, 'a')]);
    await mhOk(w, ['scan', '-q', join(w.dl, 'b')]);
    // As an inventory written before models.name existed: the name is the store file's; the migration's backfill applies the rule.
    const migration = INVENTORY_MIGRATIONS.find((m) => m.description.startsWith('models.name'));
    const db = new Database(join(w.hub, 'modelhub.db'));
    db.exec('UPDATE models SET name = filename');
    expect(db.prepare('SELECT name FROM models').all()).toEqual([{ name: 'add_detail - Copy.safetensors' }]);
    db.transaction(() => migration?.after?.(db))();
    db.close();
    expect(query(w, 'SELECT name, filename FROM models')).toEqual([{ name: 'add_detail.safetensors', filename: 'add_detail - Copy.safetensors' }]);
    expect(query(w, 'SELECT COUNT(*) AS n FROM model_sources')).toEqual([{ n: 2 }]);
  });
});
