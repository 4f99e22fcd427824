import type { DesiredFile, FileChange, ObservedFile, RecordedFile } from './file-types.js';
import type { TargetSpec } from './manifest-types.js';
import type { Conflict } from './plan-types.js';

export interface FilePlanInput {
  desired: DesiredFile[];
  recorded: RecordedFile[];
  /** What is at every desired and recorded path. Paths not in the map are treated as absent. */
  actual: ReadonlyMap<string, ObservedFile>;
}

const ABSENT: ObservedFile = { kind: 'absent' };

/**
 * Decide what to do with every file ModelHub writes. PURE. A file is ModelHub's while deploy_files
 * records its path and it still holds the recorded bytes (same SHA-256). Only such a file is
 * rewritten or removed; a file there that ModelHub did not write, or one edited by hand, is a
 * conflict while declared (never overwritten) and is left alone, its record forgotten, once not.
 * A file holding exactly the declared text is recorded as it is (an apply that ended between the
 * write and the record).
 */
export function planOwnedFiles(input: FilePlanInput, targets: readonly TargetSpec[]): { files: FileChange[]; conflicts: Conflict[] } {
  const files: FileChange[] = [];
  const conflicts: Conflict[] = [];
  const recordedByPath = new Map(input.recorded.map((r) => [r.path, r]));
  for (const d of input.desired) {
    const rec = recordedByPath.get(d.path);
    recordedByPath.delete(d.path);
    const obs = input.actual.get(d.path) ?? ABSENT;
    const write = { target: d.target, path: d.path, purpose: d.purpose, content: d.content, sha256: d.sha256, summary: d.summary };
    const conflict = (reason: Conflict['reason'], found: string): void => {
      conflicts.push({ target: d.target, path: d.path, relPath: d.path, reason, found });
    };
    if (obs.kind === 'absent') {
      files.push({ action: 'write-file', reason: rec === undefined ? 'declared' : 'missing', ...write, expect: { kind: 'absent' } });
    } else if (obs.kind === 'file' && obs.sha256 === d.sha256) {
      if (rec?.sha256 !== d.sha256 || rec.target !== d.target) files.push({ action: 'record-file', reason: rec === undefined ? 'unrecorded-file' : 'record-outdated', ...write, expect: { kind: 'file', sha256: obs.sha256 } });
    } else if (obs.kind === 'file' && rec !== undefined && obs.sha256 === rec.sha256) {
      files.push({ action: 'rewrite-file', reason: 'mappings-changed', ...write, expect: { kind: 'file', sha256: obs.sha256 } });
    } else if (obs.kind === 'file') {
      if (rec !== undefined) conflict('config-edited', 'edited since ModelHub wrote it');
      else conflict('foreign-config', 'a file ModelHub did not write');
    } else if (obs.kind === 'folder-missing') {
      conflict('config-folder-missing', 'the folder it goes in does not exist');
    } else {
      conflict('foreign-config', obs.kind === 'symlink' ? `symlink -> ${obs.text}` : obs.kind === 'dir' ? 'a folder' : 'not a regular file');
    }
  }
  for (const r of recordedByPath.values()) {
    const obs = input.actual.get(r.path) ?? ABSENT;
    const drop = { target: r.target, path: r.path, purpose: r.purpose, sha256: r.sha256 };
    if (obs.kind === 'file' && obs.sha256 === r.sha256) files.push({ action: 'remove-file', reason: dropReason(r, targets), ...drop, expect: { kind: 'file', sha256: obs.sha256 } });
    else if (obs.kind === 'absent' || obs.kind === 'folder-missing') files.push({ action: 'forget-file', reason: 'gone', ...drop, expect: { kind: 'absent' } });
    else files.push({ action: 'forget-file', reason: 'changed-by-user', ...drop, expect: obs.kind === 'file' ? { kind: 'file', sha256: obs.sha256 } : { kind: 'absent' } });
  }
  const byPath = <T extends { target: string; path: string }>(a: T, b: T): number => (a.target < b.target ? -1 : a.target > b.target ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { files: files.sort(byPath), conflicts: conflicts.sort(byPath) };
}

function dropReason(r: RecordedFile, targets: readonly TargetSpec[]): 'not-declared' | 'target-disabled' | 'target-removed' {
  const t = targets.find((x) => x.name === r.target);
  if (t === undefined) return 'target-removed';
  return t.enabled ? 'not-declared' : 'target-disabled';
}
