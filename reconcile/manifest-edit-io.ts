import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { writeFileSafely } from '../core/safe-write.js';
import type { Hub } from '../store/hub.js';
import { openManifests, type DeploymentContext } from './deployment-context.js';
import { OWN_DEPLOY_FILE, planManifestEdit } from './manifest-edit.js';
import type { ManifestChange, ManifestEditPlan } from './manifest-edit-types.js';
import { readInventoryModels } from '../store/overrides.js';
import { applyOverrideEffects, computeOverrideEffects } from './overrides.js';

/**
 * Plan a change of the manifests of `context`: load and check them, read their texts, take the
 * named models as deployments see them (Overrides applied), then plan (manifest-edit.ts).
 * Reads only.
 */
export function readManifestEdit(hub: Hub, context: DeploymentContext, change: ManifestChange): ManifestEditPlan {
  const manifests = openManifests(context);
  const texts = new Map<string, string>();
  for (const file of [...manifests.files, resolve(manifests.dir, OWN_DEPLOY_FILE)]) {
    const text = readIfThere(file);
    if (text !== undefined) texts.set(file, text);
  }
  const inventory = readInventoryModels(hub.db);
  const all = applyOverrideEffects(inventory, computeOverrideEffects(inventory, manifests.overrides));
  const wanted = new Set(change.kind === 'deploy' || change.kind === 'undeploy' ? change.models.map((m) => m.hash) : change.kind === 'rename' ? [change.model.hash] : []);
  return planManifestEdit({ change, manifests, models: all.filter((m) => wanted.has(m.hash)), texts, cwd: context.cwd, inventory: inventory.filter((m) => wanted.has(m.hash)) });
}

/** The unified diff of every file a plan rewrites (`--- FILE` / `+++ FILE` / hunks), as lines. */
export function manifestEditDiff(plan: ManifestEditPlan): string[] {
  return plan.edits.flatMap((e) => {
    const patch = createTwoFilesPatch(e.before === null ? '/dev/null' : e.file, e.file, e.before ?? '', e.after, '', '', { context: 3 });
    const lines = patch.split('\n');
    while (lines.length > 0 && /^(Index: |=+$)/.test(lines[0] as string)) lines.shift();
    if (lines.at(-1) === '') lines.pop();
    return lines.filter((l) => l !== '\\ No newline at end of file').map((l) => (l.startsWith('---') || l.startsWith('+++') ? l.replace(/\t$/, '') : l));
  });
}

/**
 * Write a planned edit: each file only if it still holds the text the plan was made from (a
 * file edited meanwhile is refused, nothing of the plan written after it), through
 * writeFileSafely (a temporary file renamed into place; only regular files). Returns the files.
 */
export function writeManifestEdit(plan: ManifestEditPlan): string[] {
  for (const e of plan.edits) {
    if ((readIfThere(e.file) ?? null) !== e.before) {
      throw new ModelHubError('OUTPUT_REFUSED', `${e.file} changed since its diff was shown; nothing was saved`, { path: e.file, hint: 'make the change again from the new file (run the command again; in the terminal UI, Ctrl-R reloads)' });
    }
  }
  for (const e of plan.edits) writeFileSafely(e.file, e.after);
  return plan.edits.map((e) => e.file);
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}
