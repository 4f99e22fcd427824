import { resolve } from 'node:path';
import { formatBytes, formatConfidence } from '../core/human-units.js';
import { ModelHubError } from '../core/errors.js';
import { writeFileSafely } from '../core/safe-write.js';
import { assertApplicable } from '../reconcile/apply.js';
import { carryOutPlan } from '../reconcile/apply-run.js';
import { computePlan } from '../reconcile/gather.js';
import { writeManifestEdit } from '../reconcile/manifest-edit-io.js';
import { mirrorRulesInto } from '../store/classifier-setup.js';
import { markModelsDeleted } from '../store/delete.js';
import { buildInventoryDocument, inventoryFormatFor, serializeInventory } from '../store/export.js';
import { gatherHashFiles, planHashFiles, writeHashFiles } from '../store/hashfiles.js';
import { takeHubLock } from '../store/lock.js';
import { classifyStoredModels, type StoredClassification } from '../store/reclassify.js';
import { scanAndClassify } from '../store/scan-classify.js';
import type { ScanProgress } from '../store/scan.js';
import type { Effect } from './effects.js';
import { modelsOf, type Dispatch, type RunnerDeps, type SetupSource } from './runner-deps.js';

/**
 * The background jobs: scan, reclassify, delete, hash files, apply, save a manifest edit,
 * export. Each writing one holds the hub lock, as the command of the same name does, and
 * reports progress and its end as events. The domain calls are the commands' own.
 */
export async function runJob(effect: Effect, deps: RunnerDeps, getSetup: SetupSource, dispatch: Dispatch): Promise<void> {
  const done = (message: string, lines?: string[], title?: string): void =>
    dispatch(lines === undefined || lines.length === 0 ? { type: 'done', message } : { type: 'done', message, report: { title: title ?? effect.kind, lines } });
  switch (effect.kind) {
    case 'scan': {
      const setup = await getSetup();
      const { report } = await locked(deps, 'scan', async () => {
        await mirrorRulesInto(deps.hub, setup, deps.config);
        const progress = scanProgress(deps, effect.path, dispatch);
        return scanAndClassify(deps.hub, [effect.path], setup, { mode: effect.symlinks ? 'link' : 'move', dryRun: false, cwd: deps.cwd, settleMs: deps.config.scan.settle_seconds * 1000, now: deps.now, progress });
      });
      const lines = report.files.filter((f) => f.outcome === 'failed' || f.outcome === 'skipped').map((f) => `${f.outcome === 'failed' ? '!' : '-'} ${f.path}: ${f.reason ?? f.outcome}`);
      return done(`Scanned ${effect.path}: ${report.imported} imported, ${report.duplicates} duplicates, ${report.unchanged} unchanged, ${report.skipped} skipped, ${report.failed} failed.`, lines, 'scan: skipped and failed files');
    }
    case 'reclassify': {
      const setup = await getSetup();
      const results = await locked(deps, 'reclassify', async () => {
        await mirrorRulesInto(deps.hub, setup, deps.config);
        return classifyStoredModels(deps.hub, modelsOf(deps.hub, effect.hashes), { classify: setup.options, civitai: setup.civitai, lookup: setup.lookup });
      });
      const changed = results.filter((r) => r.changed).length;
      const failed = results.filter((r) => r.error !== undefined).length;
      return done(`Reclassified ${results.length} model${results.length === 1 ? '' : 's'}: ${changed} changed, ${failed} failed.`, results.map(beforeAfter), 'reclassify: before → after');
    }
    case 'delete': {
      await locked(deps, 'delete', async () => markModelsDeleted(deps.hub, effect.hashes));
      const n = effect.hashes.length;
      return done(`Deleted ${n} model${n === 1 ? '' : 's'} (\`modelhub restore\` undoes it); the next apply removes their links (D shows the plan).`);
    }
    case 'hash-files': {
      const wanted = new Set(effect.hashes);
      const input = gatherHashFiles(deps.hub, 'store');
      const plan = planHashFiles({ ...input, targets: input.targets.filter((t) => wanted.has(t.hash)), skipped: [] });
      const result = await locked(deps, 'hashes', async () => writeHashFiles(deps.hub, plan));
      const lines = [...result.written.map((f) => `+ ${f}`), ...plan.unchanged.map((t) => `= ${t.hashFile} (already right)`), ...plan.conflicts.map((c) => `! ${c.hashFile}: ${c.found} (left alone)`)];
      return done(`Hash files: ${result.written.length} written, ${plan.unchanged.length} already right, ${plan.conflicts.length} left alone.`, lines, 'hash files');
    }
    case 'apply':
      return done(await applyShownPlan(deps, effect.fingerprint, dispatch));
    case 'save-edit': {
      const files = writeManifestEdit(effect.plan);
      return done(`Saved ${files.join(', ')}. The plan shows what apply would do now.`);
    }
    case 'export': {
      if (effect.path === '-') throw new ModelHubError('USAGE', 'the TUI cannot export to stdout (-): it is the screen', { hint: 'give a file name, or run `modelhub export -`' });
      const file = resolve(deps.cwd, effect.path);
      const doc = buildInventoryDocument(deps.hub);
      const format = inventoryFormatFor(file);
      writeFileSafely(file, serializeInventory(doc, format));
      return done(`Exported ${doc.models.length} model${doc.models.length === 1 ? '' : 's'} to ${file} (${format.toUpperCase()}).`);
    }
    default:
      return undefined;
  }
}

