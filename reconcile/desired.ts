import { dirname, posix, relative, sep } from 'node:path';
import { checkLinkPath } from '../core/names.js';
import { shardOf } from '../formats/shards.js';
import type { StoredCompanion } from '../store/companions.js';
import { deriveCompanionLinks } from './companion-links.js';
import type { DeploymentSpec, Manifests, TargetSpec } from './manifest-types.js';
import { mappedFolder } from './mapping.js';
import { dirOf, publisherRepoOf } from './model-place.js';
import type { CompanionNote } from './plan-types.js';
import { pairProjectors } from './projectors.js';
import { matchesSelector, selects, type DeployModel } from './select.js';
import { DEFAULT_TEMPLATE, renderTemplate, templateValues, type PlaceValues } from './template.js';

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
  const admit = ({ link, rendered }: Declared): void => {
    const why = checkLinkPath(rendered);
    if (why !== undefined) {
      unsafe.set(link.path, { target: link.target, path: link.path, relPath: link.relPath, model: { hash: link.model.hash, name: link.model.name }, reason: why });
      return;
    }
    const existing = byPath.get(link.path);
    if (existing === undefined) byPath.set(link.path, link);
    else if (existing.model.hash !== link.model.hash || existing.target !== link.target || contested.has(link.path)) noteClaim(contested, existing, link);
  };
  const ctx = placeContext(input.models, input.storeDir);
  for (const target of input.manifests.targets) {
    if (!target.enabled || (input.onlyTarget !== undefined && target.name !== input.onlyTarget)) continue;
    for (const dep of input.manifests.deployments) {
      if (!dep.enabled || !dep.targets.includes(target.name)) continue;
      for (const model of input.models) {
        const declared = declareLink(target, dep, model, ctx);
        if (declared === undefined) continue;
        admit(declared);
        for (const projector of ctx.projectors.get(model.hash) ?? []) {
          const beside = declareProjector(target, dep, projector, declared, ctx);
          if (beside !== undefined) admit(beside);
        }
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

interface Declared {
  link: DesiredLink;
  /** The path the template rendered (below the mapped folder), held to the link-name rules. */
  rendered: string;
}

/** What every link of one computation shares: the store, each model's place values, the projector pairs. */
interface PlaceContext {
  storeDir: string;
  projectors: Map<string, DeployModel[]>;
  place(model: DeployModel): PlaceValues;
}

function placeContext(models: readonly DeployModel[], storeDir: string): PlaceContext {
  const projectors = pairProjectors(models);
  const memo = new Map<DeployModel, PlaceValues>();
  const place = (m: DeployModel): PlaceValues => {
    let values = memo.get(m);
    if (values === undefined) {
      const dir = dirOf(m.origin, m.type);
      values = { dir, ...publisherRepoOf(m.origin, dir), bundle: bundleOf(m, projectors.has(m.hash)) };
      memo.set(m, values);
    }
    return values;
  };
  return { storeDir, projectors, place };
}

/**
 * `{bundle}`: the folder a model made of several files needs (llama.cpp's router reads such a
 * model from a folder of its own): a shard's name without `-00001-of-00003` and extension, an
 * LLM's stem when it has a vision projector; empty for a model of one file.
 */
function bundleOf(m: DeployModel, hasProjector: boolean): string {
  const shard = shardOf(m.name);
  if (shard !== undefined) return shard.stem;
  if (!hasProjector) return '';
  const dot = m.name.lastIndexOf('.');
  return dot > 0 ? m.name.slice(0, dot) : m.name;
}

function declareLink(target: TargetSpec, dep: DeploymentSpec, model: DeployModel, ctx: PlaceContext): Declared | undefined {
  const folder = mappedFolder(target, model);
  if (folder === undefined) return undefined;
  if (!selects(dep.select, model)) return undefined;
  if (dep.exclude !== null && matchesSelector(dep.exclude, model)) return undefined;
  return placeLink(target, dep, model, folder, ctx);
}

/**
 * A vision projector rides with its LLM: into the target's `mmproj` folder when it maps one
 * (text-generation-webui), else beside the LLM's link. The deployment's `exclude` still holds;
 * a projector is never selected as a model of its own by a deployment selecting `llm`.
 */
function declareProjector(target: TargetSpec, dep: DeploymentSpec, projector: DeployModel, llm: Declared, ctx: PlaceContext): Declared | undefined {
  if (dep.exclude !== null && matchesSelector(dep.exclude, projector)) return undefined;
  if (projector.unsafe === true && dep.select.unsafe !== true) return undefined;
  const own = mappedFolder(target, projector);
  if (own !== undefined) return placeLink(target, dep, projector, own, ctx);
  const folder = posix.dirname(llm.rendered);
  const rendered = folder === '.' ? projector.name : `${folder}/${projector.name}`;
  const llmFolder = posix.dirname(llm.link.relPath);
  return linkAt(target, dep, projector, llmFolder === '.' ? projector.name : `${llmFolder}/${projector.name}`, rendered, ctx.storeDir);
}

/** The link for `model` under `folder`: the deployment's path template, else the target's for the type, else `{name}`. */
function placeLink(target: TargetSpec, dep: DeploymentSpec, model: DeployModel, folder: string, ctx: PlaceContext): Declared {
  const template = dep.path ?? target.paths[model.type] ?? DEFAULT_TEMPLATE;
  const rendered = template === DEFAULT_TEMPLATE ? model.name : renderTemplate(template, templateValues(model, ctx.place(model)));
  return linkAt(target, dep, model, folder === '' ? rendered : `${folder}/${rendered}`, rendered, ctx.storeDir);
}

function linkAt(target: TargetSpec, dep: DeploymentSpec, model: DeployModel, relPath: string, rendered: string, storeDir: string): Declared {
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
