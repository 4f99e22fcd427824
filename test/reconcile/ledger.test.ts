import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordedLinks, sqliteLedger } from '../../reconcile/ledger.js';
import { openHub } from '../../store/hub.js';
import { INVENTORY_MIGRATIONS } from '../../store/migrations.js';
import { tempDir } from '../helpers/tmp.js';

describe('deploy_links inodes (inventory migration 4)', () => {
  it('keeps links recorded before inodes were kept, with the inode unknown (NULL), and records inodes from then on', () => {
    const root = join(tempDir(), 'hub');
    mkdirSync(root);
    const old = new Database(join(root, 'modelhub.db'));
    for (const m of INVENTORY_MIGRATIONS.filter((x) => x.version <= 3)) old.exec(m.sql);
    old.pragma('user_version = 3');
    old.prepare("INSERT INTO deploy_links (target, link_path, link_target, model_sha256, deployment) VALUES ('comfy', '/apps/a', '/hub/models/h/a', 'h', 'all')").run();
    old.close();

    const hub = openHub(root);
    expect(readRecordedLinks(hub.db)).toEqual([{ target: 'comfy', path: '/apps/a', linkTarget: '/hub/models/h/a', hash: 'h', deployment: 'all', dev: null, ino: null, declaredPath: null, companionOf: null }]);
    const ledger = sqliteLedger(hub.db);
    ledger.recordLink({ target: 'comfy', path: '/apps/a', linkTarget: '/hub/models/h/a', hash: 'h', deployment: 'all', dev: 2049, ino: 123456 });
    expect(ledger.findLink('/apps/a')).toMatchObject({ dev: 2049, ino: 123456 });
    ledger.flush();
    expect(readRecordedLinks(hub.db)[0]).toMatchObject({ dev: 2049, ino: 123456 });
    hub.close();
  });
});

describe('sqliteLedger batches', () => {
  it('holds an apply of thousands of links in one transaction: another connection sees none of them before flush, all after', () => {
    const root = join(tempDir(), 'hub');
    const hub = openHub(root);
    const reader = new Database(join(root, 'modelhub.db'), { readonly: true });
    const count = (): number => (reader.prepare('SELECT count(*) AS n FROM deploy_links').get() as { n: number }).n;
    const ledger = sqliteLedger(hub.db);
    for (let i = 0; i < 5000; i++) ledger.recordLink({ target: 'comfy', path: `/apps/loras/m${i}.safetensors`, linkTarget: `/hub/models/h${i}/m${i}.safetensors`, hash: `h${i}`, deployment: 'all', dev: 1, ino: i });
    expect(ledger.findLink('/apps/loras/m4999.safetensors')).toMatchObject({ ino: 4999 });
    expect(count()).toBe(0);
    ledger.flush();
    expect(count()).toBe(5000);
    reader.close();
    hub.close();
  });
});
