/**
 * The human views of `list` and `stats`, pinned over small hand-made data (no temp paths, stable
 * hashes), the way changesets pins its output: a change to a view shows up as a diff here.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderModelList } from '../../cmd/render/list.js';
import { renderStats } from '../../cmd/render/stats.js';
import type { ModelListing } from '../../store/query.js';

const plain = new Chalk({ level: 0 });

function listing(over: Partial<ModelListing>): ModelListing {
  return { hash: 'a'.repeat(64), name: 'x.safetensors', type: 'lora', base: 'sdxl', variant: 'lora', format: 'safetensors', size: 151_000_000, confidence: 0.93, paths: ['/dl/x.safetensors'], deleted: false, civitai: false, unsafe: false, added: '2026-01-01T00:00:00Z', ...over };
}

describe('list view', () => {
  it('lays out a page with flags, deleted rows and the page line; escapes names', () => {
    const models = [
      listing({}),
      listing({ hash: 'b'.repeat(64), name: 'payload\x1b[31m.ckpt', type: 'checkpoint', base: 'sd15', variant: null, format: 'ckpt', size: 2_100_000_000, confidence: 1, unsafe: true }),
      listing({ hash: 'c'.repeat(64), name: 'old.safetensors', type: 'unknown', base: 'unknown', variant: null, confidence: 0.2, deleted: true }),
    ];
    expect(renderModelList({ models, total: 7, page: 1, limit: 3 }, plain, { quiet: false })).toMatchInlineSnapshot(`
      "HASH          NAME                TYPE        BASE     VARIANT  FORMAT         SIZE  CONF    PATHS  FLAGS
      aaaaaaaaaaaa  x.safetensors       lora        sdxl     lora     safetensors  151 MB   93%        1
      bbbbbbbbbbbb  payload\\e[31m.ckpt  checkpoint  sd15              ckpt         2.1 GB  100%        1  unsafe
      cccccccccccc  old.safetensors     unknown     unknown           safetensors  151 MB   20%  deleted
      3 of 7 models (page 1 of 3; --page N for more)"
    `);
  });

  it('says what to do when nothing matches, and when the page is past the end', () => {
    expect(renderModelList({ models: [], total: 0, page: 1, limit: 10 }, plain, { quiet: false })).toBe('No models match. Add some with `modelhub scan PATH`.');
    expect(renderModelList({ models: [], total: 4, page: 3, limit: 2 }, plain, { quiet: true })).toBe('Page 3 is past the end (4 models).');
  });
});

describe('stats view', () => {
  it('shows totals, the three breakdowns, deduplication and soft-deleted models', () => {
    const out = renderStats(
      {
        models: 3,
        bytes: 7_300_000_000,
        byType: [
          { key: 'checkpoint', count: 1, bytes: 6_900_000_000 },
          { key: 'lora', count: 2, bytes: 400_000_000 },
        ],
        byBase: [{ key: 'sdxl', count: 3, bytes: 7_300_000_000 }],
        byFormat: [{ key: 'safetensors', count: 3, bytes: 7_300_000_000 }],
        linkedPaths: 4,
        savedBytes: 153_000_000,
        deleted: { count: 1, bytes: 2_000_000 },
      },
      plain,
      { modelsDir: '<hub>/models' },
    );
    expect(out).toMatchInlineSnapshot(`
      "3 models, 7.3 GB in <hub>/models

      type
      TYPE        MODELS    SIZE
      checkpoint       1  6.9 GB
      lora             2  400 MB

      base
      BASE  MODELS    SIZE
      sdxl       3  7.3 GB

      format
      FORMAT       MODELS    SIZE
      safetensors       3  7.3 GB

      Deduplication: 4 source paths served by the store; 153 MB saved.
      Soft-deleted: 1 model, 2.0 MB (see \`modelhub gc\`)."
    `);
  });
});
