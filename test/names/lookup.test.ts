/**
 * A model is found by any of its names and paths (issue 12): show, explain and delete take a
 * source file name or a source path besides a hash prefix and the name, paths compared resolved.
 */
import { readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLora } from '../housekeeping/helpers.js';
import { makeWorld, mh, mhOk, query } from '../helpers/world.js';

describe('finding a model by any of its names or paths', () => {
  it('by source name, by a source path reached through a symlinked folder, by a link-back, and a clear error when two models match', async () => {
    const w = makeWorld();
    await writeLora(w, 'disk/lib/add_detail (1).safetensors', { seed: 1 });
    await writeLora(w, 'disk/lib/more/add_detail.safetensors', { seed: 1 });
    await writeLora(w, 'disk/lib/style.safetensors', { seed: 2 });
    await writeLora(w, 'other/style.safetensors', { seed: 3 });
    symlinkSync(join(w.dl, 'disk'), join(w.dl, 'mnt'));
    // Scanned through the symlinked folder: the recorded paths spell it that way.
    await mhOk(w, ['scan', '-q', join(w.dl, 'mnt', 'lib'), join(w.dl, 'other')]);
    const [detail] = query<{ sha256: string }>(w, "SELECT sha256 FROM models WHERE name = 'add_detail.safetensors'");
    const hashOf = (r: { json: <T>() => T }): string => r.json<{ hash: string }>().hash;

    expect(hashOf(await mhOk(w, ['show', '--json', 'add_detail (1).safetensors']))).toBe(detail?.sha256);
    // The real folder's spelling of a recorded path, relative to the working folder (the world's root).
    expect(hashOf(await mhOk(w, ['show', '--json', 'dl/disk/lib/add_detail (1).safetensors']))).toBe(detail?.sha256);
    expect(hashOf(await mhOk(w, ['show', '--json', join(w.dl, 'disk', 'lib', 'more', 'add_detail.safetensors')]))).toBe(detail?.sha256);
    const explained = await mhOk(w, ['explain', '--json', join(w.dl, 'mnt', 'lib', 'more', 'add_detail.safetensors')]);
    expect(explained.json<{ hash: string }>().hash).toBe(detail?.sha256);

    // Any path whose file lies in the store: here the store file a link-back points at.
    const storeFile = readlinkSync(join(w.dl, 'disk', 'lib', 'more', 'add_detail.safetensors'));
    expect(hashOf(await mhOk(w, ['show', '--json', storeFile]))).toBe(detail?.sha256);

    const ambiguous = await mh(w, ['show', 'style.safetensors']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('"style.safetensors" matches 2 models:');
    expect(ambiguous.stderr).toContain(join(w.dl, 'other', 'style.safetensors'));
    expect(ambiguous.stderr).toContain('hint: give a hash prefix (6+ hex digits) or a source path');
    await mhOk(w, ['show', join(w.dl, 'other', 'style.safetensors')]);

    const missing = await mh(w, ['show', join(w.dl, 'nowhere', 'add_detail.safetensors')]);
    expect(missing.stderr).toContain(`no model matches "${join(w.dl, 'nowhere', 'add_detail.safetensors')}"`);

    const del = await mhOk(w, ['delete', join(w.dl, 'disk', 'lib', 'style.safetensors')]);
    expect(del.stdout).toContain('style.safetensors');
    expect(query(w, 'SELECT name, deleted FROM models WHERE deleted = 1')).toEqual([{ name: 'style.safetensors', deleted: 1 }]);
  });
});
