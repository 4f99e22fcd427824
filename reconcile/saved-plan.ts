import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { writeOutput } from '../core/safe-write.js';
import { FILE_ACTIONS } from './file-types.js';
import type { Plan } from './plan-types.js';

/** A plan written by `plan --out FILE`: the plan itself plus where and when it was made. */
export interface SavedPlan extends Plan {
  savedAt: string;
  hub: string;
  manifests: string;
}

/**
 * Write a plan as JSON to `file` (relative to `io.cwd`), or to `io.stdout` for `-`. A file is
 * written as core/safe-write.ts promises: only a regular file (or one a symlink points to),
 * replaced by rename, so a reader never sees half of it; anything else is refused.
 */
export function writePlanFile(file: string, plan: Plan, meta: { savedAt: string; hub: string; manifests: string }, io: { cwd: string; stdout: Writable }): string {
  const saved: SavedPlan = { ...plan, ...meta };
  return writeOutput(file, `${JSON.stringify(saved, null, 2)}\n`, io);
}

/** Read a saved plan; a missing, unreadable or foreign file is an ERR_MODELHUB_PLAN_INVALID. */
export function readPlanFile(file: string): SavedPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'ENOENT' && code !== 'EACCES' && code !== 'EISDIR') throw err;
    throw new ModelHubError('PLAN_INVALID', `cannot read the plan file ${file}: ${code}`, { path: file, hint: 'make one with `modelhub plan --out FILE`' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ModelHubError('PLAN_INVALID', `${file} is not a ModelHub plan (not JSON)`, { path: file, hint: 'make one with `modelhub plan --out FILE`' });
  }
  if (!isSavedPlan(value)) {
    throw new ModelHubError('PLAN_INVALID', `${file} is not a plan this ModelHub understands`, { path: file, hint: 'make a new one with `modelhub plan --out FILE`' });
  }
  // A plan saved before ModelHub wrote files has none.
  return { ...value, files: value.files ?? [] };
}

const ACTIONS = new Set(['create', 'replace', 'delete', 'adopt', 'forget']);

/**
 * Whether `v` has the shape of a saved plan, as far as apply reads it: the fingerprint, the hub,
 * and every action, the file actions included (apply compares them with a fresh plan's and then carries out the fresh one).
 */
function isSavedPlan(v: unknown): v is SavedPlan {
  const p = v as Partial<SavedPlan> | null;
  if (p === null || typeof p !== 'object' || p.formatVersion !== 1 || typeof p.fingerprint !== 'string' || typeof p.hub !== 'string' || !Array.isArray(p.conflicts)) return false;
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
  const changesOk = Array.isArray(p.changes) && p.changes.every((c: unknown) => isObject(c) && ACTIONS.has(c.action as string) && typeof c.path === 'string' && (c.linkTarget === undefined || typeof c.linkTarget === 'string'));
  const dirsOk = Array.isArray(p.dirs) && p.dirs.every((d: unknown) => isObject(d) && typeof d.path === 'string');
  const overridesOk = Array.isArray(p.overrides) && p.overrides.every((o: unknown) => isObject(o) && typeof o.action === 'string' && isObject(o.model) && typeof o.model.hash === 'string');
  const filesOk =
    p.files === undefined ||
    (Array.isArray(p.files) && p.files.every((f: unknown) => isObject(f) && (FILE_ACTIONS as readonly unknown[]).includes(f.action) && typeof f.path === 'string' && typeof f.sha256 === 'string' && (f.content === undefined || typeof f.content === 'string')));
  return changesOk && dirsOk && overridesOk && filesOk;
}
