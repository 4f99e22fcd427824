import type { TensorInfo } from '../formats/types.js';
import { KeyView } from './key-view.js';
import type { Component, ComponentPattern, RuleSet } from './ruleset.js';

/** One component of an all-in-one file: its prefix (as matched) and its keys without it. */
export interface ComponentPart {
  prefix: string;
  component: Exclude<Component, 'file'>;
  view: KeyView;
}

/**
 * The key sets rules are matched against.
 * - `whole`: every key after canonicalisation (ignored quantisation keys dropped, wrappers that
 *   wrap everything removed).
 * - `standalone`: the views to try, in order, for a single-component file: `whole`, then the same
 *   keys with the one component prefix removed (a `vae.`-prefixed VAE, a `model.diffusion_model.`
 *   UNet). Root keys outside every component stay in.
 * - `checkpoint`: set when diffusion keys come with VAE or text-encoder keys (an all-in-one file):
 *   the diffusion keys without their prefix (plus root keys such as `v_pred`), and every part.
 */
export interface KeyViews {
  whole: KeyView;
  standalone: KeyView[];
  checkpoint?: { diffusion: KeyView; diffusionPrefixes: string[]; parts: ComponentPart[] };
  /** How many keys were left out as quantisation bookkeeping (scaled_fp8, *.scale_weight, …). */
  ignored: number;
  /** How many keys sit under a VAE or text-encoder prefix: none in a diffusion model alone. */
  companionKeys: number;
}

type Entry = readonly [string, readonly number[]];

/** Build the views of a header's tensors; pure, linear in the number of keys. */
export function buildKeyViews(tensors: readonly TensorInfo[], rules: RuleSet): KeyViews {
  const { entries, ignored } = canonicalEntries(tensors, rules.canonical);
  const whole = new KeyView(entries);
  const { groups, rest } = splitComponents(entries, rules.components);
  let diffusionCount = 0;
  let others = 0;
  for (const g of groups.values()) {
    if (g.component === 'diffusion') diffusionCount += g.entries.length;
    else if (g.component === 'vae' || g.component === 'text_encoder') others += g.entries.length;
  }
  if (diffusionCount >= 5 && others > 0) {
    const diffusion: Entry[] = [...rest];
    const diffusionPrefixes: string[] = [];
    const parts: ComponentPart[] = [];
    for (const [prefix, g] of groups) {
      if (g.component === 'diffusion') {
        diffusion.push(...g.entries);
        diffusionPrefixes.push(prefix);
      } else parts.push({ prefix, component: g.component, view: new KeyView(g.entries) });
    }
    return { whole, standalone: [whole], checkpoint: { diffusion: new KeyView(diffusion), diffusionPrefixes, parts }, ignored, companionKeys: others };
  }
  const standalone = [whole];
  if (groups.size === 1) {
    const only = [...groups.values()][0];
    if (only !== undefined && only.entries.length >= rest.length) standalone.push(new KeyView([...only.entries, ...rest]));
  }
  return { whole, standalone, ignored, companionKeys: others };
}

/** Drop ignored keys, then strip wrapper prefixes for as long as one wraps every key. */
function canonicalEntries(tensors: readonly TensorInfo[], canon: RuleSet['canonical']): { entries: Entry[]; ignored: number } {
  let names: string[] = [];
  const shapes: (readonly number[])[] = [];
  for (const t of tensors) {
    if (canon.ignoreSuffixes.some((s) => t.name.endsWith(s))) continue;
    names.push(t.name);
    shapes.push(t.shape);
  }
  const ignored = tensors.length - names.length;
  for (let changed = names.length > 0; changed; ) {
    changed = false;
    const first = names[0] ?? '';
    for (const w of canon.unwrap) {
      if (!first.startsWith(w) || !names.every((n) => n.startsWith(w) && n.length > w.length)) continue;
      names = names.map((n) => n.slice(w.length));
      changed = true;
      break;
    }
  }
  return { entries: names.map((n, i) => [n, shapes[i] ?? []] as const), ignored };
}

interface Group {
  component: Exclude<Component, 'file'>;
  entries: Entry[];
}

/** Assign each key to the first component pattern it matches; the rest are root keys. */
function splitComponents(entries: Entry[], patterns: ComponentPattern[]): { groups: Map<string, Group>; rest: Entry[] } {
  const groups = new Map<string, Group>();
  const rest: Entry[] = [];
  for (const [name, shape] of entries) {
    let placed = false;
    for (const p of patterns) {
      if (!name.startsWith(p.pattern.prefix)) continue;
      const m = p.pattern.re.exec(name);
      if (m === null || m.index !== 0) continue;
      const prefix = m[0];
      let g = groups.get(prefix);
      if (g === undefined) groups.set(prefix, (g = { component: p.component, entries: [] }));
      g.entries.push([name.slice(prefix.length), shape]);
      placed = true;
      break;
    }
    if (!placed) rest.push([name, shape]);
  }
  return { groups, rest };
}
