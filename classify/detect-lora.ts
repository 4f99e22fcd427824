import { describeCondition, pickVariant, testCondition } from './conditions.js';
import { KeyView } from './key-view.js';
import type { LoraSettings, LoraSuffix, RuleSet } from './ruleset.js';
import type { Evidence } from './types.js';

/** What is known of one adapter module (a `<m>` whose keys end in adapter suffixes). */
interface Module {
  algos: Set<string>;
  inFeatures?: number;
  outFeatures?: number;
  /** Products of Kronecker factors, used when no tensor gives the features directly. */
  inProduct: number;
  outProduct: number;
  rank?: number;
  /** A 4-D down/input tensor with a kernel wider than 1 (a LoCon conv module). */
  conv: boolean;
  keys: number;
}

/**
 * Recognise a LoRA-family adapter from its key suffixes and, when it is one, return its
 * evidence: the type and algorithm (variant) from the suffixes, and the base from the first
 * lora_bases rule that holds on the module names. Undefined when adapter modules hold less
 * than `lora.min_share` of the keys.
 */
export function detectLora(view: KeyView, rules: RuleSet, weight: number): Evidence[] | undefined {
  const settings = rules.lora;
  const { modules, adapterKeys, total } = groupModules(view, settings);
  if (modules.size === 0 || adapterKeys < settings.minShare * total) return undefined;
  const variant = pickAlgorithm(modules, settings);
  const ranks = [...modules.values()].map((m) => m.rank).filter((r): r is number => r !== undefined);
  const rank = ranks.length > 0 ? Math.max(...ranks) : undefined;
  const algos = [...new Set([...modules.values()].flatMap((m) => [...m.algos]))].join('/');
  const share = Math.round((100 * adapterKeys) / total);
  const out: Evidence[] = [
    {
      method: 'tensors',
      observed: `${modules.size} adapter modules (${algos}; ${share}% of keys)${rank === undefined ? '' : `, rank ${rank}`}`,
      type: 'lora',
      variant,
      weight,
      rule: `lora:${variant}`,
    },
  ];
  const moduleView = buildModuleView(modules, settings);
  for (const rule of rules.loraBases) {
    if (!testCondition(rule.when, moduleView)) continue;
    const detail = pickVariant(rule.variants, moduleView);
    const seen = describeCondition(rule.when, moduleView);
    out.push({
      method: 'tensors',
      observed: `LoRA modules ${seen}${detail === undefined ? '' : ` (${detail})`}`,
      base: rule.base ?? 'unknown',
      weight: weight * rule.weight,
      rule: rule.id,
    });
    break;
  }
  return out;
}

function groupModules(view: KeyView, s: LoraSettings): { modules: Map<string, Module>; adapterKeys: number; total: number } {
  const modules = new Map<string, Module>();
  const unmatched: string[] = [];
  let total = 0;
  let adapterKeys = 0;
  for (const key of view.keys()) {
    if (s.ignorePrefixes.some((p) => key.startsWith(p))) continue;
    total++;
    const hit = findSuffix(key, s);
    if (hit === undefined) {
      unmatched.push(key);
      continue;
    }
    adapterKeys++;
    const name = key.slice(0, key.length - hit.suffix.length);
    let m = modules.get(name);
    if (m === undefined) modules.set(name, (m = { algos: new Set(), inProduct: 1, outProduct: 1, conv: false, keys: 0 }));
    m.keys++;
    if (hit.algo !== null) m.algos.add(hit.algo);
    const shape = view.shape(key) ?? [];
    if (hit.inDim !== undefined) {
      m.inFeatures = shape.at(hit.inDim);
      if (shape.length === 4 && (shape[2] ?? 1) > 1) m.conv = true;
    }
    if (hit.outDim !== undefined) m.outFeatures = shape.at(hit.outDim);
    if (hit.rankDim !== undefined) m.rank = shape.at(hit.rankDim);
    if (hit.inFactor !== undefined) m.inProduct *= shape.at(hit.inFactor) ?? 1;
    if (hit.outFactor !== undefined) m.outProduct *= shape.at(hit.outFactor) ?? 1;
  }
  // Keys such as an (IA)³ module's `.weight` belong to a module found through its other keys.
  for (const key of unmatched) {
    const cut = key.lastIndexOf('.');
    if (cut > 0 && modules.has(key.slice(0, cut))) adapterKeys++;
  }
  return { modules, adapterKeys, total };
}

function findSuffix(key: string, s: LoraSettings): LoraSuffix | undefined {
  let cut = key.length;
  const starts: number[] = [];
  for (let i = 0; i < s.maxSuffixSegments; i++) {
    cut = key.lastIndexOf('.', cut - 1);
    if (cut <= 0) break;
    starts.push(cut);
  }
  for (let i = starts.length - 1; i >= 0; i--) {
    const hit = s.suffixes.get(key.slice(starts[i]));
    if (hit !== undefined) return hit;
  }
  return s.looseSuffixes.find((x) => key.endsWith(x.suffix) && key.length > x.suffix.length);
}

/** The variant: the first algorithm of `variant_order` any module uses; plain LoRA on 3×3 convs is LoCon. */
function pickAlgorithm(modules: Map<string, Module>, s: LoraSettings): string {
  const used = new Set<string>();
  let conv = false;
  for (const m of modules.values()) {
    for (const a of m.algos) used.add(a);
    conv ||= m.conv;
  }
  const algo = s.variantOrder.find((a) => used.has(a)) ?? [...used][0] ?? 'lora';
  return algo === 'lora' && conv ? 'locon' : algo;
}

/**
 * The modules as a key view: `<component>/<path>` with the trainer prefix mapped to its
 * component (unet, te, te1…) and dots turned into underscores, so kohya, PEFT and ComfyUI
 * names of one layer read the same; each with the pseudo-shape [out, in].
 */
function buildModuleView(modules: Map<string, Module>, s: LoraSettings): KeyView {
  const entries: [string, number[]][] = [];
  for (const [name, m] of modules) {
    const p = s.prefixes.find((x) => name.startsWith(x.prefix));
    const rest = p === undefined ? name : name.slice(p.prefix.length);
    let path = rest.replaceAll('.', '_');
    if (path.includes('__')) path = path.replace(/_+/g, '_');
    if (path.startsWith('_')) path = path.slice(1);
    const out = m.outFeatures ?? (m.outProduct > 1 ? m.outProduct : 0);
    const inp = m.inFeatures ?? (m.inProduct > 1 ? m.inProduct : 0);
    entries.push([`${p?.component ?? 'unet'}/${path}`, [out, inp]]);
  }
  return new KeyView(entries, '/');
}
