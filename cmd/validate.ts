import { isModelHubError } from '../core/errors.js';
import type { YamlProblem } from '../core/yaml.js';
import type { CommandContext } from './context.js';
import { EXIT } from './program.js';

/**
 * `modelhub validate`: check the manifests (schemas, references, folders, vocabulary) without
 * opening the hub, for CI in the repository that holds them. Exit 0 valid, 1 invalid; every
 * problem is printed as `file:line:col: message`.
 */
export default async function validate(ctx: CommandContext): Promise<void> {
  const { loadManifests } = await import('../reconcile/manifests.js');
  const { hubLayout } = await import('../store/hub.js');
  const dir = ctx.config.manifests;
  try {
    const m = loadManifests(dir, { env: ctx.io.env, cwd: ctx.io.cwd, storeDir: hubLayout(ctx.config.hub).modelsDir });
    const counts = { files: m.files.length, targets: m.targets.length, deployments: m.deployments.length, overrides: m.overrides.length };
    if (ctx.json) {
      ctx.printJson({ valid: true, manifests: dir, ...counts, problems: [] });
      return;
    }
    const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
    ctx.out(
      `${ctx.chalk.green('Manifests valid:')} ${plural(counts.targets, 'target')}, ${plural(counts.deployments, 'deployment')}, ${plural(counts.overrides, 'override')} in ${plural(counts.files, 'file')} (${dir}).`,
    );
  } catch (err) {
    if (!isModelHubError(err) || err.code !== 'ERR_MODELHUB_MANIFESTS_INVALID') throw err;
    const problems = err.details as YamlProblem[];
    if (ctx.json) ctx.printJson({ valid: false, manifests: dir, problems });
    else {
      const { formatProblems } = await import('../core/yaml.js');
      ctx.err(formatProblems(problems));
      ctx.err(ctx.chalk.red(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${new Set(problems.map((p) => p.file)).size} file(s).`));
    }
    ctx.exitCode = EXIT.error;
  }
}
