/** The pure planners, with plain in-memory inputs. */
import { describe, expect, it } from 'vitest';
import { combinePrunePlans, planLinkPrune, type LinkPruneInput } from '../../reconcile/prune.js';
import { planLinkBackPrune, type LinkBackPruneInput } from '../../store/link-back-prune.js';
import { planGc, type GcInput } from '../../store/gc.js';
import { planHashFiles, type HashFilesInput, type HashFileTarget } from '../../store/hashfiles.js';
import { planImport, type ImportInput } from '../../store/import-inventory.js';
import { INVENTORY_FORMAT, type InventoryDocModel } from '../../store/inventory-doc.js';
import { hashFileLine, type StoreEntry, type StoreListing } from '../../store/store-listing.js';
import { planVerify, type VerifyRow } from '../../store/verify.js';

const H = (c: string): string => c.repeat(64);
const file = (dir: string, name: string, size: number, kind: 'file' | 'dir' | 'symlink' = 'file') => ({ name, path: `${dir}/${name}`, kind, size, mode: 0o444, mtimeNs: '1000' });
const entry = (hash: string, files: Array<[string, number, ('file' | 'dir' | 'symlink')?]>): StoreEntry => ({ hash, dir: `/hub/models/${hash}`, files: files.map(([n, s, k]) => file(`/hub/models/${hash}`, n, s, k)) });
const listing = (entries: StoreEntry[], extra: Partial<StoreListing> = {}): StoreListing => ({ entries: new Map(entries.map((e) => [e.hash, e])), other: [], staging: [], ...extra });

describe('planGc', () => {
  const base: GcInput = {
    models: [
      { hash: H('a'), name: 'live.safetensors', size: 10, deleted: false },
      { hash: H('b'), name: 'gone.safetensors', size: 20, deleted: true },
      { hash: H('c'), name: 'used.safetensors', size: 30, deleted: true },
      { hash: H('d'), name: 'record-only.safetensors', size: 40, deleted: true },
    ],
    store: listing([entry(H('a'), [['live.safetensors', 10]]), entry(H('b'), [['gone.safetensors', 20], ['gone.safetensors.sha256', 84]]), entry(H('c'), [['used.safetensors', 30]]), entry(H('e'), [['x.bin', 5], ['sub', 0, 'dir']]), entry(H('f'), [['lost.safetensors', 50]])], {
      other: [{ path: '/hub/models/notes.txt', kind: 'file', size: 3 }],
      staging: [
        { path: '/hub/models/.tmp/old.partial', kind: 'file', size: 7, mtimeMs: 0 },
        { path: '/hub/models/.tmp/new.partial', kind: 'file', size: 8, mtimeMs: 100 * 86400000 },
        { path: '/hub/models/.tmp/old.other', kind: 'file', size: 9, mtimeMs: 0 },
        { path: '/hub/models/.tmp/dead.partial', kind: 'file', size: 10, mtimeMs: 100 * 86400000 },
        { path: '/hub/models/.tmp/alive.partial', kind: 'file', size: 11, mtimeMs: 0 },
      ],
    }),
    deployLinks: [{ path: '/apps/loras/used.safetensors', hash: H('c'), target: 'comfy' }],
    linkBacks: [{ path: '/dl/used.safetensors', hash: H('c') }],
    now: 100 * 86400000 + 1000,
    orphanContent: new Map([[H('e'), null], [H('f'), 'lost.safetensors']]),
    stagingOwners: new Map([
      ['/hub/models/.tmp/dead.partial', { state: 'dead', pid: 9 }],
      ['/hub/models/.tmp/alive.partial', { state: 'alive', pid: 10 }],
    ]),
    orphans: false,
    modelsDir: '/hub/models',
  };

  it('removes deleted models and staging files of dead owners (or ownerless and old); keeps orphans; refuses deployed, linked-back and odd folders', () => {
    const plan = planGc(base);
    expect(plan.remove.map((r) => [r.hash[0], r.reason, r.bytes, r.files.length])).toEqual([
      ['b', 'deleted', 104, 2],
      ['d', 'deleted', 0, 0],
    ]);
    expect(plan.kept.map((k) => [k.hash[0], k.reason, k.name, k.checked])).toEqual([['f', 'unregistered', 'lost.safetensors', true]]);
    expect(plan.refused.map((r) => [r.hash[0], r.reason, r.deployed.length, r.linkBacks.length, r.unexpected])).toEqual([
      ['c', 'deleted', 1, 1, []],
      ['e', 'orphan', 0, 0, [`/hub/models/${H('e')}/sub`]],
    ]);
    expect(plan.staging.map((s) => s.path)).toEqual(['/hub/models/.tmp/old.partial', '/hub/models/.tmp/dead.partial']);
    expect(plan.stagingKept.map((s) => [s.path, s.owner.state])).toEqual([
      ['/hub/models/.tmp/new.partial', 'unknown'],
      ['/hub/models/.tmp/old.other', 'unknown'],
      ['/hub/models/.tmp/alive.partial', 'alive'],
    ]);
    expect(plan.bytes).toBe(104 + 7 + 10);
  });

  it('with --orphans removes orphans that were checked, and never one that was not', () => {
    expect(planGc({ ...base, orphans: true }).remove.map((r) => [r.hash[0], r.reason])).toEqual([['b', 'deleted'], ['d', 'deleted'], ['f', 'unregistered']]);
    const unchecked = planGc({ ...base, orphans: true, orphanContent: new Map() });
    expect(unchecked.kept.map((k) => [k.hash[0], k.reason, k.checked])).toEqual([['f', 'orphan', false]]);
    const empty = planGc({ ...base, store: listing([entry(H('9'), [])]), models: [], orphanContent: new Map() });
    expect(empty.remove.map((r) => [r.hash[0], r.reason, r.name])).toEqual([['9', 'orphan', '(empty folder)']]);
  });

  it('restricted to some hashes, plans only those and no staging files', () => {
    const plan = planGc({ ...base, only: new Set([H('b')]) });
    expect(plan.remove.map((r) => r.hash)).toEqual([H('b')]);
    expect(plan.refused).toEqual([]);
    expect(plan.staging).toEqual([]);
  });
});

