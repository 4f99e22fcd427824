/**
 * `export FILE` and `plan --out FILE` write only regular files: through a symlink to one, never
 * over a FIFO, a device or a dangling link; `-` is stdout.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { InventoryDoc } from '../../store/inventory-doc.js';
import { makeWorld, mhOk, reusableWorld } from '../helpers/world.js';
import { writeLora } from '../housekeeping/helpers.js';

/** One LoRA scanned (built once, copied back for each test). */
const oneLora = reusableWorld(async (w) => {
  await writeLora(w, 'a.safetensors', { seed: 1 });
  await mhOk(w, ['scan', '-q', w.dl]);
  return {};
});

describe('output files of export and plan --out', () => {
  it('export writes through a symlink to a regular file and keeps the link', async () => {
    const { w } = await oneLora();
    mkdirSync(join(w.root, 'backups'));
    writeFileSync(join(w.root, 'backups', 'inventory.yaml'), 'old\n');
    symlinkSync('backups/inventory.yaml', join(w.root, 'inventory.yaml'));
    await mhOk(w, ['export', 'inventory.yaml']);
    expect(readlinkSync(join(w.root, 'inventory.yaml'))).toBe('backups/inventory.yaml');
    expect((parse(readFileSync(join(w.root, 'backups', 'inventory.yaml'), 'utf8')) as InventoryDoc).models).toHaveLength(1);
  });

  it('export and plan --out refuse a FIFO, a symlink to a device and a dangling symlink, and leave them as they were', async () => {
    const w = makeWorld();
    await mhOk(w, ['init']);
    execFileSync('mkfifo', [join(w.root, 'pipe')]);
    symlinkSync('/dev/null', join(w.root, 'null'));
    symlinkSync('nowhere/plan.json', join(w.root, 'dangling'));
    for (const [args, what] of [
      [['export', 'pipe'], 'is a FIFO (named pipe)'],
      [['export', 'null'], 'is a symlink to a character device (/dev/null)'],
      [['plan', '--out', 'pipe'], 'is a FIFO (named pipe)'],
      [['plan', '--out', 'dangling'], 'is a symlink to nothing'],
    ] as const) {
      const r = await mhOk(w, [...args], 1);
      expect(r.stderr).toContain(`error: ${join(w.root, args.at(-1) as string)} ${what}; ModelHub writes only regular files`);
      expect(r.stderr).toContain('hint: give the path of a regular file (or of a new one), or - for stdout');
    }
    expect(lstatSync(join(w.root, 'pipe')).isFIFO()).toBe(true);
    expect(readlinkSync(join(w.root, 'null'))).toBe('/dev/null');
    expect(readlinkSync(join(w.root, 'dangling'))).toBe('nowhere/plan.json');
  });

  it('- writes the document to stdout: export (YAML, or JSON with --json) and plan --out (the human plan goes to stderr)', async () => {
    const { w } = await oneLora();
    const yaml = await mhOk(w, ['export', '-']);
    expect((parse(yaml.stdout) as InventoryDoc).models).toHaveLength(1);
    expect(yaml.stderr).toContain('Exported 1 model to stdout (YAML).');
    const json = await mhOk(w, ['export', '-', '--json']);
    expect((JSON.parse(json.stdout) as InventoryDoc).format).toBe('modelhub-inventory/v1');
    const plan = await mhOk(w, ['plan', '--out', '-']);
    expect(JSON.parse(plan.stdout)).toMatchObject({ formatVersion: 1, hub: w.hub, changes: [] });
    expect(plan.stderr).toContain('No changes. Target folders match the manifests');
    expect(plan.stderr).toContain('Saved the plan to stdout. To perform exactly these actions, save it to a file and run: modelhub apply FILE');
  });
});
