import { join } from 'node:path';
import { ModelHubError, isModelHubError } from '../core/errors.js';
import { escapeMessage } from '../core/terminal-text.js';
import { readDeployOverview } from '../reconcile/deploy-overview.js';
import { openManifests, type DeploymentContext } from '../reconcile/deployment-context.js';
import { manifestEditDiff, readManifestEdit } from '../reconcile/manifest-edit-io.js';
import { readModelDetails } from '../reconcile/model-details.js';
import { listBrowseRows } from '../store/browse.js';
import { createClassifierSetup, type ClassifierSetup } from '../store/classifier-setup.js';
import { gatherDelete, planDelete } from '../store/delete.js';
import { storePath } from '../store/hub.js';
import type { Runner } from './app.js';
import { copyToClipboard, shellQuote } from './clipboard.js';
import type { CopyWhat, Effect } from './effects.js';
import { runJob } from './jobs.js';
import { modelsOf, type Dispatch, type RunnerDeps, type SetupSource } from './runner-deps.js';
import { describeMappingMiss, mappedFolder } from '../reconcile/mapping.js';

export type { RunnerDeps } from './runner-deps.js';

/**
 * The effect runner: carries out what the reducer asks for through the same domain functions
 * the commands use, and answers with events. It never throws: a failure becomes a `failed`
 * event whose message (and hint) goes to the status line. Every effect starts after the
 * current keystroke has been drawn.
 */
export function createRunner(deps: RunnerDeps): Runner {
  let setup: Promise<ClassifierSetup> | undefined;
  const getSetup: SetupSource = () => (setup ??= createClassifierSetup(deps.config, { env: deps.env, offline: deps.offline, sleep: deps.sleep }));
  return (effect, dispatch) => {
    setImmediate(() => {
      perform(effect, deps, getSetup, dispatch).catch((err: unknown) => dispatch({ type: 'failed', message: describeError(err) }));
    });
  };
}

async function perform(effect: Effect, deps: RunnerDeps, getSetup: SetupSource, dispatch: Dispatch): Promise<void> {
  const { hub } = deps;
  switch (effect.kind) {
    case 'load-rows':
      return dispatch({ type: 'rows', rows: listBrowseRows(hub.db) });
    case 'load-details':
      return dispatch({ type: 'details', details: await readModelDetails(hub, effect.hash, await getSetup()) });
    case 'load-deploy':
      return dispatch({ type: 'deploy', overview: await readDeployOverview(hub, deps.context) });
    case 'preview-delete': {
      const gathered = gatherDelete(hub, modelsOf(hub, effect.hashes), false);
      return dispatch({ type: 'delete-preview', plan: planDelete(gathered.models, gathered.deployLinks) });
    }
    case 'preview-edit': {
      const plan = readManifestEdit(hub, deps.context, effect.change);
      return dispatch({ type: 'edit-preview', plan, diff: manifestEditDiff(plan) });
    }
    case 'copy': {
      const text = copyText(deps, effect.hash, effect.what, effect.target);
      const how = await copyToClipboard(text, { ...deps.clipboard, env: deps.env });
      return dispatch({ type: 'notice', message: `Copied with ${how}: ${text}` });
    }
    case 'quit':
      return;
    default:
      return runJob(effect, deps, getSetup, dispatch);
  }
}

/** The store path, the SHA-256, or the `ln -s STORE LINK` command deploying the model into a target's folder for its type. */
function copyText(deps: RunnerDeps, hash: string, what: CopyWhat, target: string | undefined): string {
  const [m] = modelsOf(deps.hub, [hash]);
  if (m === undefined) throw new ModelHubError('MODEL_NOT_FOUND', `model ${hash.slice(0, 12)} is no longer in the inventory`, { hint: 'Ctrl-R reloads the list' });
  if (what === 'hash') return m.sha256;
  const store = storePath(deps.hub.layout, m.sha256, m.filename);
  if (what === 'path') return store;
  const t = openManifests(deps.context).targets.find((x) => x.name === target);
  const model = { type: m.primary_type, base: m.base_model, format: m.format };
  const folder = t === undefined ? undefined : mappedFolder(t, model);
  const miss = t === undefined ? undefined : describeMappingMiss(t, model);
  if (t === undefined || folder === undefined) throw new ModelHubError('UNKNOWN_TARGET', `target ${target ?? '?'} ${miss ?? `has no folder for type ${m.primary_type}`}`, { hint: miss === undefined ? 'add a mapping to its Target document' : 'change the mapping in its Target document' });
  return `ln -s ${shellQuote(store)} ${shellQuote(join(t.root, folder, m.name))}`;
}

/** A failure for the status line: the message and its hint, escaped, on one line. */
export function describeError(err: unknown): string {
  if (isModelHubError(err)) {
    const text = `${err.message}${err.hint === undefined ? '' : ` (hint: ${err.hint})`}`;
    return escapeMessage(text).replace(/\s*\n\s*/g, ' · ');
  }
  const message = err instanceof Error ? err.message : String(err);
  return escapeMessage(`internal error (a bug in ModelHub; please report it): ${message}`).replace(/\s*\n\s*/g, ' · ');
}
