import { extname } from 'node:path';
import { Document, isScalar, visit } from 'yaml';
import { stmt } from '../core/db.js';
import type { Hub } from './hub.js';
import { INVENTORY_FORMAT, type InventoryDoc, type InventoryDocModel } from './inventory-doc.js';

/**
 * The whole inventory as a portable document: every model (soft-deleted ones too, flagged),
 * sorted by hash, each with its classification as the classifier gave it (the recorded
 * Override effect beside it), metadata by source and key, source paths and owned deployment
 * links, all sorted. No timestamps: exporting an unchanged inventory twice gives the same bytes.
 */
export function buildInventoryDocument(hub: Hub): InventoryDoc {
  const db = hub.db;
  const rows = stmt(
    db,
    `SELECT m.id, m.sha256, m.filename, m.file_size, m.format, m.autov2, m.autov3, m.unsafe, m.deleted,
       COALESCE(o.prev_type, m.primary_type) AS type, COALESCE(o.prev_base, m.base_model) AS base,
       CASE WHEN o.model_id IS NULL THEN m.sub_type ELSE o.prev_variant END AS variant,
       COALESCE(o.prev_confidence, m.confidence) AS confidence,
       o.model_id AS overridden, o.type AS o_type, o.base AS o_base, o.variant AS o_variant, o.deploy_name AS o_name, o.tags AS o_tags
     FROM models m LEFT JOIN model_overrides o ON o.model_id = m.id ORDER BY m.sha256`,
  ).all() as Array<ExportRow>;
  const metadata = stmt(db, 'SELECT source, key, value FROM model_metadata WHERE model_id = ? ORDER BY source, key');
  const sources = stmt(db, "SELECT path, state FROM model_sources WHERE model_id = ? AND state != 'importing' ORDER BY path");
  const links = stmt(db, 'SELECT target, link_path AS path FROM deploy_links WHERE model_sha256 = ? ORDER BY target, link_path');
  return {
    format: INVENTORY_FORMAT,
    models: rows.map((r) => {
      const m: InventoryDocModel = {
        hash: r.sha256,
        name: r.filename,
        size: r.file_size,
        format: r.format,
        type: r.type,
        base: r.base,
        variant: r.variant,
        confidence: Math.round(r.confidence * 1e4) / 1e4,
        autov2: r.autov2,
        autov3: r.autov3,
        unsafe: r.unsafe === 1,
        deleted: r.deleted === 1,
        metadata: groupMetadata(metadata.all(r.id) as Array<{ source: string; key: string; value: string | null }>),
        sources: sources.all(r.id) as InventoryDocModel['sources'],
        deployments: links.all(r.sha256) as InventoryDocModel['deployments'],
      };
      if (r.overridden !== null) m.override = overrideOf(r);
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
  type: string;
  base: string;
  variant: string | null;
  confidence: number;
  overridden: number | null;
  o_type: string | null;
  o_base: string | null;
  o_variant: string | null;
  o_name: string | null;
  o_tags: string | null;
}

function overrideOf(r: ExportRow): NonNullable<InventoryDocModel['override']> {
  const o: NonNullable<InventoryDocModel['override']> = {};
  if (r.o_type !== null) o.type = r.o_type;
  if (r.o_base !== null) o.base = r.o_base;
  if (r.o_variant !== null) o.variant = r.o_variant;
  if (r.o_name !== null) o.name = r.o_name;
  const tags = r.o_tags === null ? [] : (JSON.parse(r.o_tags) as string[]);
  if (tags.length > 0) o.tags = tags;
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
