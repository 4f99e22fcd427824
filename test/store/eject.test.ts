/**
 * `modelhub eject`: a link-back or a deployed link becomes a real copy with the model's bytes,
 * recorded so scans and plans leave it alone; anything else is refused; a copy that fails
 * half-way (or a crash) leaves the link as it was and no temporary file behind.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertRoomFor, executeEject, planEject } from '../../reconcile/eject.js';
import { sqliteLedger } from '../../reconcile/ledger.js';
import { journalEject } from '../../store/ejected.js';
import { recoverEjects } from '../../store/eject.js';
import { openHub } from '../../store/hub.js';
import { hostTag } from '../../store/leftovers.js';
import { addModel, makeWorld, mhOk, query, storeDir, writeManifest, type World } from '../helpers/world.js';

/** A hub with one model scanned from dl/ (a link-back left at dl/a.safetensors). */
async function scannedWorld(): Promise<{ w: World; path: string; bytes: Buffer }> {
  const w = makeWorld({ hub: true });
  const path = join(w.dl, 'a.safetensors');
  const header = Buffer.from(JSON.stringify({ 'lora_unet_x.lora_down.weight': { dtype: 'F16', shape: [2, 2], data_offsets: [0, 8] } }).padEnd(128, ' '));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  writeFileSync(path, Buffer.concat([size, header, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])]));
  const bytes = readFileSync(path);
  await mhOk(w, ['scan', '--no-settle', w.dl]);
  expect(lstatSync(path).isSymbolicLink()).toBe(true);
  return { w, path, bytes };
}

/** A hub with one model deployed by apply into apps/comfy/loras/. */
async function deployedWorld(): Promise<{ w: World; link: string; hash: string }> {
  const w = makeWorld({ hub: true });
  const hash = addModel(w, { filename: 'style.safetensors', type: 'lora', base: 'sdxl' });
  const root = join(w.apps, 'comfy');
  mkdirSync(root);
  writeManifest(w, 'comfy.yaml', `kind: Target\nname: comfy\nroot: ${root}\nenabled: true\nmappings: { lora: loras }\n`);
  writeManifest(w, 'deploy.yaml', 'kind: Deployment\nname: all\ntarget: comfy\nselect: {}\n');
  await mhOk(w, ['apply', '--yes']);
  const link = join(root, 'loras', 'style.safetensors');
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  return { w, link, hash };
}

