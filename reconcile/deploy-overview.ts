import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import fg from 'fast-glob';
import type { Hub } from '../store/hub.js';
import type { DeploymentContext } from './deployment-context.js';
import type { Plan } from './plan-types.js';
import { computeStatus, gatherStatus, type TargetStatus } from './status.js';

/** A target as an interface offers it for editing: what its manifest says and where. */
export interface TargetInfo {
  name: string;
  displayName: string;
  /** The root as written in the manifest (before `~`/`$VAR` expansion). */
  rootAsWritten: string;
  root: string;
  enabled: boolean;
  /** Model type → folder relative to root. */
  mappings: Record<string, string>;
  /** The manifest file (absolute) and the line of its document. */
  file: string;
  line: number;
}

/** Everything a deploy screen shows: each target with its status, and the plan `plan` prints. */
export interface DeployOverview {
  targets: TargetInfo[];
  status: TargetStatus[];
  plan: Plan;
}

/**
 * The deployment state in one call, from the same planner and status as `plan` and `status`
 * (all targets, no adoption). Reads the manifests, the inventory and the target folders;
 * changes nothing.
 */
export async function readDeployOverview(hub: Hub, context: DeploymentContext): Promise<DeployOverview> {
  const input = await gatherStatus({ hub, context, target: null, adopt: false });
  const { plan, gathered } = input;
  const targets = gathered.manifests.targets.map((t) => ({
    name: t.name,
    displayName: t.displayName,
    rootAsWritten: t.rootAsWritten,
    root: t.root,
    enabled: t.enabled,
    mappings: t.mappings,
    file: resolve(context.cwd, t.source.file),
    line: t.source.line,
  }));
  return { targets, status: computeStatus(input), plan };
}

/**
 * A stamp of the manifests folder that changes when a manifest file is added, removed or
 * written (each file's path, size and modification time): a long-running interface polls it
 * to see the desired state change under it. Cheap: a listing and a stat per file.
 */
export function manifestsStamp(dir: string): string {
  const files = fg.sync(['**/*.yaml', '**/*.yml'], { cwd: dir, absolute: true, onlyFiles: true, dot: false, ignore: ['**/node_modules/**'], stats: false }).sort();
  return files
    .map((f) => {
      const st = statSync(f, { throwIfNoEntry: false });
      return st === undefined ? f : `${f}:${st.size}:${st.mtimeMs}`;
    })
    .join('\n');
}
