/**
 * The pieces behind extraModelPaths: the file's text read back as YAML 1.1 (PyYAML) reads it,
 * the pure planner of owned files, and the applier's own checks on hand-made plans (it trusts
 * no plan: a file written only where the manifests declare one, removed only while recorded and
 * unchanged). Real files in temp folders.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyPlan } from '../../reconcile/apply.js';
import { applyScope } from '../../reconcile/apply-guards.js';
import { comfyFolderOf, declareExtraPathFiles, renderExtraModelPaths, textSha256 } from '../../reconcile/extra-paths.js';
import type { FileLedger } from '../../reconcile/file-ledger.js';
import type { DesiredFile, FileChange, ObservedFile, RecordedFile, WriteFileChange } from '../../reconcile/file-types.js';
import { realFs } from '../../reconcile/fs.js';
import type { Ledger } from '../../reconcile/ledger.js';
import { planOwnedFiles } from '../../reconcile/owned-files.js';
import type { Plan } from '../../reconcile/plan-types.js';
import { expectError } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { target } from './builders.js';

describe('the extra_model_paths.yaml text', () => {
  it('names each mapped folder by its ComfyUI key, from the outermost ComfyUI folder name in its path', () => {
    expect(comfyFolderOf('loras/sdxl')).toEqual({ key: 'loras', folder: 'loras' });
    expect(comfyFolderOf('models/unet')).toEqual({ key: 'diffusion_models', folder: 'models/unet' });
    expect(comfyFolderOf('clip')).toEqual({ key: 'text_encoders', folder: 'clip' });
    expect(comfyFolderOf('t2i_adapter')).toEqual({ key: 'controlnet', folder: 't2i_adapter' });
    expect(comfyFolderOf('Lora')).toBeUndefined();
    expect(comfyFolderOf('')).toBeUndefined();
  });

  it('reads back, as YAML 1.1, as exactly the strings written (names PyYAML would take for booleans or numbers too)', () => {
    const root = '/srv/on/no/1e3: #x "q" \u007f é';
    const text = renderExtraModelPaths({ name: 'comfy', root, extraModelPaths: '/srv/x.yaml', mappings: { lora: 'loras/on', unet: 'unet', checkpoint: 'diffusion_models', vae: 'vae' } });
    const doc = parse(text, { version: '1.1' }) as { modelhub: Record<string, unknown> };
    expect(doc.modelhub).toEqual({ base_path: root, loras: 'loras', diffusion_models: 'diffusion_models\nunet\n', vae: 'vae' });
  });

  it('declares one file per enabled target that sets the field, with the hash of its text', () => {
    const t = { ...target('comfy'), extraModelPaths: '/srv/comfy.yaml' };
    const [file, ...rest] = declareExtraPathFiles([t, { ...target('off', { enabled: false }), extraModelPaths: '/srv/off.yaml' }, target('plain')]);
    expect(rest).toEqual([]);
    expect(file).toMatchObject({ target: 'comfy', path: '/srv/comfy.yaml', purpose: 'comfyui-extra-model-paths' });
    expect(file?.sha256).toBe(textSha256(file!.content));
    expect(declareExtraPathFiles([t], 'plain')).toEqual([]);
  });
});

const FILE = '/srv/comfy.yaml';
function desiredFile(content = 'modelhub:\n  base_path: "/x"\n'): DesiredFile {
  return { target: 'comfy', path: FILE, purpose: 'comfyui-extra-model-paths', content, sha256: textSha256(content), summary: [] };
}
const rec = (sha256: string, target = 'comfy'): RecordedFile => ({ target, path: FILE, purpose: 'comfyui-extra-model-paths', sha256 });

describe('planning owned files', () => {
  const plan = (desired: DesiredFile[], recorded: RecordedFile[], at?: ObservedFile) =>
    planOwnedFiles({ desired, recorded, actual: new Map(at === undefined ? [] : [[FILE, at]]) }, [target('comfy')]);

  it('writes, keeps, rewrites and records by content', () => {
    const d = desiredFile();
    expect(plan([d], []).files).toMatchObject([{ action: 'write-file', reason: 'declared' }]);
    expect(plan([d], [rec(d.sha256)]).files).toMatchObject([{ action: 'write-file', reason: 'missing' }]);
    expect(plan([d], [rec(d.sha256)], { kind: 'file', sha256: d.sha256 })).toEqual({ files: [], conflicts: [] });
    expect(plan([d], [rec('a'.repeat(64))], { kind: 'file', sha256: 'a'.repeat(64) }).files).toMatchObject([{ action: 'rewrite-file', expect: { kind: 'file', sha256: 'a'.repeat(64) } }]);
    expect(plan([d], [], { kind: 'file', sha256: d.sha256 }).files).toMatchObject([{ action: 'record-file', reason: 'unrecorded-file' }]);
    expect(plan([d], [rec('a'.repeat(64))], { kind: 'file', sha256: d.sha256 }).files).toMatchObject([{ action: 'record-file', reason: 'record-outdated' }]);
  });

  it('never plans to touch a file ModelHub did not write or one edited since', () => {
    const d = desiredFile();
    expect(plan([d], [], { kind: 'file', sha256: 'b'.repeat(64) })).toMatchObject({ files: [], conflicts: [{ reason: 'foreign-config' }] });
    expect(plan([d], [rec('a'.repeat(64))], { kind: 'file', sha256: 'b'.repeat(64) })).toMatchObject({ files: [], conflicts: [{ reason: 'config-edited' }] });
    expect(plan([d], [], { kind: 'symlink', text: '/elsewhere' })).toMatchObject({ conflicts: [{ reason: 'foreign-config', found: 'symlink -> /elsewhere' }] });
    expect(plan([d], [], { kind: 'folder-missing' })).toMatchObject({ conflicts: [{ reason: 'config-folder-missing' }] });
    expect(plan([], [rec('a'.repeat(64))], { kind: 'file', sha256: 'b'.repeat(64) }).files).toMatchObject([{ action: 'forget-file', reason: 'changed-by-user' }]);
    expect(plan([], [rec('a'.repeat(64))], { kind: 'file', sha256: 'a'.repeat(64) }).files).toMatchObject([{ action: 'remove-file', reason: 'not-declared' }]);
    expect(plan([], [rec('a'.repeat(64), 'gone')]).files).toMatchObject([{ action: 'forget-file', reason: 'gone' }]);
  });
});

/** A ledger of nothing for links, and files in memory. */
function ledgers(files: RecordedFile[] = []): { ledger: Ledger; fileLedger: FileLedger & { files: Map<string, RecordedFile> } } {
  const map = new Map(files.map((f) => [f.path, f]));
  const ledger: Ledger = { findLink: () => undefined, recordLink: () => undefined, forgetLink: () => undefined, hasDir: () => false, recordDir: () => undefined, forgetDir: () => undefined, flush: () => undefined };
  return { ledger, fileLedger: { files: map, findFile: (p) => map.get(p), recordFile: (f) => void map.set(f.path, f), forgetFile: (p) => void map.delete(p) } };
}

