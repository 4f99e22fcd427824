import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { isEjectedCopy, type EjectedFile } from '../store/ejected.js';
import type { DesiredLink } from './desired.js';
import { ownership } from './ownership.js';
import type { ActualState, AdoptChange, CreateChange, Observed, Plan, RecordedLink } from './plan-types.js';

/** What the planner does with a declared link whose path is empty. */
export type EmptyPathPlan =
  /** A link adopted elsewhere under the mapped folder stands for it and is still ModelHub's: in sync. */
  | { kind: 'stood-for'; record: RecordedLink }
  /** An ejected copy of the model elsewhere under the mapped folder holds it: left alone. */
  | { kind: 'ejected'; entry: NonNullable<Plan['ejected']>[number] }
  /** `--adopt`: take the user's copy there as the link (recorded as standing for the declared path). */
  | { kind: 'adopt'; change: AdoptChange }
  /** Make the link; `nearby` names a copy `--adopt` would take instead. */
  | { kind: 'create'; nearby?: CreateChange['nearby'] };

export interface EmptyPathContext {
  actual: ActualState;
  recorded: RecordedLink[];
  adopt: boolean;
  relativeToRoot(target: string, path: string): string;
}

/**
 * The part of the pure planner for declared paths that hold nothing: a link recorded as standing
 * for the path (adopted beside it) is in sync while it is still owned; otherwise the user's own
 * copy that observe found under the same mapped folder (reconcile/adopt-nearby.ts) is taken with
 * `--adopt` (a link reaching the store file is recorded as it is, or rewritten when spelled
 * differently; a proven file becomes the link), held when it is an ejected copy, and named in
 * the create otherwise. Pure.
 */
export function emptyPathPlanner(ctx: EmptyPathContext) {
  const standIns = new Map<string, RecordedLink>();
  for (const r of ctx.recorded) if (r.declaredPath != null) standIns.set(`${r.target}\0${r.declaredPath}`, r);
  return (d: DesiredLink): EmptyPathPlan => {
    const model = { hash: d.model.hash, name: d.model.name };
    const rec = standIns.get(`${d.target}\0${d.path}`);
    if (rec !== undefined && rec.hash === d.model.hash && ownership(rec, ctx.actual.paths.get(rec.path) ?? { kind: 'absent' }) !== 'not-owned') return { kind: 'stood-for', record: rec };
    const find = ctx.actual.nearby?.get(d.path);
    if (find === undefined) return { kind: 'create' };
    const relPath = ctx.relativeToRoot(d.target, find.path);
    if (find.kind === 'ejected') return { kind: 'ejected', entry: { target: d.target, path: find.path, relPath, declaredRelPath: d.relPath, model } };
    if (!ctx.adopt || !find.identical) return { kind: 'create', nearby: { path: find.path, relPath, kind: find.kind, identical: find.identical } };
    const base = { action: 'adopt' as const, target: d.target, path: find.path, relPath, model, deployment: d.deployment, expect: find.expect, declaredPath: d.path, declaredRelPath: d.relPath };
    if (find.kind === 'link' && find.expect.kind === 'symlink') {
      const exact = resolve(dirname(find.path), find.expect.text) === d.storeFile;
      return { kind: 'adopt', change: { ...base, reason: 'nearby-link', how: exact ? 'record' : 'relink', linkTarget: exact ? find.expect.text : linkTextAt(find.path, d) } };
    }
    return { kind: 'adopt', change: { ...base, reason: 'nearby-file', how: 'replace-file', linkTarget: linkTextAt(find.path, d) } };
  };
}

/** The link text for `d`'s store file at another path: absolute as declared, or relative from that path's folder. */
function linkTextAt(path: string, d: DesiredLink): string {
  return isAbsolute(d.linkTarget) ? d.storeFile : relative(dirname(path), d.storeFile);
}

/** Whether what is at a declared or recorded path is the copy an eject left there. */
export function isEjectedAt(ejected: ReadonlyMap<string, EjectedFile> | undefined, path: string, obs: Observed): boolean {
  return obs.kind === 'file' && isEjectedCopy(ejected?.get(path), obs);
}
