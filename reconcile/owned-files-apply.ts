import { dirname } from 'node:path';
import { ModelHubError, errnoCode } from '../core/errors.js';
import type { FileLedger } from './file-ledger.js';
import type { FileChange, FileExpect, ObservedFile } from './file-types.js';
import type { DeployFs, FsReader } from './fs.js';

/** Observe each path once (lstat; a regular file is hashed). Reads only. */
export async function observeFiles(fs: FsReader, paths: Iterable<string>): Promise<Map<string, ObservedFile>> {
  const out = new Map<string, ObservedFile>();
  for (const path of new Set(paths)) out.set(path, await observeFile(fs, path));
  return out;
}

async function observeFile(fs: FsReader, path: string): Promise<ObservedFile> {
  let st;
  try {
    st = fs.lstat(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOTDIR') return { kind: 'folder-missing' };
    throw err;
  }
  if (st === null) return fs.stat(dirname(path))?.kind === 'dir' ? { kind: 'absent' } : { kind: 'folder-missing' };
  if (st.kind === 'file') return { kind: 'file', sha256: await fs.hashFile(path) };
  if (st.kind === 'symlink') return { kind: 'symlink', text: fs.readlink(path) };
  return { kind: st.kind };
}

/** Where file steps may act, from the manifests (never from the plan): per path, the enabled target declaring it. */
export type FileScope = ReadonlyMap<string, string>;

export interface FileApplyOptions {
  fs: DeployFs;
  ledger: FileLedger;
  scope: FileScope;
}

/**
 * Phase 1 for files, before anything changes: a file written only where an enabled target of the
 * manifests declares it, a file removed or rewritten only where deploy_files records it for the
 * same target, and every path still as the plan saw it. Returns the paths that changed since.
 */
export async function checkFileChanges(files: readonly FileChange[], opts: FileApplyOptions): Promise<string[]> {
  const changed: string[] = [];
  for (const f of files) {
    if (f.action === 'forget-file') continue;
    assertFileInScope(f, opts);
    if (!sameFile(await observeFile(opts.fs, f.path), f.expect)) changed.push(f.path);
  }
  return changed;
}

/**
 * Phase 2 for files: each step re-checks the path right before acting, and is recorded (or
 * forgotten) right after it succeeded. Returns the paths written and removed.
 */
export async function performFileChanges(files: readonly FileChange[], opts: FileApplyOptions): Promise<{ written: string[]; removed: string[]; forgotten: string[] }> {
  const done = { written: [] as string[], removed: [] as string[], forgotten: [] as string[] };
  for (const f of files) {
    if (f.action === 'forget-file') {
      opts.ledger.forgetFile(f.path);
      done.forgotten.push(f.path);
      continue;
    }
    assertFileInScope(f, opts);
    if (!sameFile(await observeFile(opts.fs, f.path), f.expect)) throw changedMeanwhile(f.path);
    switch (f.action) {
      case 'remove-file':
        await opts.fs.unlink(f.path);
        opts.ledger.forgetFile(f.path);
        done.removed.push(f.path);
        break;
      case 'write-file':
      case 'rewrite-file':
        await opts.fs.writeFile(f.path, f.content);
        opts.ledger.recordFile({ target: f.target, path: f.path, purpose: f.purpose, sha256: f.sha256 });
        done.written.push(f.path);
        break;
      case 'record-file':
        opts.ledger.recordFile({ target: f.target, path: f.path, purpose: f.purpose, sha256: f.sha256 });
        break;
    }
  }
  return done;
}

function assertFileInScope(f: Exclude<FileChange, { action: 'forget-file' }>, opts: FileApplyOptions): void {
  if (f.action !== 'remove-file' && opts.scope.get(f.path) !== f.target) {
    throw new ModelHubError('OUT_OF_SCOPE', `${f.path} is not the extraModelPaths file of an enabled target ${f.target} in the manifests; nothing was changed`, { path: f.path, hint: 'run `modelhub plan` and apply what it shows' });
  }
  if (f.action === 'write-file' || f.action === 'record-file') return;
  const rec = opts.ledger.findFile(f.path);
  if (rec === undefined || rec.target !== f.target || f.expect.kind !== 'file' || rec.sha256 !== f.expect.sha256) {
    throw new ModelHubError('NOT_OWNED', `${f.path} is not a file ModelHub recorded writing with these contents; left as it is`, { path: f.path, hint: 'run `modelhub plan` to see the current state; ModelHub never changes a file it did not write or that was edited since' });
  }
}

function sameFile(now: ObservedFile, expect: FileExpect): boolean {
  if (expect.kind === 'absent') return now.kind === 'absent';
  return now.kind === 'file' && now.sha256 === expect.sha256;
}

function changedMeanwhile(path: string): ModelHubError {
  return new ModelHubError('PATH_CHANGED', `${path} changed while apply ran; left as it is (the steps before it are done and recorded)`, { path, hint: 'run `modelhub plan` to see the current state, then `modelhub apply` again' });
}
