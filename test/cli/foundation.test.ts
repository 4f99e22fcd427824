import { existsSync, lstatSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSampleLibrary, type SampleFile } from '../fixtures/library.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { reusableWorld } from '../helpers/world.js';

interface Listing {
  hash: string;
  name: string;
  type: string;
  base: string;
  format: string;
  size: number;
  confidence: number;
  paths: string[];
}

async function library(): Promise<{ root: string; hub: string; dl: string; files: SampleFile[] }> {
  const root = tempDir();
  const dl = join(root, 'downloads');
  const files = await writeSampleLibrary(dl, { compact: true });
  return { root, hub: join(root, 'hub'), dl, files };
}

/** The library scanned into a hub (built once, copied back for each test). */
const scannedLibrary = reusableWorld(async (w) => {
  const files = await writeSampleLibrary(w.dl, { compact: true });
  await cli(['--hub', w.hub, 'scan', '-q', w.dl]);
  return { hub: w.hub, dl: w.dl, files };
});

describe('modelhub CLI: the foundation commands', () => {
  it('lists every command with a one-line description', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['init', 'scan', 'inspect', 'list', 'show', 'stats']) expect(r.stdout).toMatch(new RegExp(`\\n  ${cmd}\\b.*\\S`));
    expect(r.stdout).toContain('--hub <dir>');
  });

  it('init creates the hub: both databases and the store', async () => {
    const hub = join(tempDir(), 'hub');
    const r = await cli(['--hub', hub, 'init']);
    expect(r.code).toBe(0);
    for (const f of ['modelhub.db', 'classification.db', 'models']) expect(existsSync(join(hub, f))).toBe(true);
  });

  it('inspect classifies files in place, without a hub, and reports unreadable ones', async () => {
    const { root, dl, files } = await library();
    const paths = files.map((f) => join(dl, f.path));
    const r = await cli(['inspect', '--json', ...paths], { cwd: root, env: { HOME: root } });
    expect(r.code).toBe(1); // the broken download
    const out = r.json<Array<Record<string, unknown>>>();
    expect(out).toHaveLength(files.length);
    files.forEach((f, i) => {
      const item = out[i] as Record<string, unknown>;
      expect(item.path).toBe(join(dl, f.path));
      if (f.expect === undefined) {
        expect(item.error).toMatchObject({ code: 'ERR_MODELHUB_UNKNOWN_FORMAT' });
      } else {
        expect(item, f.path).toMatchObject({ type: f.expect.type, base: f.expect.base });
        expect(Object.keys(item)).toEqual(expect.arrayContaining(['format', 'variant', 'confidence', 'evidence']));
      }
    });
    expect(existsSync(join(root, 'modelhub'))).toBe(false);
    expect(lstatSync(paths[0] as string).isFile()).toBe(true);
  });

  it('scan imports, deduplicates, fails the bad file and says so in its exit code', async () => {
    const { hub, dl, files } = await library();
    const r = await cli(['--hub', hub, 'scan', '--json', dl]);
    expect(r.code).toBe(1);
    const report = r.json<{ imported: number; duplicates: number; unchanged: number; failed: number; failures: Array<{ path: string; reason: string }> }>();
    expect(report).toMatchObject({ imported: files.length - 2, duplicates: 1, unchanged: 0, failed: 1 });
    expect(report.failures[0]?.path).toBe(join(dl, 'loras/broken_download.safetensors'));
    expect(report.failures[0]?.reason).toMatch(/HTML/);
    expect(realpathSync(join(dl, 'loras/xl_style.safetensors'))).toBe(realpathSync(join(dl, 'downloads-old/xl_style (1).safetensors')));

    const again = await cli(['--hub', hub, 'scan', '--json', dl]);
    expect(again.json()).toMatchObject({ imported: 0, duplicates: 0, unchanged: files.length - 1, failed: 1 });
  });

  it('list, show and stats read the inventory', async () => {
    const { hub, dl, files } = await scannedLibrary();
    const all = (await cli(['--hub', hub, 'list', '--json'])).json<Listing[]>();
    expect(all).toHaveLength(files.length - 2);
    for (const m of all) expect(Object.keys(m)).toEqual(expect.arrayContaining(['hash', 'name', 'type', 'base', 'format', 'size', 'confidence', 'paths']));
    const flux = all.find((m) => m.name === 'xl_style.safetensors' || m.name === 'xl_style (1).safetensors');
    expect(flux).toMatchObject({ type: 'lora', base: 'flux', format: 'safetensors' });
    expect(flux?.paths.sort()).toEqual([join(dl, 'downloads-old/xl_style (1).safetensors'), join(dl, 'loras/xl_style.safetensors')]);

    const loras = (await cli(['--hub', hub, 'list', '--json', '--type', 'lora', '--sort', 'size'])).json<Listing[]>();
    expect(loras.map((m) => m.base)).toEqual(['wan', 'flux', 'pony']);
    expect((await cli(['--hub', hub, 'list', '--json', '--name', '*ultra*'])).json<Listing[]>().map((m) => m.name)).toEqual(['4x-UltraSharp.pth']);
    const page = (await cli(['--hub', hub, 'list', '--json', '--limit', '2', '--page', '2'])).json<Listing[]>();
    expect(page.map((m) => m.name)).toEqual(all.slice(2, 4).map((m) => m.name));

    const human = await cli(['--hub', hub, 'list']);
    expect(human.stdout).toMatch(/HASH\s+NAME\s+TYPE\s+BASE/);

    const shown = (await cli(['--hub', hub, 'show', '--json', (flux as Listing).hash.slice(0, 8)])).json<{ metadata: unknown[]; evidence: Array<{ method: string }>; autov2: string }>();
    expect(shown.evidence.map((e) => e.method)).toContain('tensors');
    expect(shown.autov2).toBe((flux as Listing).hash.slice(0, 10).toUpperCase());
    const pony = (await cli(['--hub', hub, 'show', '--json', 'ponyStyle_v2.safetensors'])).json<{ metadata: Array<{ key: string; value: string }> }>();
    expect(pony.metadata.find((m) => m.key === 'ss_network_module')?.value).toBe('networks.lora');
    const showHuman = await cli(['--hub', hub, 'show', 'ponyStyle_v2.safetensors']);
    expect(showHuman.stdout).toContain('classification evidence');

    const stats = (await cli(['--hub', hub, 'stats', '--json'])).json<{ models: number; byType: Array<{ key: string; count: number }>; savedBytes: number }>();
    expect(stats.models).toBe(files.length - 2);
    expect(stats.byType.find((b) => b.key === 'lora')?.count).toBe(3);
    expect(stats.savedBytes).toBe((flux as Listing).size);
  });

  it('errors are one clear line with a hint, never a stack trace', async () => {
    const { hub } = await scannedLibrary();
    const r = await cli(['--hub', hub, 'show', 'no-such-model']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: no model matches "no-such-model"\nhint: run `modelhub list` to see the names and hashes (a model is also found by any of its source names or paths)\n');
    const noHub = await cli(['--hub', join(tempDir(), 'nothing'), 'show', 'abc123']);
    expect(noHub.stderr).toMatch(/^error: no hub at .*; run `modelhub init` or check --hub\nhint: `modelhub init`/);
    const cfg = join(tempDir(), 'bad.yaml');
    writeFileSync(cfg, 'hub: /tmp/x\nsymlink: false\n');
    const badConfig = await cli(['--config', cfg, 'list']);
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toContain(`${cfg}:2:1: unknown key "symlink"`);
    const json = await cli(['--hub', hub, '--json', 'show', 'nope']);
    expect(json.json()).toMatchObject({ error: { code: 'ERR_MODELHUB_MODEL_NOT_FOUND' } });
  });

  it('scan --dry-run and --copy leave the downloads as they were', async () => {
    const { hub, dl } = await library();
    const file = join(dl, 'vae/sdxl_vae.safetensors');
    const before = readFileSync(file);
    await cli(['--hub', hub, 'init']);
    const dry = await cli(['--hub', hub, 'scan', '--dry-run', dl]);
    expect(dry.stdout).toMatch(/Dry run \(link\): \d+ to import/);
    expect(lstatSync(file).isFile()).toBe(true);
    const copy = await cli(['--hub', hub, 'scan', '--copy', '--json', dl]);
    expect(copy.json()).toMatchObject({ mode: 'copy', failed: 1 });
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
