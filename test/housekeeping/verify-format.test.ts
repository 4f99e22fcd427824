import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../store/verify.js';
import { execSql, hashesByName, makeWorld, mhOk, runChecked, storeDir } from '../helpers/world.js';
import { writeLora } from './helpers.js';

describe('modelhub verify: store files that break their format', () => {
  it('reports a store file whose content matches its hash but breaks its format, in full and --fast mode', async () => {
    const w = makeWorld();
    await writeLora(w, 'loras/good.safetensors', { seed: 1 });
    await writeLora(w, 'loras/broken.safetensors', { seed: 2 });
    await mhOk(w, ['scan', '-q', w.dl]);
    const hashes = hashesByName(w);
    const old = hashes['broken.safetensors'] as string;

    // What an older ModelHub imported: bytes after the last tensor (safetensors refuses such a file).
    const before = readFileSync(join(storeDir(w, old), 'broken.safetensors'));
    const broken = Buffer.concat([before, Buffer.alloc(16, 0x41)]);
    const sha = createHash('sha256').update(broken).digest('hex');
    const file = join(storeDir(w, sha), 'broken.safetensors');
    chmodSync(storeDir(w, old), 0o755);
    renameSync(storeDir(w, old), storeDir(w, sha));
    chmodSync(file, 0o644);
    writeFileSync(file, broken);
    chmodSync(file, 0o444);
    execSql(w, 'UPDATE models SET sha256 = ?, file_size = ?, store_mtime_ns = ? WHERE sha256 = ?', sha, broken.length, String(statSync(file, { bigint: true }).mtimeNs), old);

    for (const args of [['verify', '--json'], ['verify', '--fast', '--json']]) {
      const r = await runChecked(w, args, { exit: 1 });
      const report = r.json<VerifyReport>();
      expect(report).toMatchObject({ checked: 2, ok: 1, missing: [], unexpected: [] });
      expect(report.corrupted).toEqual([expect.objectContaining({ hash: sha, path: file, reason: 'corrupt-format' })]);
      expect(report.corrupted[0]?.found).toMatch(/corrupt safetensors file: has 16 bytes of data after the last tensor/);
    }
    const human = await runChecked(w, ['verify'], { exit: 1 });
    expect(human.stdout).toContain(`corrupted   ${file}`);
    expect(human.stdout).toMatch(/breaks its format.*re-download it/);
    expect(human.stdout).toContain('Problems found: 1 corrupted, 0 missing, 0 unexpected; 1 ok.');
  });
});
