import type { DeployModel } from './select.js';

/**
 * Which vision projectors (type `mmproj`: a GGUF with `general.architecture = clip`) belong to
 * which language model, by LLM hash. A projector belongs to an LLM found in the same folder
 * (any of their source folders); failing that, to LLMs of the same `general.name` family
 * (compared without case, spaces or punctuation). Pure; projectors of no LLM are left out.
 */
export function pairProjectors(models: readonly DeployModel[]): Map<string, DeployModel[]> {
  const pairs = new Map<string, DeployModel[]>();
  const projectors = models.filter((m) => m.type === 'mmproj');
  if (projectors.length === 0) return pairs;
  const byFolder = new Map<string, DeployModel[]>();
  const byFamily = new Map<string, DeployModel[]>();
  for (const p of projectors) {
    for (const f of p.origin?.folders ?? []) push(byFolder, f, p);
    const family = familyOf(p);
    if (family !== undefined) push(byFamily, family, p);
  }
  for (const m of models) {
    if (m.type !== 'llm') continue;
    const found = new Set<DeployModel>();
    for (const f of m.origin?.folders ?? []) for (const p of byFolder.get(f) ?? []) found.add(p);
    const family = familyOf(m);
    if (found.size === 0 && family !== undefined) for (const p of byFamily.get(family) ?? []) found.add(p);
    if (found.size > 0) pairs.set(m.hash, [...found].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0)));
  }
  return pairs;
}

/** `general.name` without case, spaces or punctuation (`Gemma 3 4b It` → `gemma34bit`); undefined when the header has none. */
function familyOf(m: DeployModel): string | undefined {
  const key = m.origin?.title?.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return key === undefined || key === '' ? undefined : key;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
