import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelHeader } from '../../formats/read.js';
import { FileSource } from '../../formats/source.js';
import { readZipDirectory } from '../../formats/zip.js';
import { orderedDict, pickleGlobal, tensor, writeRawPickle, writeTorchLegacy, writeTorchZip } from '../fixtures/writers.js';
import { expectReadError } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

const SD_CKPT = {
  state_dict: {
    'model.diffusion_model.input_blocks.0.0.weight': tensor([320, 4, 3, 3]),
    'first_stage_model.decoder.conv_in.weight': tensor([512, 4, 3, 3], 'F32'),
    'cond_stage_model.transformer.text_model.embeddings.position_ids': tensor([1, 77], 'I64'),
  },
  global_step: 840000,
  epoch: 6,
};

describe('readModelHeader: PyTorch zip checkpoints', () => {
  it('reads tensors with joined names and top-level scalars as metadata', async () => {
    const path = join(tempDir(), 'sd15.ckpt');
    await writeTorchZip(path, SD_CKPT);
    const h = await readModelHeader(path);
    expect(h).toMatchObject({ format: 'ckpt', container: 'torch-zip', dataOffset: 0, unsafeGlobals: [], warnings: [] });
    expect(h.tensors).toEqual([
      { name: 'state_dict.model.diffusion_model.input_blocks.0.0.weight', dtype: 'F16', shape: [320, 4, 3, 3] },
      { name: 'state_dict.first_stage_model.decoder.conv_in.weight', dtype: 'F32', shape: [512, 4, 3, 3] },
      { name: 'state_dict.cond_stage_model.transformer.text_model.embeddings.position_ids', dtype: 'I64', shape: [1, 77] },
    ]);
    expect(h.metadata).toEqual({ global_step: 840000, epoch: 6 });
    expect(h.bytesRead).toBeLessThan(h.size);
  });

  it('writes valid CRCs and 64-byte aligned storages, and reads protocol-4 data.pkl', async () => {
    const path = join(tempDir(), 'model.pth');
    await writeTorchZip(path, { 'w': tensor([3, 5], 'F32'), b: tensor([5], 'BF16') }, { fill: 'random', seed: 3, protocol: 4, root: 'model' });
    const source = await FileSource.open(path);
    try {
      const { entries } = await readZipDirectory(source);
      expect(entries.map((e) => e.name)).toEqual(['model/data.pkl', 'model/byteorder', 'model/data/0', 'model/data/1', 'model/version', 'model/.data/serialization_id']);
      const { crc32 } = await import('../fixtures/crc32.js');
      const bytes = readFileSync(path);
      for (const e of entries) {
        const at = e.localHeaderOffset + 30 + bytes.readUInt16LE(e.localHeaderOffset + 26) + bytes.readUInt16LE(e.localHeaderOffset + 28);
        expect(crc32(bytes.subarray(at, at + e.size))).toBe(e.crc32);
        if (e.name.includes('/data/')) expect(at % 64).toBe(0);
      }
    } finally {
      await source.close();
    }
    const h = await readModelHeader(path);
    expect(h.format).toBe('pth');
    expect(h.tensors).toEqual([{ name: 'w', dtype: 'F32', shape: [3, 5] }, { name: 'b', dtype: 'BF16', shape: [5] }]);
  });

  it('reads ZIP64 archives: a 5 GB sparse storage and a forced ZIP64 small archive', async () => {
    const dir = tempDir();
    const big = join(dir, 'big.ckpt');
    await writeTorchZip(big, { state_dict: { 'model.diffusion_model.out.weight': tensor([50_000, 50_000]), 'tail.bias': tensor([4]) } });
    expect(statSync(big).size).toBeGreaterThan(2 ** 32);
    const source = await FileSource.open(big);
    try {
      expect((await readZipDirectory(source)).zip64).toBe(true);
    } finally {
      await source.close();
    }
    const h = await readModelHeader(big);
    expect(h.tensors.map((t) => t.name)).toEqual(['state_dict.model.diffusion_model.out.weight', 'state_dict.tail.bias']);
    expect(h.warnings).toEqual([]);
    expect(h.bytesRead).toBeLessThan(64 * 1024);

    const small = join(dir, 'small.ckpt');
    await writeTorchZip(small, SD_CKPT, { zip64: true });
    expect((await readModelHeader(small)).tensors).toHaveLength(3);
  });

  it('grows an archive to an exact size with an unreferenced storage and stays valid', async () => {
    const path = join(tempDir(), 'sized.ckpt');
    await writeTorchZip(path, SD_CKPT, { size: 2_000_000_000 });
    expect(statSync(path).size).toBe(2_000_000_000);
    const h = await readModelHeader(path);
    expect(h.tensors).toHaveLength(3);
    expect(h.warnings).toEqual([]);
  });

  it('marks TorchScript archives and warns about unexpected entries', async () => {
    const path = join(tempDir(), 'scripted.pt');
    await writeTorchZip(path, { w: tensor([2]) }, {
      extraEntries: { 'archive/code/__torch__/model.py': Buffer.from('def forward(self): ...\n'), 'archive/constants.pkl': Buffer.from('\x80\x02).', 'latin1') },
    });
    const h = await readModelHeader(path);
    expect(h.metadata.torchscript).toBe(true);
    expect(h.warnings.join('\n')).toMatch(/TorchScript archive.*code\/__torch__\/model\.py/);
  });

  it('ignores the _metadata attribute state_dict() attaches with BUILD', async () => {
    const path = join(tempDir(), 'meta.pt');
    const sd = orderedDict({ 'a.weight': tensor([2, 2]) }, { _metadata: orderedDict({ '': { version: 1 }, a: { version: 1 } }) });
    await writeTorchZip(path, sd);
    const h = await readModelHeader(path);
    expect(h.tensors).toEqual([{ name: 'a.weight', dtype: 'F16', shape: [2, 2] }]);
    expect(h.metadata).toEqual({});
  });

  it('reports a truncated archive, a missing data.pkl and a compressed data.pkl', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.ckpt');
    await writeTorchZip(good, SD_CKPT, { fill: 'random' });
    const bytes = readFileSync(good);
    for (const cut of [4, 100, Math.floor(bytes.length / 2), bytes.length - 23, bytes.length - 1]) {
      const path = join(dir, `cut-${cut}.ckpt`);
      writeFileSync(path, bytes.subarray(0, cut));
      await expectReadError(path, 'ERR_MODELHUB_TRUNCATED');
    }

    const noPkl = join(dir, 'nopkl.ckpt');
    await writeTorchZip(noPkl, SD_CKPT, { root: 'a/b' });
    await expectReadError(noPkl, 'ERR_MODELHUB_UNKNOWN_FORMAT', /without <root>\/data\.pkl/);

    const compressed = join(dir, 'deflated.ckpt');
    const patched = Buffer.from(bytes);
    patched.writeUInt16LE(8, patched.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10);
    writeFileSync(compressed, patched);
    await expectReadError(compressed, 'ERR_MODELHUB_UNSUPPORTED', /compressed \(zip method 8\)/);
  });

  it('flags an unsafe global inside data.pkl and still lists the tensors', async () => {
    const dir = tempDir();
    const marker = join(dir, 'pwned');
    const path = join(dir, 'evil.ckpt');
    await writeTorchZip(path, { state_dict: { 'w': tensor([4]) }, payload: pickleGlobal('posix', 'system', [`touch ${marker}`]) });
    const h = await readModelHeader(path);
    expect(h.unsafeGlobals).toEqual(['posix.system']);
    expect(h.tensors).toEqual([{ name: 'state_dict.w', dtype: 'F16', shape: [4] }]);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('readModelHeader: legacy torch and raw pickles', () => {
  it('reads a pre-1.6 textual-inversion embedding', async () => {
    const path = join(tempDir(), 'emb.pt');
    await writeTorchLegacy(path, {
      string_to_token: { '*': 265 },
      string_to_param: { '*': tensor([4, 768], 'F32') },
      name: 'my-style',
      step: 3000,
      sd_checkpoint: 'a9263745',
      sd_checkpoint_name: 'v1-5-pruned-emaonly',
    });
    const h = await readModelHeader(path);
    expect(h).toMatchObject({ container: 'torch-legacy', format: 'pt', unsafeGlobals: [], warnings: [] });
    expect(h.tensors).toEqual([{ name: 'string_to_param.*', dtype: 'F32', shape: [4, 768] }]);
    expect(h.metadata).toEqual({ 'string_to_token.*': 265, name: 'my-style', step: 3000, sd_checkpoint: 'a9263745', sd_checkpoint_name: 'v1-5-pruned-emaonly' });
  });

  it('reads a legacy hypernetwork with int keys, extended by a sparse hole', async () => {
    const path = join(tempDir(), 'hn.pt');
    const layer = { 'linear.0.weight': tensor([1536, 768], 'F32'), 'linear.0.bias': tensor([1536], 'F32') };
    await writeTorchLegacy(path, new Map<string | number, Parameters<typeof writeTorchLegacy>[1]>([[768, [layer]], ['name', 'hn'], ['step', 5]]), { size: 50_000_000 });
    const h = await readModelHeader(path);
    expect(h.size).toBe(50_000_000);
    expect(h.tensors.map((t) => t.name)).toEqual(['768.0.linear.0.weight', '768.0.linear.0.bias']);
    expect(h.metadata).toEqual({ name: 'hn', step: 5 });
  });

  it('reports a damaged legacy magic and truncated legacy pickles', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.pt');
    await writeTorchLegacy(good, { w: tensor([2]) });
    const bytes = readFileSync(good);
    const objectStart = bytes.indexOf(Buffer.from('\x80\x02}', 'latin1'), 20);
    for (const cut of [16, 20, objectStart + 5]) {
      const path = join(dir, `cut-${cut}.pt`);
      writeFileSync(path, bytes.subarray(0, cut));
      await expectReadError(path, 'ERR_MODELHUB_TRUNCATED');
    }
    const wrongProtocol = join(dir, 'proto.pt');
    const patched = Buffer.from(bytes);
    patched.writeUInt16LE(1002, 18);
    writeFileSync(wrongProtocol, patched);
    await expectReadError(wrongProtocol, 'ERR_MODELHUB_UNSUPPORTED', /protocol 1002/);
  });

  it('scans a raw pickle with os.system without running it', async () => {
    const dir = tempDir();
    const marker = join(dir, 'created-by-payload');
    const path = join(dir, 'evil.pt');
    await writeRawPickle(path, { a: pickleGlobal('os', 'system', [`touch ${marker}`]), b: pickleGlobal('builtins', 'exec', ['import os']) });
    const h = await readModelHeader(path);
    expect(h.container).toBe('pickle');
    expect(h.unsafeGlobals).toEqual(['os.system', 'builtins.exec']);
    expect(existsSync(marker)).toBe(false);
  });

  it('reports a truncated raw pickle', async () => {
    const path = join(tempDir(), 'cut.bin');
    writeFileSync(path, Buffer.from('\x80\x02}q\x00(X\x01\x00\x00\x00a', 'latin1'));
    await expectReadError(path, 'ERR_MODELHUB_TRUNCATED', /pickle is cut off/);
  });
});