describe('modelhub eject', () => {
  it('turns a link-back into a real copy with the same bytes, which a later scan leaves alone', async () => {
    const { w, path, bytes } = await scannedWorld();
    const dry = await mhOk(w, ['eject', '--dry-run', path]);
    expect(dry.stdout).toContain('Would eject 1 link');
    expect(lstatSync(path).isSymbolicLink()).toBe(true);

    const r = await mhOk(w, ['eject', path]);
    expect(r.stdout).toContain('Ejected 1 of 1 link');
    const st = lstatSync(path);
    expect(st.isFile()).toBe(true);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(readdirSync(w.dl)).toEqual(['a.safetensors']);
    expect(query(w, 'SELECT state FROM model_sources WHERE path = ?', path)).toEqual([{ state: 'copied' }]);

    const scan = JSON.parse((await mhOk(w, ['--json', 'scan', '--no-settle', w.dl])).stdout) as { files: Array<{ path: string; outcome: string; reason?: string }> };
    expect(scan.files).toEqual([expect.objectContaining({ path, outcome: 'skipped', reason: 'a copy `modelhub eject` made; left alone' })]);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(lstatSync(path).ino).toBe(st.ino);

    const again = await mhOk(w, ['eject', path]);
    expect(again.stdout).toContain('already a copy `modelhub eject` made');
  });

  it('turns a deployed link into a real copy that plan and apply leave alone', async () => {
    const { w, link, hash } = await deployedWorld();
    const json = JSON.parse((await mhOk(w, ['--json', 'eject', link])).stdout) as { items: Array<{ was: string }>; ejected: string[] };
    expect(json.items.map((i) => i.was)).toEqual(['deployed']);
    expect(json.ejected).toEqual([link]);
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readFileSync(link).equals(readFileSync(join(storeDir(w, hash), 'style.safetensors')))).toBe(true);
    expect(query(w, 'SELECT link_path FROM deploy_links')).toEqual([]);

    const plan = await mhOk(w, ['plan', '--detailed-exitcode'], 0);
    expect(plan.stdout).toContain('Left alone: 1 declared link is held by a real copy `modelhub eject` made:');
    expect(plan.stdout).toContain('No changes.');
    await mhOk(w, ['apply', '--yes']);
    expect(lstatSync(link).isFile()).toBe(true);
  });

  it('ejects the ModelHub links in a folder and leaves foreign links there alone; refuses a foreign path, naming it', async () => {
    const { w, link } = await deployedWorld();
    const folder = join(w.apps, 'comfy', 'loras');
    const mine = join(w.apps, 'mine.safetensors');
    writeFileSync(mine, 'my own bytes');
    const foreign = join(folder, 'foreign.safetensors');
    symlinkSync(mine, foreign);

    const file = JSON.parse((await mhOk(w, ['--json', 'eject', mine], 1)).stdout) as { error: { code: string; message: string; path: string } };
    expect(file.error).toMatchObject({ code: 'ERR_MODELHUB_NOT_OWNED', path: mine });
    expect(file.error.message).toContain(`${mine} is a regular file, not a link`);
    expect((await mhOk(w, ['eject', foreign, link], 1)).stderr).toContain(`error: ${foreign} is a symlink ModelHub did not make`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    const r = await mhOk(w, ['eject', folder]);
    expect(r.stdout).toContain(`${foreign}  not a ModelHub link: left alone`);
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readlinkSync(foreign)).toBe(mine);
    expect(readFileSync(mine, 'utf8')).toBe('my own bytes');
  });

  it('leaves the link in place when the copy fails half-way, or when the disk is too full', async () => {
    const { w, link } = await deployedWorld();
    const text = readlinkSync(link);
    const hub = openHub(w.hub);
    try {
      const plan = planEject(hub, [link], w.root);
      expect(() => assertRoomFor(plan, () => 3)).toThrow(/not enough free space .* nothing was changed/);
      const halfCopy = async (from: string, to: string): Promise<void> => {
        writeFileSync(to, readFileSync(from).subarray(0, 5));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
      await expect(executeEject(hub, plan, { ledger: sqliteLedger(hub.db), copy: halfCopy })).rejects.toMatchObject({ code: 'ERR_MODELHUB_NO_SPACE' });
      const shortCopy = async (from: string, to: string): Promise<void> => writeFileSync(to, readFileSync(from).subarray(0, 5));
      await expect(executeEject(hub, plan, { ledger: sqliteLedger(hub.db), copy: shortCopy })).rejects.toMatchObject({ code: 'ERR_MODELHUB_COPY_MISMATCH' });
    } finally {
      hub.close();
    }
    expect(readlinkSync(link)).toBe(text);
    expect(readdirSync(join(w.apps, 'comfy', 'loras'))).toEqual(['style.safetensors']);
    expect(query(w, 'SELECT path FROM ejected_files')).toEqual([]);
    expect(query(w, 'SELECT link_path FROM deploy_links')).toEqual([{ link_path: link }]);
  });

  it('recovery removes the temporary copy a crashed eject left and keeps the link', async () => {
    const { w, link } = await deployedWorld();
    const tmp = join(w.apps, 'comfy', 'loras', `.style.safetensors.modelhub-${hostTag()}-999999-0badc0de`);
    writeFileSync(tmp, 'half a cop');
    const hub = openHub(w.hub);
    try {
      journalEject(hub.db, { path: link, hash: 'h', was: 'deployed', tempPath: tmp, size: 100 });
      expect(recoverEjects(hub, () => false)).toEqual([{ path: link, action: 'rolled-back' }]);
    } finally {
      hub.close();
    }
    expect(readdirSync(join(w.apps, 'comfy', 'loras'))).toEqual(['style.safetensors']);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(query(w, 'SELECT path FROM ejected_files')).toEqual([]);
  });
});
