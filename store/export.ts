import { extname } from 'node:path';
import { Document, isScalar, visit } from 'yaml';
import { stmt } from '../core/db.js';
import { deployedLinksOf } from './deployments.js';
import type { Hub } from './hub.js';
import { INVENTORY_FORMAT, type InventoryDoc, type InventoryDocModel } from './inventory-doc.js';
import { classifierAnswerOf, readRecordedOverrides, type RecordedOverride } from './overrides.js';

/**
 * The whole inventory as a portable document: every model (soft-deleted ones too, flagged),
 * sorted by hash, each with its classification as the classifier gave it (the recorded
 * Override effect beside it), metadata by source and key, source paths and owned deployment
 * links, all sorted. No timestamps: exporting an unchanged inventory twice gives the same bytes.
 */
export function buildInventoryDocument(hub: Hub): InventoryDoc {
  const db = hub.db;
  const overrides = readRecordedOverrides(db);
  const rows = stmt(
    db,
    `SELECT id, sha256, filename, file_size, format, autov2, autov3, unsafe, deleted, primary_type, base_model, sub_type, confidence
     FROM models ORDER BY sha256`,
  ).all() as Array<ExportRow>;
  const metadata = stmt(db, 'SELECT source, key, value FROM model_metadata WHERE model_id = ? ORDER BY source, key');
  const sources = stmt(db, "SELECT path, state FROM model_sources WHERE model_id = ? AND state != 'importing' ORDER BY path");
  return {
    format: INVENTORY_FORMAT,
    models: rows.map((r) => {
      const o = overrides.get(r.id);
      const c = classifierAnswerOf(o, r);
      const m: InventoryDocModel = {
        hash: r.sha256,
        name: r.filename,
        size: r.file_size,
        format: r.format,
        type: c.type,
        base: c.base,
        variant: c.variant,
        confidence: Math.round(c.confidence * 1e4) / 1e4,
        autov2: r.autov2,
        autov3: r.autov3,
        unsafe: r.unsafe === 1,
        deleted: r.deleted === 1,
        metadata: groupMetadata(metadata.all(r.id) as Array<{ source: string; key: string; value: string | null }>),
        sources: sources.all(r.id) as InventoryDocModel['sources'],
        deployments: deployedLinksOf(db, r.sha256),
      };
      if (o !== undefined) m.override = overrideOf(o);
      return reorder(m);
    }),
  };
}

interface ExportRow {
  id: number;
  sha256: string;
  filename: string;
  file_size: number;
  format: string;
  autov2: string | null;
  autov3: string | null;
  unsafe: number;
  deleted: number;
  primary_type: string;
  base_model: string;
  sub_type: string | null;
  confidence: number;
}

function overrideOf(r: RecordedOverride): NonNullable<InventoryDocModel['override']> {
  const o: NonNullable<InventoryDocModel['override']> = {};
  if (r.type !== null) o.type = r.type;
  if (r.base !== null) o.base = r.base;
  if (r.variant !== null) o.variant = r.variant;
  if (r.name !== null) o.name = r.name;
  if (r.tags.length > 0) o.tags = [...r.tags];
  return o;
}

function groupMetadata(rows: Array<{ source: string; key: string; value: string | null }>): InventoryDocModel['metadata'] {
  const out: InventoryDocModel['metadata'] = {};
  for (const r of rows) (out[r.source] ??= {})[r.key] = r.value;
  return out;
}

/** Keys in the documented order, `override` just before `metadata` when present. */
function reorder(m: InventoryDocModel): InventoryDocModel {
  const { metadata, sources, deployments, override, ...head } = m;
  return { ...head, ...(override === undefined ? {} : { override }), metadata, sources, deployments };
}

export type InventoryFileFormat = 'yaml' | 'json';

/** `.json` → JSON; anything else → YAML. */
export function inventoryFormatFor(file: string): InventoryFileFormat {
  return extname(file).toLowerCase() === '.json' ? 'json' : 'yaml';
}

/** Strings a YAML 1.1 reader would take for a boolean, a timestamp or a sexagesimal number. */
const YAML11_AMBIGUOUS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.[\d_]*)?)$/;

/**
 * The document as text: YAML without line folding (one value per line, diff-friendly), or
 * JSON. Strings that older (YAML 1.1) readers would mistake for booleans or dates are quoted.
 */
export function serializeInventory(doc: InventoryDoc, format: InventoryFileFormat): string {
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  const yaml = new Document(doc, { aliasDuplicateObjects: false });
  visit(yaml, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && YAML11_AMBIGUOUS.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return yaml.toString({ lineWidth: 0, minContentWidth: 0 });
}
