import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { createAjv } from '../core/ajv.js';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { formatProblems, locate, parseYamlDocuments, validateDoc, type YamlProblem } from '../core/yaml.js';

/**
 * The portable inventory document `modelhub export` writes and `modelhub import` and
 * `modelhub validate --inventory` read: YAML (or JSON), models sorted by hash, keys in a fixed
 * order, nothing that changes from one export to the next unless the inventory did.
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

const nullableString = { type: ['string', 'null'] };
const MODEL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['hash', 'name', 'size', 'format', 'type', 'base'],
  properties: {
    hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    name: { type: 'string', minLength: 1 },
    size: { type: 'integer', minimum: 0 },
    format: { type: 'string' },
    type: { type: 'string' },
    base: { type: 'string' },
    variant: nullableString,
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    autov2: nullableString,
    autov3: nullableString,
    unsafe: { type: 'boolean' },
    deleted: { type: 'boolean' },
    override: {
      type: 'object',
      additionalProperties: false,
      properties: { type: { type: 'string' }, base: { type: 'string' }, variant: { type: 'string' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
    },
    metadata: { type: 'object', additionalProperties: { type: 'object', additionalProperties: nullableString } },
    sources: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['path', 'state'], properties: { path: { type: 'string' }, state: { enum: ['linked', 'moved', 'copied'] } } },
    },
    deployments: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['target', 'path'], properties: { target: { type: 'string' }, path: { type: 'string' } } },
    },
  },
};
const DOC_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'models'],
  properties: { format: { const: INVENTORY_FORMAT }, models: { type: 'array', items: MODEL_SCHEMA } },
};

let validator: ValidateFunction | undefined;

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
    validator ??= createAjv().compile(DOC_SCHEMA);
    all.push(...validateDoc(validator, doc));
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
