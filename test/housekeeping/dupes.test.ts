import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDupes, type DupeModel, type DupesReport } from '../../store/dupes.js';
import { makeWorld, mhOk, query, runChecked } from '../helpers/world.js';
import { writeLora } from './helpers.js';

describe('modelhub dupes', () => {
  it('finds each kind of duplicate with the bytes it saves or wastes, and changes nothing', async () => {
    const w = makeWorld();
    // One file downloaded twice (two paths, one store entry).
    await writeLora(w, 'a/twice.safetensors', { seed: 1 });
    mkdirSync(join(w.dl, 'b'), { recursive: true });
    copyFileSync(join(w.dl, 'a/twice.safetensors'), join(w.dl, 'b/twice (1).safetensors'));
    // The same weights with an edited header, and another file under the same name.
    await writeLora(w, 'c/style.safetensors', { seed: 5, metadata: { ss_output_name: 'style' } });
    await writeLora(w, 'd/style_v2.safetensors', { seed: 5, metadata: { ss_output_name: 'style v2' } });
    await writeLora(w, 'e/style.safetensors', { seed: 6 });
    // A --copy import leaves an independent copy on disk: waste.
    await writeLora(w, 'kept/copied.safetensors', { seed: 7 });
    await mhOk(w, ['scan', '-q', join(w.dl, 'a'), join(w.dl, 'b'), join(w.dl, 'c'), join(w.dl, 'd'), join(w.dl, 'e')]);
    await mhOk(w, ['scan', '-q', '--copy', join(w.dl, 'kept')]);
    mkdirSync(join(w.dl, 'again'), { recursive: true });
    copyFileSync(join(w.dl, 'kept/copied.safetensors'), join(w.dl, 'again/copied.safetensors'));
    await mhOk(w, ['scan', '-q', join(w.dl, 'again')]);
    const autov3s = (): Array<string | null> => query<{ autov3: string | null }>(w, 'SELECT autov3 FROM models ORDER BY sha256').map((r) => r.autov3);
    expect(autov3s().every((a) => a === null), 'a scan does not compute AutoV3').toBe(true);

    const r = await runChecked(w, ['dupes', '--json']);
    // dupes computed and recorded the AutoV3 of the files whose payload size another shares (here: all of these LoRAs).
    expect(autov3s().filter((a) => a !== null).length).toBeGreaterThanOrEqual(2);
    const rows = query<{ sha256: string; filename: string; file_size: number; autov3: string }>(w, 'SELECT sha256, filename, file_size, autov3 FROM models');
    // By content: which of two identical files gave the model its name depends on which was hashed first.
    const by = (rel: string) => rows.find((r) => r.sha256 === createHash('sha256').update(readFileSync(join(w.dl, rel))).digest('hex')) as { sha256: string; filename: string; file_size: number; autov3: string };
    const report = r.json<DupesReport>();
    const twice = by('a/twice.safetensors');
    const copied = by('kept/copied.safetensors');
    expect(report.sourcePaths).toEqual([
      { hash: copied.sha256, name: 'copied.safetensors', size: copied.file_size, paths: [{ path: join(w.dl, 'again/copied.safetensors'), state: 'linked' }, { path: join(w.dl, 'kept/copied.safetensors'), state: 'copied' }], savedBytes: 0, wastedBytes: copied.file_size },
      { hash: twice.sha256, name: twice.filename, size: twice.file_size, paths: [{ path: join(w.dl, 'a/twice.safetensors'), state: 'linked' }, { path: join(w.dl, 'b/twice (1).safetensors'), state: 'linked' }], savedBytes: twice.file_size, wastedBytes: 0 },
    ]);
    const v1 = by('d/style_v2.safetensors');
    const v0 = by('c/style.safetensors');
    expect(v0.autov3).toMatch(/^[0-9a-f]{64}$/);
    expect(v0.autov3).toBe(v1.autov3);
    expect(report.sameWeights).toEqual([{ autov3: v1.autov3, models: [v0, v1].sort((x, y) => (x.sha256 < y.sha256 ? -1 : 1)).map((m) => ({ hash: m.sha256, name: rows.find((x) => x.sha256 === m.sha256)?.filename, size: m.file_size })), wastedBytes: Math.min(v0.file_size, v1.file_size) }]);
    expect(report.sameName).toHaveLength(1);
    expect(report.sameName[0]?.name).toBe('style.safetensors');
    expect(report.sameName[0]?.models.map((m) => m.hash).sort()).toEqual(rows.filter((x) => x.filename === 'style.safetensors').map((x) => x.sha256).sort());
    expect(report.savedBytes).toBe(twice.file_size);
    expect(report.wastedBytes).toBe(copied.file_size + Math.min(v0.file_size, v1.file_size));

    const human = await runChecked(w, ['dupes']);
    expect(human.stdout).toContain('Found at several paths (one store entry each)');
    expect(human.stdout).toContain('Same weights, different files (same AutoV3; only the header differs)');
    expect(human.stdout).toContain('Same name, different content (informative)');
  });

  it('groups same names case-insensitively; a moved path alone is no duplicate', () => {
    const m = (hash: string, name: string, autov3: string | null, sources: DupeModel['sources'] = []): DupeModel => ({ hash, name, size: 100, autov3, sources });
    const report = findDupes([m('a'.repeat(64), 'x.safetensors', 'f'.repeat(64)), m('b'.repeat(64), 'X.safetensors', null, [{ path: '/one', state: 'moved' }])]);
    expect(report).toMatchObject({ sourcePaths: [], sameWeights: [], sameName: [{ name: 'x.safetensors' }], savedBytes: 0, wastedBytes: 0 });
  });
});