/**
 * Apply the plan that was shown, and only that one: a fresh plan is computed under the lock and
 * refused when its fingerprint differs (the hub or the manifests changed since), as a saved
 * plan is; then the same applier `modelhub apply` uses carries it out.
 */
async function applyShownPlan(deps: RunnerDeps, fingerprint: string, dispatch: Dispatch): Promise<string> {
  return locked(deps, 'apply', async () => {
    const { plan, gathered } = await computePlan({ hub: deps.hub, context: deps.context, target: null, adopt: false });
    if (plan.fingerprint !== fingerprint) {
      dispatch({ type: 'hub-changed' });
      throw new ModelHubError('PLAN_STALE', 'the plan changed since it was shown (the manifests, the inventory or the recorded links changed); nothing was changed', { hint: 'review the new plan, then press a again' });
    }
    assertApplicable(plan, false);
    const total = plan.changes.length;
    const r = await carryOutPlan(deps.hub, plan, gathered, { allowEmpty: false, onStep: (n) => dispatch({ type: 'progress', text: `applying: ${n} of ${total} steps…` }) });
    if (r === null) return 'No changes.';
    return `Apply complete! ${r.created.length} linked, ${r.replaced.length} relinked, ${r.deleted.length} removed${r.adopted.length > 0 ? `, ${r.adopted.length} adopted` : ''}.`;
  });
}

/** Run `fn` holding the hub lock, as `modelhub <command>` would (waiting up to --lock-timeout). */
async function locked<T>(deps: RunnerDeps, command: string, fn: () => Promise<T>): Promise<T> {
  const lock = await takeHubLock(deps.hub, `modelhub tui (${command})`, { timeoutMs: deps.lockTimeoutMs, now: deps.now, sleep: deps.sleep });
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

function beforeAfter(r: StoredClassification): string {
  const show = (s: StoredClassification['before']): string => `${s.type}/${s.base}${s.variant ? `/${s.variant}` : ''} (${formatConfidence(s.confidence)})`;
  if (r.error !== undefined) return `! ${r.name}: ${r.error}`;
  return `${r.changed ? '~' : '='} ${r.name}: ${show(r.before)}${r.changed ? ` → ${show(r.after)}` : ' (unchanged)'}`;
}

/** The scan's progress as the job's progress line, at most ten times a second. */
function scanProgress(deps: RunnerDeps, path: string, dispatch: Dispatch): ScanProgress {
  let files = 0;
  let bytes = 0;
  let doneFiles = 0;
  let doneBytes = 0;
  let last = 0;
  const tell = (force = false): void => {
    const t = deps.now();
    if (!force && t - last < 100) return;
    last = t;
    dispatch({ type: 'progress', text: `scanning ${path}: ${doneFiles}/${files} files, ${formatBytes(doneBytes)} of ${formatBytes(bytes)} hashed…` });
  };
  return {
    begin(f, b) {
      files = f;
      bytes = b;
      tell(true);
    },
    advance(b) {
      doneBytes += b;
      tell();
    },
    fileDone() {
      doneFiles++;
      tell();
    },
    end() {
      tell(true);
    },
  };
}
