import type { EvidenceRow } from './inventory.js';

/** Classification as a summary: what the inventory or the classifier says. */
export interface ClassSummary {
  type: string;
  base: string;
  variant: string | null;
  confidence: number;
}

/**
 * Everything `show` and `explain` give about one model, as one value: identity and hashes, the
 * recorded classification with its evidence, the classifier's fresh reading with candidates,
 * CivitAI's match, metadata, every source path and every link ModelHub deployed.
 */
export interface ModelDetails {
  hash: string;
  autov2: string | null;
  autov3: string | null;
  name: string;
  size: number;
  format: string;
  container: string | null;
  decision: ClassSummary;
  unsafe: boolean;
  deleted: boolean;
  added: string;
  /** The store file, or null when it is missing from the store. */
  storeFile: string | null;
  paths: Array<{ path: string; state: string }>;
  /** Links recorded in deploy_links that point at this model. */
  links: Array<{ target: string; path: string }>;
  metadata: Array<{ source: string; key: string; value: string | null }>;
  /** The evidence recorded with the inventory's classification. */
  evidence: EvidenceRow[];
  /** An Override in force: where it comes from and what it sets. */
  override: { origin: string; type: string | null; base: string | null; variant: string | null; name: string | null; tags: string[] } | null;
  /** The classifier's reading now (nothing written), or null when it cannot read the file. */
  classifier: (ClassSummary & { evidence: EvidenceRow[]; candidates: Array<{ type: string; base: string; score: number }> }) | null;
  /** Why the model could not be classified again (its store file is missing or unreadable). */
  classifyError: string | null;
  civitai: { status: string; modelName?: string; versionName?: string; base?: string; url?: string; trainedWords: string[]; error?: string };
  /** Concrete next steps that would change (or confirm) the classification. */
  whatWouldChangeIt: string[];
}