function planOf(files: FileChange[]): Plan {
  const summary = { create: 0, replace: 0, delete: 0, adopt: 0, forget: 0, conflict: 0, inSync: 0, dirs: 0, overrides: 0, files: files.length };
  return { formatVersion: 1, fingerprint: 'f', options: { target: null, adopt: false }, targets: [], changes: [], conflicts: [], dirs: [], overrides: [], files, emptyTargets: [], unsafe: [], summary };
}

describe('applying owned files: the applier trusts no plan', () => {
  function world(opts: { declared?: boolean } = {}) {
    const root = tempDir();
    const links = join(root, 'links');
    mkdirSync(links);
    const file = join(root, 'comfy.yaml');
    const t = { ...target('comfy', { root: links }), ...(opts.declared === false ? {} : { extraModelPaths: file }) };
    const scope = applyScope({ targets: [t], recordedTargets: [] }, { storeDir: join(root, 'hub/models'), hubDir: join(root, 'hub') });
    return { file, scope };
  }
  const write = (path: string, content: string): WriteFileChange => ({ action: 'write-file', reason: 'declared', target: 'comfy', path, purpose: 'comfyui-extra-model-paths', content, sha256: textSha256(content), summary: [], expect: { kind: 'absent' } });

  it('writes and records a declared file', async () => {
    const { file, scope } = world();
    const l = ledgers();
    const result = await applyPlan(planOf([write(file, 'modelhub: {}\n')]), { fs: realFs(), ...l, scope });
    expect(result.filesWritten).toEqual([file]);
    expect(readFileSync(file, 'utf8')).toBe('modelhub: {}\n');
    expect(l.fileLedger.files.get(file)?.sha256).toBe(textSha256('modelhub: {}\n'));
  });

  it('refuses to write where no enabled target of the manifests declares the file', async () => {
    const { file, scope } = world({ declared: false });
    await expectError(applyPlan(planOf([write(file, 'x\n')]), { fs: realFs(), ...ledgers(), scope }), { code: 'ERR_MODELHUB_OUT_OF_SCOPE', path: file });
    expect(existsSync(file)).toBe(false);
  });

  it('refuses to remove or rewrite a file deploy_files does not record with those bytes', async () => {
    const { file, scope } = world();
    writeFileSync(file, 'mine\n');
    const sha = textSha256('mine\n');
    const remove: FileChange = { action: 'remove-file', reason: 'not-declared', target: 'comfy', path: file, purpose: 'comfyui-extra-model-paths', sha256: sha, expect: { kind: 'file', sha256: sha } };
    await expectError(applyPlan(planOf([remove]), { fs: realFs(), ...ledgers(), scope }), { code: 'ERR_MODELHUB_NOT_OWNED', path: file });
    const rewrite: FileChange = { ...write(file, 'theirs\n'), action: 'rewrite-file', reason: 'mappings-changed', expect: { kind: 'file', sha256: sha } };
    await expectError(applyPlan(planOf([rewrite]), { fs: realFs(), ...ledgers([{ ...rec(textSha256('other\n')), path: file }]), scope }), { code: 'ERR_MODELHUB_NOT_OWNED' });
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('changes nothing when the file changed since the plan (edited, or appeared)', async () => {
    const { file, scope } = world();
    writeFileSync(file, 'appeared\n');
    await expectError(applyPlan(planOf([write(file, 'x\n')]), { fs: realFs(), ...ledgers(), scope }), { code: 'ERR_MODELHUB_PLAN_OUTDATED' });
    expect(readFileSync(file, 'utf8')).toBe('appeared\n');
  });
});
