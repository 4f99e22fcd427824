import type { FileAction, FileChange } from './file-types.js';
import type { Change, PlanSummary } from './plan-types.js';

/**
 * The words every interface shows a plan in, without styling: the sign of each action and the
 * summary line's parts. `modelhub plan` and the TUI both render from here, so they cannot drift.
 */
export const ACTION_SIGN: Record<Change['action'], string> = { create: '+', replace: '~', delete: '-', adopt: '=', forget: 'x' };

/** The sign of each file action, in the links' manner: write, rewrite, record, remove, forget. */
export const FILE_SIGN: Record<FileAction, string> = { 'write-file': '+', 'rewrite-file': '~', 'record-file': '=', 'remove-file': '-', 'forget-file': 'x' };

/** The heading of the plan's file section. */
export const FILES_HEADING = 'files ModelHub writes';

/** What a file action does, in words, after its path: `(comfyui: checkpoints, loras; write)`. */
export function describeFileChange(f: FileChange): string {
  switch (f.action) {
    case 'write-file':
    case 'rewrite-file':
    case 'record-file': {
      const what = f.action === 'write-file' ? (f.reason === 'missing' ? 'write again: deleted by hand?' : 'write') : f.action === 'rewrite-file' ? 'rewrite: the mappings changed' : 'record: already as declared';
      return `(${f.target}: ComfyUI extra model paths ${f.summary.join(', ')}; ${what})`;
    }
    case 'remove-file':
      return `(${f.target}: ${f.reason}; unchanged since ModelHub wrote it)`;
    case 'forget-file':
      return `(${f.target}: ${f.reason === 'gone' ? 'already gone from disk' : 'edited by hand: left as it is, no longer tracked'})`;
  }
}

export type SummaryWords = { kind: 'in-sync'; text: string } | { kind: 'changes'; parts: string[]; conflicts: string; hasConflicts: boolean };

/** `No changes. … (N links in sync).`, or the parts of `Plan: 12 to link, 1 to relink, 3 to remove, 24 companion files to link, 0 conflicts.` */
export function summaryWords(s: PlanSummary): SummaryWords {
  const total = s.create + s.replace + s.delete + s.adopt + s.forget + s.dirs + s.overrides + s.files + (s.companions?.link ?? 0) + (s.companions?.remove ?? 0);
  if (total === 0 && s.conflict === 0) return { kind: 'in-sync', text: `Target folders match the manifests (${s.inSync} link${s.inSync === 1 ? '' : 's'} in sync).` };
  const parts = [`${s.create} to link`, `${s.replace} to relink`, `${s.delete} to remove`];
  if (s.adopt > 0) parts.push(`${s.adopt} to adopt`);
  if (s.forget > 0) parts.push(`${s.forget} record${s.forget === 1 ? '' : 's'} to forget`);
  const c = s.companions;
  if (c !== undefined && c.link > 0) parts.push(`${c.link} companion file${c.link === 1 ? '' : 's'} to link`);
  if (c !== undefined && c.remove > 0) parts.push(`${c.remove} companion file${c.remove === 1 ? '' : 's'} to unlink`);
  if (s.overrides > 0) parts.push(`${s.overrides} override${s.overrides === 1 ? '' : 's'} to record`);
  if (s.files > 0) parts.push(`${s.files} file change${s.files === 1 ? '' : 's'}`);
  return { kind: 'changes', parts, conflicts: `${s.conflict} conflict${s.conflict === 1 ? '' : 's'}`, hasConflicts: s.conflict > 0 };
}
