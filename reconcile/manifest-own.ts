import { resolve } from 'node:path';
import type { DeploymentSpec } from './manifest-types.js';

/** The manifest file ModelHub writes its own documents to: the TUI's deploy menu, `modelhub deploy` and `rename`. */
export const OWN_DEPLOY_FILE = 'modelhub-deploy.yaml';

export const OWN_HEADER = `# Deployments made with ModelHub (the TUI's deploy menu, \`modelhub deploy\`): one per target
# and path template, selecting models by hash; and the names \`modelhub rename\` gave (Overrides
# matching one hash). ModelHub edits this file; you may edit it too (comments and order are
# kept), and it is reviewed in git like every other manifest.
`;

/**
 * The Deployment ModelHub keeps for a target and path template: `modelhub-<target>` for the
 * default `{name}`, else with the template's words appended (`{dir}/{name}` → `modelhub-comfy-dir-name`).
 */
export function ownDeploymentName(target: string, path?: string): string {
  const words = path === undefined || path === '{name}' ? '' : path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return words === '' ? `modelhub-${target}` : `modelhub-${target}-${words}`;
}

/** Whether a deployment is one ModelHub keeps for `target`: in its own file, named as ownDeploymentName names them. */
export function isOwnDeployment(d: DeploymentSpec, target: string, ownFile: string, cwd: string): boolean {
  const base = ownDeploymentName(target);
  return fileOf(d, cwd) === ownFile && (d.name === base || d.name.startsWith(`${base}-`));
}

/** A file name for a YAML comment: one line, no control or invisible characters. */
export function commentSafe(name: string): string {
  return name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');
}

/** The absolute path of the file a document came from. */
export function fileOf(spec: { source: { file: string } }, cwd: string): string {
  return resolve(cwd, spec.source.file);
}
