import { dirname, relative, sep } from 'node:path';
import { ModelHubError } from '../core/errors.js';
import type { DeploymentSpec, Manifests, TargetSpec } from './manifest-types.js';
import { matchesSelector, type DeployModel } from './select.js';
import { DEFAULT_TEMPLATE, renderTemplate, templateValues } from './template.js';

/** One link the manifests ask for. */
export interface DesiredLink {
  target: string;
  /** Absolute path of the link. */
  path: string;
  /** The link's path relative to the target root (posix separators), for display. */
  relPath: string;
  model: { hash: string; name: string; type: string; base: string; variant: string | null };
  /** The store file the link resolves to (absolute). */
  storeFile: string;
  /** What the symlink holds: `storeFile`, or a path relative to the link's folder (`links: relative`). */
  linkTarget: string;
  /** The first deployment (manifest order) that declares this link; recorded with it. */
  deployment: string;
}

export interface DesiredInput {
  manifests: Manifests;
  /** Live models with overrides applied. */
  models: DeployModel[];
  /** The hub's store folder (`<hub>/models`). */
  storeDir: string;
  /** Only this target (`--target NAME`); undefined: all. */
  onlyTarget?: string | undefined;
}

/**
 * The links the manifests declare, sorted by path. Pure: no filesystem, no database.
 * Disabled targets and deployments declare nothing. The same model reaching the same path
 * through several deployments is one link; two different models (or two targets) claiming one
 * path is an ERR_MODELHUB_LINK_COLLISION naming both, with every collision listed.
 */
export function computeDesired(input: DesiredInput): DesiredLink[] {
  const byPath = new Map<string, DesiredLink>();
  /** Paths claimed by more than one (model, target): every claimant with the deployments behind it. */
  const contested = new Map<string, Map<string, { link: DesiredLink; deployments: Set<string> }>>();
  for (const target of input.manifests.targets) {
    if (!target.enabled || (input.onlyTarget !== undefined && target.name !== input.onlyTarget)) continue;
    for (const dep of input.manifests.deployments) {
      if (!dep.enabled || !dep.targets.includes(target.name)) continue;
      for (const model of input.models) {
        const link = declareLink(target, dep, model, input.storeDir);
        if (link === undefined) continue;
        const existing = byPath.get(link.path);
        if (existing === undefined) byPath.set(link.path, link);
        else if (existing.model.hash !== link.model.hash || existing.target !== link.target || contested.has(link.path)) noteClaim(contested, existing, link);
      }
    }
  }
  const collisions = [...contested.values()].filter((claims) => claims.size > 1).map(describeCollision);
  if (collisions.length > 0) {
    throw new ModelHubError('LINK_COLLISION', `${collisions.length} link path${collisions.length === 1 ? ' is' : 's are'} claimed twice:\n${collisions.slice(0, 50).join('\n')}`, {
      hint: 'give the deployments different `path` templates, narrow their `select`, or rename one model with an Override (set.name)',
      details: collisions,
    });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function declareLink(target: TargetSpec, dep: DeploymentSpec, model: DeployModel, storeDir: string): DesiredLink | undefined {
  const folder = target.mappings[model.type];
  if (folder === undefined) return undefined;
  if (!matchesSelector(dep.select, model)) return undefined;
  if (dep.exclude !== null && matchesSelector(dep.exclude, model)) return undefined;
  const rendered = dep.path === DEFAULT_TEMPLATE ? model.name : renderTemplate(dep.path, templateValues(model));
  const relPath = folder === '' ? rendered : `${folder}/${rendered}`;
  // Plain concatenation: root and storeDir are absolute and normalized, relPath is normalized.
  const path = `${target.root.endsWith(sep) ? target.root : target.root + sep}${sep === '/' ? relPath : relPath.split('/').join(sep)}`;
  const storeFile = `${storeDir}${sep}${model.hash}${sep}${model.filename}`;
  const linkTarget = target.links === 'relative' ? relative(dirname(path), storeFile) : storeFile;
  return {
    target: target.name,
    path,
    relPath,
    model: { hash: model.hash, name: model.name, type: model.type, base: model.base, variant: model.variant },
    storeFile,
    linkTarget,
    deployment: dep.name,
  };
}

function noteClaim(contested: Map<string, Map<string, { link: DesiredLink; deployments: Set<string> }>>, first: DesiredLink, link: DesiredLink): void {
  let claims = contested.get(link.path);
  if (claims === undefined) {
    claims = new Map([[`${first.target}|${first.model.hash}`, { link: first, deployments: new Set([first.deployment]) }]]);
    contested.set(link.path, claims);
  }
  const key = `${link.target}|${link.model.hash}`;
  const claim = claims.get(key);
  if (claim === undefined) claims.set(key, { link, deployments: new Set([link.deployment]) });
  else claim.deployments.add(link.deployment);
}

function describeCollision(claims: Map<string, { link: DesiredLink; deployments: Set<string> }>): string {
  const list = [...claims.values()];
  const who = ({ link, deployments }: { link: DesiredLink; deployments: Set<string> }): string =>
    `${link.model.name} (${link.model.hash.slice(0, 12)}, deployment${deployments.size > 1 ? 's' : ''} ${[...deployments].join(', ')}, target ${link.target})`;
  return `  ${list[0]!.link.path}: ${list.map(who).join(' and ')}`;
}
