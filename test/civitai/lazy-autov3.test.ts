/**
 * AutoV3 is computed when first needed, not in the scan's hashing pass: an offline scan leaves
 * it unset; an online scan computes it for the safetensors files CivitAI does not know by
 * SHA-256 and asks by it (the README's order: SHA-256 first, then AutoV3); `show` computes it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { kohyaLora } from '../fixtures/keysets.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { cli } from '../helpers/cli.js';
import { FakeCivitai } from '../helpers/fake-civitai.js';
import { tempDir } from '../helpers/tmp.js';

const servers: FakeCivitai[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** SHA-256 of the whole file, and of its bytes after the safetensors header (AutoV3). */
function hashes(file: string): { sha256: string; autov3: string } {
  const bytes = readFileSync(file);
  const payload = bytes.subarray(8 + Number(bytes.readBigUInt64LE(0)));
  return { sha256: createHash('sha256').update(bytes).digest('hex'), autov3: createHash('sha256').update(payload).digest('hex') };
}

async function downloads(): Promise<{ hub: string; dl: string; edited: string }> {
  const root = tempDir();
  const dl = join(root, 'downloads');
  mkdirSync(dl);
  const edited = join(dl, 'style (edited).safetensors');
  await writeSafetensors(edited, kohyaLora({ base: 'sdxl', rank: 4 }), { metadata: { note: 'header edited by another tool' } });
  return { hub: join(root, 'hub'), dl, edited };
}

/** The one model's recorded AutoV3. */
function recorded(hub: string): string | null {
  const db = new Database(join(hub, 'modelhub.db'), { readonly: true });
  try {
    return (db.prepare('SELECT autov3 FROM models').get() as { autov3: string | null }).autov3;
  } finally {
    db.close();
  }
}

describe('AutoV3 when first needed', () => {
  it('an online scan finds a file with an edited header by AutoV3, computed after the SHA-256 missed', async () => {
    const w = await downloads();
    const { sha256, autov3 } = hashes(w.edited);
    const fake = await FakeCivitai.start();
    servers.push(fake);
    fake.addVersion({ modelName: 'Style', type: 'LORA', baseModel: 'Pony', files: [{ sha256: 'ab'.repeat(32), autov3 }] });
    const r = await cli(['--hub', w.hub, 'scan', '--json', '--no-settle', w.dl], { online: true, env: { MODELHUB_CIVITAI_URL: fake.baseUrl } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ imported: 1, civitai: { asked: true, found: 1, notFound: 0, errors: 0 } });
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /api/v1/model-versions/by-hash', `GET /api/v1/model-versions/by-hash/${autov3.slice(0, 12).toUpperCase()}`]);
    expect(recorded(w.hub)).toBe(autov3);
    expect(sha256).not.toBe(autov3);
  });

  it('an offline scan does not compute it; show does, and records it', async () => {
    const w = await downloads();
    const { autov3 } = hashes(w.edited);
    expect((await cli(['--hub', w.hub, 'scan', '-q', '--no-settle', w.dl])).code).toBe(0);
    expect(recorded(w.hub)).toBeNull();
    const shown = await cli(['--hub', w.hub, 'show', '--json', 'style (edited).safetensors']);
    expect(shown.json()).toMatchObject({ autov3 });
    expect(recorded(w.hub)).toBe(autov3);
  });
});
