/**
 * A hub that does not exist is an error for every command but `init` and `scan`, and the
 * commands that refuse create nothing; a dangling --hub symlink is named with its target.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as K from '../fixtures/keysets.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const NO_HUB = (dir: string): string => `error: no hub at ${dir}; run \`modelhub init\` or check --hub\n`;

/** Every command that uses a hub, with arguments it accepts. */
function hubCommands(inventoryFile: string): string[][] {
  return [
    ['list'],
    ['ls', '--type', 'lora'],
    ['stats'],
    ['show', 'abc123'],
    ['explain', 'abc123'],
    ['reclassify', '--all'],
    ['plan'],
    ['apply', '--yes'],
    ['status'],
    ['deploy', 'abc123', '--target', 'comfy'],
    ['undeploy', 'abc123', '--target', 'comfy', '--apply'],
    ['rename', 'abc123', 'x.safetensors'],
    ['verify'],
    ['prune', '--yes'],
    ['gc', '--yes'],
    ['dupes'],
    ['delete', 'abc123', '--yes'],
    ['restore', 'abc123'],
    ['hashes', '--yes'],
    ['export', 'out.yaml'],
    ['import', inventoryFile],
    ['import', '--dry-run', inventoryFile],
  ];
}

async function exportedInventory(root: string): Promise<string> {
  const other = join(root, 'other-hub');
  expect((await cli(['--hub', other, 'init'])).code).toBe(0);
  const file = join(root, 'inventory.yaml');
  expect((await cli(['--hub', other, 'export', file])).code).toBe(0);
  return file;
}

describe('a missing hub', () => {
  it('every command but init and scan refuses it, says so, and creates nothing', async () => {
    const root = tempDir();
    const inventory = await exportedInventory(root);
    const manifests = join(root, 'manifests');
    mkdirSync(manifests);
    for (const hub of [join(root, 'hub'), join(root, 'not', 'there', 'hub')]) {
      for (const args of hubCommands(inventory)) {
        const r = await cli(['--hub', hub, '--manifests', manifests, ...args], { cwd: root, env: { HOME: root } });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
        expect(r.stderr, args.join(' ')).toContain(NO_HUB(hub));
        expect(existsSync(hub), `${args.join(' ')} created ${hub}`).toBe(false);
        expect(existsSync(join(root, 'not')), args.join(' ')).toBe(false);
      }
    }
    expect(readdirSync(root).sort()).toEqual(['inventory.yaml', 'manifests', 'other-hub']);
    const json = await cli(['--hub', join(root, 'hub'), '--json', 'stats']);
    expect(json.json()).toMatchObject({ error: { code: 'ERR_MODELHUB_NO_HUB', path: join(root, 'hub') } });
  });

  it('scan --dry-run changes nothing, so it refuses a missing hub too; init and scan create it', async () => {
    const root = tempDir();
    const dl = join(root, 'dl');
    mkdirSync(dl);
    await writeSafetensors(join(dl, 'a.safetensors'), K.kohyaLora({ base: 'sdxl', rank: 4 }));
    const dry = await cli(['--hub', join(root, 'hub'), 'scan', '--dry-run', dl]);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(NO_HUB(join(root, 'hub')));
    expect(existsSync(join(root, 'hub'))).toBe(false);
    expect((await cli(['--hub', join(root, 'hub'), 'scan', '--copy', dl])).code).toBe(0);
    expect(existsSync(join(root, 'hub', 'modelhub.db'))).toBe(true);
    expect((await cli(['--hub', join(root, 'hub2'), 'init'])).code).toBe(0);
    expect((await cli(['--hub', join(root, 'hub2'), 'list'])).code).toBe(0);
  });

  it('a store whose inventory was lost is still a hub: reading commands say what is missing, gc and scan start again', async () => {
    const hub = join(tempDir(), 'hub');
    expect((await cli(['--hub', hub, 'init'])).code).toBe(0);
    for (const f of ['modelhub.db', 'modelhub.db-wal', 'modelhub.db-shm']) rmSync(join(hub, f), { force: true });
    const list = await cli(['--hub', hub, 'list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain(`error: the hub at ${hub} has a store but no inventory (${join(hub, 'modelhub.db')} is missing)\nhint: \`modelhub scan ${join(hub, 'models')}\``);
    expect(existsSync(join(hub, 'modelhub.db'))).toBe(false);
    expect((await cli(['--hub', hub, 'gc'])).code).toBe(0);
    expect((await cli(['--hub', hub, 'list'])).code).toBe(0);
  });

  it('a dangling --hub symlink is a clear error naming the link and its target, for every command', async () => {
    const root = tempDir();
    const target = join(root, 'unmounted-disk', 'hub');
    symlinkSync(target, join(root, 'hub'));
    for (const [hub, message] of [
      [join(root, 'hub'), `the hub path ${join(root, 'hub')} is a symlink to ${target}, which does not exist`],
      [join(root, 'hub', 'inner'), `the hub path ${join(root, 'hub', 'inner')} goes through the symlink ${join(root, 'hub')}, whose target ${target} does not exist`],
    ] as const) {
      for (const args of [['init'], ['scan', root], ['list'], ['stats'], ['gc', '--yes']]) {
        const r = await cli(['--hub', hub, ...args]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toContain(`error: ${message}\n`);
        expect(r.stderr).toMatch(/hint: /);
        expect(existsSync(join(root, 'unmounted-disk')), args.join(' ')).toBe(false);
      }
    }
    symlinkSync('loop', join(root, 'loop'));
    const loop = await cli(['--hub', join(root, 'loop'), 'init']);
    expect(loop.stderr).toContain(`error: the hub path ${join(root, 'loop')} is a symlink to ${join(root, 'loop')}, which is part of a symlink loop\n`);
  });
});
