import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOrphanContent } from '../../store/gc-content.js';
import { hubLayout } from '../../store/hub.js';
import { hashFileLine, listStore } from '../../store/store-listing.js';
import { tempDir } from '../helpers/tmp.js';
import { writeText } from '../helpers/world.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('checkOrphanContent', () => {
  it('names the file whose SHA-256 is its folder name; null when none is; skips registered folders', async () => {
    const layout = hubLayout(tempDir());
    const model = 'the bytes of a model\n';
    const good = sha(model);
    writeText(join(layout.modelsDir, good, 'model.safetensors'), model);
    writeText(join(layout.modelsDir, good, 'model.safetensors.sha256'), hashFileLine(good, 'model.safetensors'));
    writeText(join(layout.modelsDir, good, 'notes.txt'), 'a bigger file that is not the model, written by someone\n'.repeat(3));
    const bad = 'b'.repeat(64);
    writeText(join(layout.modelsDir, bad, 'damaged.safetensors'), 'bit rot\n');
    const hashOnly = 'c'.repeat(64);
    writeText(join(layout.modelsDir, hashOnly, 'x.safetensors.sha256'), hashFileLine(hashOnly, 'x.safetensors'));
    const registered = sha('registered\n');
    writeText(join(layout.modelsDir, registered, 'r.safetensors'), 'registered\n');
    const seen: number[] = [];
    const content = await checkOrphanContent(listStore(layout), new Set([registered]), { onBegin: (files, bytes) => seen.push(files, bytes) });
    expect([...content.entries()].sort()).toEqual([
      [good, 'model.safetensors'],
      [bad, null],
      [hashOnly, null],
    ].sort());
    expect(seen[0], 'hash files ModelHub wrote are not hashed').toBe(3);
  });
});