describe('planLinkPrune, planLinkBackPrune', () => {
  it('proposes only owned broken links and recorded link-backs of gone or deleted models', () => {
    const links: LinkPruneInput = {
      deployLinks: [
        { target: 't', path: '/apps/a', linkTarget: '/hub/models/x/a', hash: H('a'), deployment: 'd', dev: null, ino: null, observed: { kind: 'symlink', text: '/hub/models/x/a' }, resolves: false, intoStore: true },
        { target: 't', path: '/apps/b', linkTarget: '/hub/models/x/b', hash: H('b'), deployment: 'd', dev: null, ino: null, observed: { kind: 'symlink', text: '/elsewhere' }, resolves: false, intoStore: true },
        { target: 't', path: '/apps/moved', linkTarget: '/old-hub/models/x/m', hash: H('m'), deployment: 'd', dev: null, ino: null, observed: { kind: 'symlink', text: '/old-hub/models/x/m' }, resolves: false, intoStore: false },
        { target: 't', path: '/apps/c', linkTarget: '/hub/models/x/c', hash: H('c'), deployment: 'd', dev: null, ino: null, observed: { kind: 'symlink', text: '/hub/models/x/c' }, resolves: true, intoStore: true },
      ],
      broken: [{ path: '/apps/a', text: '/hub/models/x/a' }, { path: '/apps/b', text: '/elsewhere' }, { path: '/dl/a', text: '/hub/models/x/a' }],
      modelNames: new Map([[H('a'), 'a.safetensors']]),
    };
    const backs: LinkBackPruneInput = {
      linkBacks: [
        { path: '/dl/a', hash: H('a'), name: 'a', text: '/hub/models/x/a', targetExists: false, deleted: false },
        { path: '/dl/d', hash: H('d'), name: 'd', text: '/hub/models/x/d', targetExists: true, deleted: true },
        { path: '/dl/e', hash: H('e'), name: 'e', text: '/hub/models/x/e', targetExists: true, deleted: false },
      ],
      broken: [{ path: '/dl/a', text: '/hub/models/x/a' }, { path: '/apps/b', text: '/elsewhere' }],
    };
    const plan = combinePrunePlans(planLinkPrune(links), planLinkBackPrune(backs));
    expect(plan.links.map((l) => [l.path, l.name])).toEqual([['/apps/a', 'a.safetensors']]);
    expect(plan.linkBacks.map((l) => [l.path, l.reason])).toEqual([['/dl/a', 'store-file-missing'], ['/dl/d', 'model-deleted']]);
    expect(plan.foreign).toEqual([{ path: '/apps/b', text: '/elsewhere' }]);
  });
});

describe('planHashFiles', () => {
  const t = (name: string): HashFileTarget => ({ hash: H('a'), name, file: `/s/${name}`, hashFile: `/s/${name}.sha256`, line: hashFileLine(H('a'), name), where: 'store' });
  it('writes new files, rewrites only its own unchanged ones, and reports anything else', () => {
    const input: HashFilesInput = {
      targets: [
        { ...t('new'), existing: { kind: 'absent' } },
        { ...t('same'), existing: { kind: 'file', text: hashFileLine(H('a'), 'same') } },
        { ...t('mine'), existing: { kind: 'file', text: 'old line\n' } },
        { ...t('edited'), existing: { kind: 'file', text: 'edited by hand\n' } },
        { ...t('theirs'), existing: { kind: 'file', text: 'theirs\n' } },
        { ...t('dir'), existing: { kind: 'other', what: 'a folder' } },
      ],
      recorded: new Map([
        ['/s/mine.sha256', 'old line\n'],
        ['/s/edited.sha256', 'what ModelHub wrote\n'],
      ]),
      skipped: [],
    };
    const plan = planHashFiles(input);
    expect(plan.write.map((w) => [w.name, w.how])).toEqual([['new', 'new'], ['mine', 'rewrite']]);
    expect(plan.unchanged.map((u) => u.name)).toEqual(['same']);
    expect(plan.conflicts.map((c) => [c.name, c.found])).toEqual([
      ['edited', 'a hash file ModelHub did not write: edited by hand'],
      ['theirs', 'a hash file ModelHub did not write: theirs'],
      ['dir', 'a folder'],
    ]);
  });

  it('escapes names the way GNU sha256sum does', () => {
    expect(hashFileLine(H('a'), 'plain.safetensors')).toBe(`${H('a')}  plain.safetensors\n`);
    expect(hashFileLine(H('a'), 'back\\slash\nnl')).toBe(`\\${H('a')}  back\\\\slash\\nnl\n`);
  });
});

