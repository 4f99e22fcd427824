import { ModelHubError } from '../core/errors.js';
import type { ManifestChange } from '../reconcile/manifest-edit-types.js';
import type { Hub } from '../store/hub.js';
import type { CommandContext } from './context.js';
import { EXIT } from './exit.js';

export interface ManifestChangeFlags {
  /** Carry out the plan at once (as `modelhub apply --yes` would), under the hub lock. */
  apply?: boolean;
}

/**
 * What `deploy`, `undeploy` and `rename` share: plan the manifest edit (reconcile/manifest-edit.ts),
 * refuse it whole when any part cannot be done, write the files (only if they still hold the
 * text the edit was planned from), then compute the plan from the manifests on disk, as
 * `modelhub plan` would, and with --apply carry it out as `modelhub apply` does. Prints the
 * files' diff, then the plan; `--json` prints both as one object. `target` scopes the plan.
 */
export async function runManifestChange(ctx: CommandContext, command: string, change: (hub: Hub) => ManifestChange, opts: ManifestChangeFlags & { target: string | null }): Promise<void> {
  const { readManifestEdit, manifestEditDiff, writeManifestEdit } = await import('../reconcile/manifest-edit-io.js');
  const { loadDeploymentContext } = await import('../reconcile/deployment-context.js');
  const { computePlan } = await import('../reconcile/gather.js');
  const hub = await ctx.hub();
  const lock = opts.apply === true ? await ctx.lock(hub, `modelhub ${command}`) : undefined;
  try {
    const context = await loadDeploymentContext(ctx.config, ctx.io);
    const edit = readManifestEdit(hub, context, change(hub));
    if (edit.refused.length > 0) {
      throw new ModelHubError('EDIT_REFUSED', `modelhub ${command} cannot change the manifests; nothing was written:\n${edit.refused.map((r) => `  - ${r}`).join('\n')}`, {
        hint: 'edit the manifest named above by hand, or change the command',
      });
    }
    const diff = manifestEditDiff(edit);
    const written = writeManifestEdit(edit);
    const { plan, gathered } = await computePlan({ hub, context, target: opts.target, adopt: false });
    const view = { diff, written, notes: edit.notes };
    const { renderManifestChange, renderApplyAdvice } = await import('./render/manifest-change.js');
    const { renderPlan } = await import('./render/plan.js');
    if (!ctx.json) ctx.out(`${renderManifestChange(view, ctx.chalk)}\n\n${renderPlan(plan, ctx.chalk)}`);
    let result = null;
    if (opts.apply === true) {
      const { assertApplicable } = await import('../reconcile/apply.js');
      const { carryOutPlan } = await import('../reconcile/apply-run.js');
      assertApplicable(plan, false);
      result = await carryOutPlan(hub, plan, gathered, { allowEmpty: false });
      if (!ctx.json && result !== null) {
        const { renderApplyResult } = await import('./render/apply.js');
        ctx.out(`\n${renderApplyResult(result, plan, ctx.chalk)}`);
      }
    } else if (!ctx.json && (plan.changes.length > 0 || plan.overrides.length > 0)) ctx.info(`\n${renderApplyAdvice(`modelhub ${command}`)}`);
    if (ctx.json) ctx.printJson({ files: written, diff, notes: edit.notes, plan, result });
    if (plan.conflicts.length > 0) ctx.exitCode = EXIT.error;
  } finally {
    lock?.release();
  }
}
