import { dirname, relative, sep } from 'node:path';
import { checkLinkPath } from '../core/names.js';
import type { StoredCompanion } from '../store/companions.js';
import { deriveCompanionLinks } from './companion-links.js';
import type { DeploymentSpec, Manifests, TargetSpec } from './manifest-types.js';
import { mappedFolder } from './mapping.js';
import type { CompanionNote } from './plan-types.js';
import { matchesSelector, selects, type DeployModel } from './select.js';
import { DEFAULT_TEMPLATE, renderTemplate, templateValues } from './template.js';

/** One link the manifests ask for. */
export interface DesiredLink {
  target: string;
  /** Absolute path of the link. */
  path: string;
  /** The link's path relative to the target root (posix separators), for display. */
  relPath: string;
  model: { hash: string; name: string; type: string; base: string; variant: string | null; unsafe?: true };
  /** The store file the link resolves to (absolute). */
  storeFile: string;
  /** What the symlink holds: `storeFile`, or a path relative to the link's folder (`links: relative`). */
  linkTarget: string;
  /** The first deployment (manifest order) that declares this link; recorded with it. */
  deployment: string;
  /** A companion link (reconcile/companion-links.ts): the path of the model link it sits beside. */
  companionOf?: string;
}

export interface DesiredInput {
  manifests: Manifests;
  /** Live models with overrides applied. */
  models: DeployModel[];
  /** The hub's store folder (`<hub>/models`). */
  storeDir: string;
  /** Only this target (`--target NAME`); undefined: all. */
  onlyTarget?: string | undefined;
  /** The companion copies in each model's store folder, by hash (store/companions.ts); none when absent. */
  companions?: ReadonlyMap<string, readonly StoredCompanion[]>;
}

/** A link path two or more (target, model) pairs would claim: planned as one `name-clash` conflict. */
export interface LinkClash {
  /** Absolute path of the contested link. */
  path: string;
  /** Every claimant in manifest order, with the deployments behind it. */
  claims: Array<{ target: string; relPath: string; model: { hash: string; name: string }; deployments: string[] }>;
}

/**
 * A link whose rendered path may not be created: a model name from disk (or a template value)
 * holding control or bidi characters, a leading dot, a trailing space or dot, `..`. Planned as
 * an `unsafe-name` conflict; an Override `set.name` settles it.
 */
export interface UnsafeName {
  target: string;
  path: string;
  relPath: string;
  model: { hash: string; name: string };
  /** Why, in words (core/names.ts checkLinkPath). */
  reason: string;
}

export interface Desired {
  /** The uncontested links, sorted by path. */
  links: DesiredLink[];
  /** Contested paths (none of their claimants is in `links`), sorted by path. */
  clashes: LinkClash[];
  /** Links refused for their name, sorted by path. */
  unsafeNames: UnsafeName[];
  /** The companion links beside `links`, sorted by path, and those left out (deriveCompanionLinks). */
  companionLinks: DesiredLink[];
  companionSkips: CompanionNote[];
}

/**
 * The links the manifests declare. Pure: no filesystem, no database. Disabled targets and
 * deployments declare nothing, nor does a mapping for a model that does not meet its
 * conditions. The same model reaching the same path through several deployments is one link;
 * two different models (or two targets) claiming one path is a clash, returned as data so that
 * one clash never stops the other paths from being planned.
 */
export function computeDesired(input: DesiredInput): Desired {
  const byPath = new Map<string, DesiredLink>();
  /** Paths claimed by more than one (model, target): every claimant with the deployments behind it. */
  const contested = new Map<string, Map<string, { link: DesiredLink; deployments: Set<string> }>>();
  const unsafe = new Map<string, UnsafeName>();
  for (const target of input.manifests.targets) {
    if (!target.enabled || (input.onlyTarget !== undefined && target.name !== input.onlyTarget)) continue;
    for (const dep of input.manifests.deployments) {
      if (!dep.enabled || !dep.targets.includes(target.name)) continue;
      for (const model of input.models) {
        const declared = declareLink(target, dep, model, input.storeDir);
        if (declared === undefined) continue;
        const { link, rendered } = declared;
        const why = checkLinkPath(rendered);
        if (why !== undefined) {
          unsafe.set(link.path, { target: link.target, path: link.path, relPath: link.relPath, model: { hash: link.model.hash, name: link.model.name }, reason: why });
          continue;
        }
        const existing = byPath.get(link.path);
        if (existing === undefined) byPath.set(link.path, link);
        else if (existing.model.hash !== link.model.hash || existing.target !== link.target || contested.has(link.path)) noteClaim(contested, existing, link);
      }
    }
  }
  const clashes: LinkClash[] = [];
  for (const [path, claims] of contested) {
    if (claims.size < 2) continue;
    byPath.delete(path);
    clashes.push({ path, claims: [...claims.values()].map(({ link, deployments }) => ({ target: link.target, relPath: link.relPath, model: { hash: link.model.hash, name: link.model.name }, deployments: [...deployments] })) });
  }
  const byPathOrder = <T extends { path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const links = [...byPath.values()].sort(byPathOrder);
  const companions = deriveCompanionLinks(links, input.companions ?? new Map());
  return { links, clashes: clashes.sort(byPathOrder), unsafeNames: [...unsafe.values()].sort(byPathOrder), companionLinks: companions.links, companionSkips: companions.skipped };
}

/** One clash in words: `PATH: NAME (HASH, deployment D, target T) and …` (validate --inventory). */
export function describeClash(clash: LinkClash): string {
  const who = (c: LinkClash['claims'][number]): string =>
    `${c.model.name} (${c.model.hash.slice(0, 12)}, deployment${c.deployments.length > 1 ? 's' : ''} ${c.deployments.join(', ')}, target ${c.target})`;
  return `${clash.path}: ${clash.claims.map(who).join(' and ')}`;
}

function declareLink(target: TargetSpec, dep: DeploymentSpec, model: DeployModel, storeDir: string): { link: DesiredLink; rendered: string } | undefined {
  const folder = mappedFolder(target, model);
  if (folder === undefined) return undefined;
  if (!selects(dep.select, model)) return undefined;
  if (dep.exclude !== null && matchesSelector(dep.exclude, model)) return undefined;
  const rendered = dep.path === DEFAULT_TEMPLATE ? model.name : renderTemplate(dep.path, templateValues(model));
  const relPath = folder === '' ? rendered : `${folder}/${rendered}`;
  // Plain concatenation: root and storeDir are absolute and normalized, relPath is normalized.
  const path = `${target.root.endsWith(sep) ? target.root : target.root + sep}${sep === '/' ? relPath : relPath.split('/').join(sep)}`;
  const storeFile = `${storeDir}${sep}${model.hash}${sep}${model.filename}`;
  const linkTarget = target.links === 'relative' ? relative(dirname(path), storeFile) : storeFile;
  const link = {
    target: target.name,
    path,
    relPath,
    model: { hash: model.hash, name: model.name, type: model.type, base: model.base, variant: model.variant, ...(model.unsafe === true ? { unsafe: true as const } : {}) },
    storeFile,
    linkTarget,
    deployment: dep.name,
  };
  return { link, rendered };
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
