import { readFileSync } from 'node:fs';
import { schemaValidator } from '../core/ajv.js';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { formatProblems, locate, parseYamlDocuments, validateDoc, type YamlProblem } from '../core/yaml.js';

/**
 * The portable inventory document `modelhub export` writes and `modelhub import` and
 * `modelhub validate --inventory` read: YAML (or JSON), models sorted by hash, keys in a fixed
 * order, nothing that changes from one export to the next unless the inventory did. Its schema
 * is schemas/inventory.schema.json, whose `format` is exactly this value.
 */
export const INVENTORY_FORMAT = 'modelhub-inventory/v1';

export interface InventoryDocModel {
  hash: string;
  name: string;
  size: number;
  format: string;
  /** The classifier's answer (before any Override of the manifests). */
  type: string;
  base: string;
  variant: string | null;
  confidence: number;
  autov2: string | null;
  autov3: string | null;
  unsafe: boolean;
  deleted: boolean;
  /** The effect of the manifests' Overrides as last applied, when there is one. */
  override?: { type?: string; base?: string; variant?: string; name?: string; tags?: string[] };
  /** Metadata by source (`header`, `civitai`, …), then key. */
  metadata: Record<string, Record<string, string | null>>;
  /** Where the model was found, and what was left there. */
  sources: Array<{ path: string; state: 'linked' | 'moved' | 'copied' }>;
  /** Owned deployment links to it. */
  deployments: Array<{ target: string; path: string }>;
}

export interface InventoryDoc {
  format: typeof INVENTORY_FORMAT;
  models: InventoryDocModel[];
}

/**
 * Read and check an inventory document. Every problem is collected (schema, a model listed
 * twice) and reported in ONE ERR_MODELHUB_INVENTORY_INVALID as `file:line:col: message`.
 * Optional keys get their defaults.
 */
export function readInventoryDocument(file: string, shownAs = file): InventoryDoc {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') throw new ModelHubError('INVENTORY_NOT_FOUND', `no inventory file at ${file}`, { path: file, hint: 'write one with `modelhub export FILE`' });
    if (code === 'EISDIR') throw new ModelHubError('INVENTORY_INVALID', `${file} is a folder, not an inventory file`, { path: file });
    throw err;
  }
  const { docs, problems } = parseYamlDocuments(text, shownAs);
  const all: YamlProblem[] = [...problems];
  if (docs.length !== 1 && problems.length === 0) all.push({ file: shownAs, line: 1, col: 1, message: `an inventory file holds one document, found ${docs.length}` });
  const doc = docs[0];
  if (doc !== undefined) {
    all.push(...validateDoc(schemaValidator('inventory'), doc));
    if (all.length === 0) {
      const seen = new Map<string, number>();
      (doc.value as InventoryDoc).models.forEach((m, i) => {
        const first = seen.get(m.hash);
        if (first === undefined) seen.set(m.hash, i);
        else {
          const pos = locate(doc, `/models/${i}/hash`);
          all.push({ file: shownAs, line: pos.line, col: pos.col, message: `model ${m.hash.slice(0, 12)} is listed twice (also at models[${first}])` });
        }
      });
    }
  }
  if (all.length > 0) {
    throw new ModelHubError('INVENTORY_INVALID', `invalid inventory file ${shownAs}:\n${formatProblems(all)}`, {
      path: file,
      hint: `an inventory file is what \`modelhub export\` writes (format: ${INVENTORY_FORMAT})`,
      details: all,
    });
  }
  const raw = (doc as { value: { models: Array<Partial<InventoryDocModel> & Pick<InventoryDocModel, 'hash' | 'name' | 'size' | 'format' | 'type' | 'base'>> } }).value;
  return { format: INVENTORY_FORMAT, models: raw.models.map(withDefaults) };
}

function withDefaults(m: Partial<InventoryDocModel> & Pick<InventoryDocModel, 'hash' | 'name' | 'size' | 'format' | 'type' | 'base'>): InventoryDocModel {
  const out: InventoryDocModel = {
    hash: m.hash,
    name: m.name,
    size: m.size,
    format: m.format,
    type: m.type,
    base: m.base,
    variant: m.variant ?? null,
    confidence: m.confidence ?? 0,
    autov2: m.autov2 ?? null,
    autov3: m.autov3 ?? null,
    unsafe: m.unsafe ?? false,
    deleted: m.deleted ?? false,
    metadata: m.metadata ?? {},
    sources: m.sources ?? [],
    deployments: m.deployments ?? [],
  };
  if (m.override !== undefined) out.override = m.override;
  return out;
}