describe('planImport', () => {
  const docModel = (hash: string, over: Partial<InventoryDocModel> = {}): InventoryDocModel => ({
    hash, name: 'm.safetensors', size: 100, format: 'safetensors', type: 'lora', base: 'flux', variant: null, confidence: 0.8, autov2: null, autov3: null, unsafe: false, deleted: false,
    metadata: { header: { a: '1', b: '2' }, civitai: { name: 'x' } }, sources: [], deployments: [], ...over,
  });
  it('adds only what is missing, local data wins, unknown models are reported', () => {
    const input: ImportInput = {
      doc: {
        format: INVENTORY_FORMAT,
        models: [
          docModel(H('a'), { sources: [{ path: '/l', state: 'linked' }, { path: '/c', state: 'copied' }, { path: '/m', state: 'moved' }, { path: '/known', state: 'linked' }, { path: '/wrong', state: 'linked' }] }),
          docModel(H('b')),
          docModel(H('c')),
          docModel(H('d'), { type: 'unknown' }),
        ],
      },
      local: new Map([
        [H('a'), { hash: H('a'), name: 'mine.safetensors', type: 'unknown', overridden: false, metadata: new Set(['header\0a']) }],
        [H('b'), { hash: H('b'), name: 'b.safetensors', type: 'unknown', overridden: true, metadata: new Set(['header\0a', 'header\0b', 'civitai\0name']) }],
        [H('d'), { hash: H('d'), name: 'd.safetensors', type: 'unknown', overridden: false, metadata: new Set(['header\0a', 'header\0b', 'civitai\0name']) }],
      ]),
      knownPaths: new Set(['/known']),
      pathFacts: new Map([
        ['/l', { kind: 'store-link', hash: H('a') }],
        ['/c', { kind: 'file', size: 100 }],
        ['/wrong', { kind: 'store-link', hash: H('z') }],
      ]),
      orphans: new Set([H('c')]),
    };
    const plan = planImport(input);
    expect(plan.summary).toEqual({ models: 4, matched: 3, classified: 1, metadata: 2, sources: 2, unknown: 1 });
    const a = plan.merges.find((m) => m.hash === H('a'));
    expect(a?.classification).toEqual({ type: 'lora', base: 'flux', variant: null, confidence: 0.8 });
    expect(a?.metadata).toEqual([{ source: 'header', key: 'b', value: '2' }, { source: 'civitai', key: 'name', value: 'x' }]);
    expect(a?.sources).toEqual([{ path: '/l', state: 'linked' }, { path: '/c', state: 'copied' }]);
    expect(a?.skippedSources.map((s) => s.path)).toEqual(['/m', '/wrong']);
    expect(plan.merges.map((m) => m.hash)).toEqual([H('a')]);
    expect(plan.unknown).toEqual([{ hash: H('c'), name: 'm.safetensors', size: 100, inStore: true }]);
  });
});

describe('planVerify', () => {
  const row = (hash: string, name: string, size: number, mtimeNs: string | null = '1000'): VerifyRow => ({ hash, name, size, deleted: false, mtimeNs, copies: [] });
  const input = (rows: VerifyRow[], store: StoreListing) => ({ rows, listing: store, recordedHashFiles: new Set<string>(), storeFile: (r: VerifyRow) => `/hub/models/${r.hash}/${r.name}` });
  it('hashes present files of the right size and sorts out the rest without reading them', () => {
    const store = listing([entry(H('a'), [['a', 10], ['a.sha256', 84]]), entry(H('b'), [['b', 11]]), entry(H('e'), [['e', 1]])]);
    const a = store.entries.get(H('a'));
    if (a?.files[1]) a.files[1].text = hashFileLine(H('a'), 'a');
    const { report, toHash } = planVerify(input([row(H('a'), 'a', 10), row(H('b'), 'b', 12), row(H('c'), 'c', 1)], store), { fast: false, scope: 'store' });
    expect(toHash.map((c) => c.hash)).toEqual([H('a')]);
    expect(report.corrupted.map((c) => [c.hash, c.reason])).toEqual([[H('b'), 'size-mismatch']]);
    expect(report.missing.map((m) => m.hash)).toEqual([H('c')]);
    expect(report.unexpected.map((u) => u.path)).toEqual([`/hub/models/${H('e')}`]);
  });
});
