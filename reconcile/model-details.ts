import type { ClassifierSetup } from '../store/classifier-setup.js';
import { explainModel } from '../store/explain.js';
import type { Hub } from '../store/hub.js';
import { findStoreFile } from '../store/import.js';
import { getEvidence, getMetadata, getSources } from '../store/inventory.js';
import { findModel } from '../store/model-ref.js';
import type { ModelDetails } from '../store/model-details-types.js';
import { modelIdentity } from '../store/model-facts.js';
import { readRecordedLinks } from './ledger.js';

export type { ModelDetails } from '../store/model-details-types.js';

/**
 * Everything `show` and `explain` give about one model, in one value (the TUI's details): the
 * inventory's facts, the recorded evidence, the classifier's fresh reading with candidates and
 * advice (explainModel: classified again, writing nothing), CivitAI's recorded answer with its
 * trained words, every source path and every link ModelHub deployed. Reads only.
 */
export async function readModelDetails(hub: Hub, ref: string, setup: ClassifierSetup): Promise<ModelDetails> {
  const m = findModel(hub, ref);
  const explained = await explainModel(hub, m.sha256, setup);
  const metadata = getMetadata(hub.db, m.id);
  const civ = (key: string): string | undefined => metadata.find((x) => x.source === 'civitai' && x.key === key)?.value ?? undefined;
  const status = civ('civitai.status') ?? explained.civitai?.status ?? 'not-asked';
  const words = civ('civitai.trained_words');
  const c = explained.classifier;
  return {
    ...modelIdentity(m),
    decision: explained.decision,
    unsafe: m.unsafe === 1,
    deleted: m.deleted === 1,
    added: m.created_at,
    storeFile: findStoreFile(hub.layout, m.sha256) ?? null,
    paths: getSources(hub.db, m.id).map((s) => ({ path: s.path, state: s.state })),
    links: readRecordedLinks(hub.db)
      .filter((l) => l.hash === m.sha256)
      .map((l) => ({ target: l.target, path: l.path })),
    metadata,
    evidence: getEvidence(hub.db, m.id),
    override: explained.override,
    classifier: c === null ? null : { ...c, evidence: explained.evidence, candidates: explained.candidates },
    classifyError: explained.error,
    civitai: {
      status,
      ...optional({ modelName: civ('civitai.model_name'), versionName: civ('civitai.version_name'), base: civ('civitai.base_model'), url: civ('civitai.url') ?? explained.civitai?.url, error: explained.civitai?.error }),
      trainedWords: words === undefined || words === '' ? [] : words.split(', '),
    },
    whatWouldChangeIt: explained.whatWouldChangeIt,
  };
}

function optional<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}
