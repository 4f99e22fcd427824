import { matchesNameGlob } from '../core/glob.js';
import type { ModelOrigin } from '../store/model-origins.js';
import type { Selector } from './manifest-types.js';

/** A model as deployments see it: the inventory's answer with every Override applied. */
export interface DeployModel {
  hash: string;
  /** The file name in the store. */
  filename: string;
  /** The name links get: an Override's set.name, or the model's name (store/model-name.ts). */
  name: string;
  format: string;
  size: number;
  type: string;
  base: string;
  variant: string | null;
  tags: string[];
  /** Flagged unsafe at import: selected only by `unsafe: true` or by hash. */
  unsafe?: boolean;
  /** Where it was found ({dir}, {publisher}, {repo}; pairing a projector with its LLM); absent: no source recorded. */
  origin?: ModelOrigin;
}

/** A name glob in the one dialect every interface uses (core/glob.ts). */
export function matchesGlob(glob: string, text: string): boolean {
  return matchesNameGlob(glob, text);
}

/**
 * Whether a deployment's `select` takes a model: it meets every condition, and if the model is
 * flagged unsafe the selector says `unsafe: true` or names it by hash — a pickle that refers to
 * foreign code is never deployed by accident.
 */
export function selects(sel: Selector, m: DeployModel): boolean {
  if (m.unsafe === true && sel.unsafe !== true && sel.hash === undefined) return false;
  return matchesSelector(sel, m);
}

/**
 * Whether a model meets every condition of a selector (a list is any-of; `{}` matches
 * everything). `unsafe: false` is a condition (safe models only); `unsafe: true` is no
 * condition but the permission `selects` asks for.
 */
export function matchesSelector(sel: Selector, m: DeployModel): boolean {
  if (sel.unsafe === false && m.unsafe === true) return false;
  if (sel.type !== undefined && !sel.type.includes(m.type)) return false;
  if (sel.base !== undefined && !sel.base.includes(m.base)) return false;
  if (sel.variant !== undefined && (m.variant === null || !sel.variant.includes(m.variant))) return false;
  if (sel.format !== undefined && !sel.format.includes(m.format)) return false;
  if (sel.name !== undefined && !sel.name.some((g) => matchesGlob(g, m.name))) return false;
  if (sel.hash !== undefined && !sel.hash.some((h) => m.hash.startsWith(h))) return false;
  if (sel.tag !== undefined && !sel.tag.some((t) => m.tags.includes(t))) return false;
  return true;
}
