import { evidenceFromCivitai } from './civitai.js';
import type { LookupResult } from './civitai-lookup.js';
import { toCivitaiVersion } from './civitai-version.js';
import type { RuleSet } from './ruleset.js';
import { evidenceFromSidecars, type SidecarInfo } from './sidecars.js';
import type { Evidence } from './types.js';

/** What is known about a model file beyond its own name, size and header. */
export interface OutsideFacts {
  /** The sidecar files found beside its paths. */
  sidecars: SidecarInfo[];
  /** Its SHA-256, when known: a sidecar that records another hash describes another file and does not count. */
  sha256?: string | undefined;
  /** CivitAI's answer about it, when it was looked up. */
  civitai?: LookupResult | undefined;
}

/**
 * The evidence beyond the header, the same for every way a file is classified (a stored model
 * again, a file where it lies): sidecars first, then CivitAI's matched version when it was
 * found. Pass it as ClassifyInput.extraEvidence.
 */
export function gatherEvidence(facts: OutsideFacts, rules: RuleSet): Evidence[] {
  const out = evidenceFromSidecars(facts.sidecars, facts.sha256, rules);
  if (facts.civitai?.status === 'found') out.push(...evidenceFromCivitai(toCivitaiVersion(facts.civitai.version), rules));
  return out;
}
