/** One glob dialect: `list --name` (in SQL) and manifests' `name` selectors agree on every case. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesGlob } from '../../reconcile/select.js';
import { openHub } from '../../store/hub.js';
import { insertModel } from '../../store/inventory.js';
import { listModels } from '../../store/query.js';
import { tempDir } from '../helpers/tmp.js';

const NAMES = ['flux_style.safetensors', 'SDXL_detail.safetensors', 'a_b%c.safetensors', 'x?y.gguf', '[v2] lora.safetensors'];
const GLOBS = ['*', 'flux*', 'sdxl*', '*.gguf', '{flux,sdxl}_*', '[af]*', 'a_b%c*', 'x?y.gguf', '*detail*', '\\[v2\\]*'];

describe('name globs', () => {
  it('match the same names in list and in manifests', () => {
    const hub = openHub(join(tempDir(), 'hub'));
    NAMES.forEach((name, i) => insertModel(hub.db, { sha256: String(i).repeat(64).slice(0, 64), filename: name, size: 1, format: 'safetensors', container: null, unsafe: false, headerError: null }));
    for (const glob of GLOBS) {
      const listed = listModels(hub.db, { name: glob }, { sort: 'name', limit: 100, offset: 0 }).models.map((m) => m.name).sort();
      const selected = NAMES.filter((n) => matchesGlob(glob, n)).sort();
      expect(listed, glob).toEqual(selected);
    }
    expect(NAMES.filter((n) => matchesGlob('{flux,sdxl}_*', n))).toEqual(['flux_style.safetensors', 'SDXL_detail.safetensors']);
    expect(NAMES.filter((n) => matchesGlob('a_b%c*', n)), '% and _ are plain characters').toEqual(['a_b%c.safetensors']);
    hub.close();
  });
});
