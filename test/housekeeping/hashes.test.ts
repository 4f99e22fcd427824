import { execFileSync } from 'node:child_process';
import { dirname, basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HashFilesPlan, HashFilesResult } from '../../store/hashfiles.js';
import { hashesByName, makeWorld, mhOk, runChecked, storeDir, writeText } from '../helpers/world.js';
import { writeLora } from './helpers.js';

/** `cd DIR && sha256sum -c NAME`: the check users run without ModelHub. */
function sha256sumCheck(hashFile: string): string {
  return execFileSync('sha256sum', ['-c', basename(hashFile)], { cwd: dirname(hashFile), encoding: 'utf8' });
}

describe('modelhub hashes', () => {
  it('writes sha256sum files next to store files and source paths; sha256sum -c passes; foreign files are never overwritten', async () => {
    const w = makeWorld();
    await writeLora(w, 'linked/a.safetensors', { seed: 1 });
    await writeLora(w, 'copied/b.safetensors', { seed: 2 });
    await mhOk(w, ['scan', '-q', join(w.dl, 'linked')]);
    await mhOk(w, ['scan', '-q', '--copy', join(w.dl, 'copied')]);
    const h = hashesByName(w);
    const storeA = join(storeDir(w, h['a.safetensors'] as string), 'a.safetensors.sha256');
    const storeB = join(storeDir(w, h['b.safetensors'] as string), 'b.safetensors.sha256');

    const preview = await runChecked(w, ['hashes'], { exit: 1 });
    expect(preview.stdout).toContain(`+ ${storeA}`);
    expect(preview.stdout).toContain('2 to write, 0 already up to date, 0 conflicts.');

    const done = await runChecked(w, ['hashes', '--yes', '--json'], { expect: () => ({ added: [storeA, storeB] }) });
    expect(done.json<{ result: HashFilesResult }>().result.written.sort()).toEqual([storeA, storeB].sort());
    for (const f of [storeA, storeB]) expect(sha256sumCheck(f)).toMatch(/: OK\n$/);
    const again = await runChecked(w, ['hashes', '--yes']);
    expect(again.stdout).toContain('0 to write, 2 already up to date, 0 conflicts.');
    await runChecked(w, ['verify']); // hash files ModelHub wrote are not "unexpected"

    // At the sources: next to the link-back (sha256sum follows it) and the copy; a file someone else wrote stays.
    const atA = join(w.dl, 'linked', 'a.safetensors.sha256');
    const atB = join(w.dl, 'copied', 'b.safetensors.sha256');
    writeText(atB, 'deadbeef  b.safetensors\n');
    const src = await runChecked(w, ['hashes', '--at-source', '--yes', '--json'], { exit: 1, expect: () => ({ added: [atA] }) });
    const out = src.json<{ plan: HashFilesPlan; result: HashFilesResult }>();
    expect(out.plan.conflicts).toEqual([expect.objectContaining({ hashFile: atB, found: 'a hash file ModelHub did not write: deadbeef  b.safetensors' })]);
    expect(out.result.written).toEqual([atA]);
    expect(sha256sumCheck(atA)).toBe('a.safetensors: OK\n');
  });
});
