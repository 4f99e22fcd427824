/**
 * Versioned schemas of the hub's two SQLite files. `PRAGMA user_version` holds the number of
 * migrations applied; each runs once, in its own transaction. Append, never edit a released one.
 *
 * The table names are those of the original ModelHub design, so its documented queries work:
 *   SELECT primary_type, COUNT(*) FROM models WHERE deleted = 0 GROUP BY primary_type
 *   SELECT name, display_name, enabled FROM deploy_targets
 */

import type { Migration } from '../core/db.js';
import { refreshAllModelNames } from './model-name.js';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

export const INVENTORY_MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'models, metadata, evidence, source paths, scan cache, deploy tables',
    sql: `
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
        filename TEXT NOT NULL,
        file_size INTEGER NOT NULL,
        format TEXT NOT NULL,
        container TEXT,
        primary_type TEXT NOT NULL DEFAULT 'unknown',
        sub_type TEXT,
        base_model TEXT NOT NULL DEFAULT 'unknown',
        confidence REAL NOT NULL DEFAULT 0,
        autov2 TEXT,
        autov3 TEXT,
        unsafe INTEGER NOT NULL DEFAULT 0,
        header_error TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        deleted_at TEXT,
        created_at TEXT NOT NULL DEFAULT ${NOW},
        updated_at TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE INDEX models_type_base ON models (primary_type, base_model);
      CREATE INDEX models_filename ON models (filename);
      CREATE INDEX models_autov3 ON models (autov3);

      CREATE TABLE model_metadata (
        model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        source TEXT NOT NULL DEFAULT 'header',
        key TEXT NOT NULL,
        value TEXT,
        PRIMARY KEY (model_id, source, key)
      );

      CREATE TABLE model_evidence (
        model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        method TEXT NOT NULL,
        observed TEXT NOT NULL,
        type TEXT,
        base TEXT,
        variant TEXT,
        weight REAL NOT NULL,
        rule TEXT,
        PRIMARY KEY (model_id, seq)
      );

      CREATE TABLE model_sources (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        path TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('importing', 'linked', 'moved', 'copied')),
        first_seen TEXT NOT NULL DEFAULT ${NOW},
        last_seen TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE INDEX model_sources_model ON model_sources (model_id);

      CREATE TABLE scan_cache (
        path TEXT PRIMARY KEY,
        dev INTEGER NOT NULL,
        ino INTEGER NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        scanned_at TEXT NOT NULL DEFAULT ${NOW}
      );

      CREATE TABLE deploy_targets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        display_name TEXT,
        root TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 0,
        links TEXT NOT NULL DEFAULT 'absolute',
        updated_at TEXT NOT NULL DEFAULT ${NOW}
      );

      CREATE TABLE deploy_mappings (
        target_id INTEGER NOT NULL REFERENCES deploy_targets (id) ON DELETE CASCADE,
        model_type TEXT NOT NULL,
        folder TEXT NOT NULL,
        PRIMARY KEY (target_id, model_type)
      );

      CREATE TABLE deploy_links (
        id INTEGER PRIMARY KEY,
        target TEXT NOT NULL,
        link_path TEXT NOT NULL UNIQUE,
        link_target TEXT NOT NULL,
        model_sha256 TEXT NOT NULL,
        deployment TEXT,
        created_at TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE INDEX deploy_links_target ON deploy_links (target);
      CREATE INDEX deploy_links_model ON deploy_links (model_sha256);

      CREATE TABLE deploy_dirs (
        path TEXT PRIMARY KEY,
        target TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT ${NOW}
      );
    `,
  },
  {
    version: 2,
    description: 'model_overrides: corrections from Override manifests, with the classification they displaced',
    // One row per model an Override matches. type/base/variant/deploy_name/tags are the override's
    // effect (NULL: not overridden); prev_* hold the classifier's own answer, so removing the
    // override (or a reclassification, which rewrites prev_* and re-applies the override on top)
    // never loses it. `apply` keeps models.primary_type/base_model/sub_type/confidence in step.
    sql: `
      CREATE TABLE model_overrides (
        model_id INTEGER PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
        type TEXT,
        base TEXT,
        variant TEXT,
        deploy_name TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        origin TEXT NOT NULL,
        prev_type TEXT NOT NULL,
        prev_base TEXT NOT NULL,
        prev_variant TEXT,
        prev_confidence REAL NOT NULL,
        updated_at TEXT NOT NULL DEFAULT ${NOW}
      );
    `,
  },
  {
    version: 3,
    description: 'housekeeping: the store file mtime recorded at import (verify --fast), hash files ModelHub wrote',
    // store_mtime_ns: the store file's mtime (nanoseconds, as text) right after it was placed;
    // NULL for files imported before this migration (verify --fast then checks the size only).
    // hash_files: every `<file>.sha256` ModelHub wrote (`modelhub hashes`), so it may rewrite or
    // remove its own and never a file someone else wrote.
    sql: `
      ALTER TABLE models ADD COLUMN store_mtime_ns TEXT;
      CREATE TABLE hash_files (
        path TEXT PRIMARY KEY,
        model_sha256 TEXT NOT NULL,
        content TEXT NOT NULL,
        written_at TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE INDEX hash_files_model ON hash_files (model_sha256);
    `,
  },
  {
    version: 4,
    description: 'deploy_links: the device and inode of each link apply made (ownership needs the inode, not only the text)',
    // link_dev/link_ino: lstat of the link right after apply made it. NULL for links recorded
    // before this migration: unknown, not "any". The next plan re-adopts such a link (records its
    // inode, disk untouched) where it is still declared and still holds the recorded text.
    sql: `
      ALTER TABLE deploy_links ADD COLUMN link_dev INTEGER;
      ALTER TABLE deploy_links ADD COLUMN link_ino INTEGER;
    `,
  },
  {
    version: 5,
    description: "model_evidence: an Override's manual evidence is known by its rule 'override:<origin>', not by its display text",
    sql: `
      UPDATE model_evidence SET rule = 'override:' || COALESCE(rule, '')
        WHERE method = 'manual' AND observed LIKE 'Override in the manifests%' AND (rule IS NULL OR substr(rule, 1, 9) != 'override:');
    `,
  },
  {
    version: 6,
    description: "companion files: a model's previews and metadata files copied into its store folder, and deploy_links marking the links made beside a model's link",
    // model_companions: one row per (model, role) — the role is the suffix after the stem
    // (`.preview.png`) or a fixed name (`adapter_config.json`); `name` is the copy's file name in
    // models/<sha256>/, copied (and verified) from `source_path`, whose size and mtime are kept
    // so a rescan refreshes the copy only when the source changed.
    // deploy_links.companion_of: for a companion link, the path of the model link it sits beside
    // (NULL for a model's own link).
    sql: `
      CREATE TABLE model_companions (
        model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        source_path TEXT NOT NULL,
        source_size INTEGER NOT NULL,
        source_mtime_ns TEXT NOT NULL,
        copied_at TEXT NOT NULL DEFAULT ${NOW},
        PRIMARY KEY (model_id, role)
      );
      ALTER TABLE deploy_links ADD COLUMN companion_of TEXT;
    `,
  },
  {
    version: 7,
    description: 'deploy_files: the files ModelHub writes beside its links (ComfyUI extra_model_paths.yaml), by the SHA-256 of what it wrote',
    // One row per file. A file is ModelHub's while its bytes still hash to sha256: a hand edit
    // makes it the user's (never overwritten; forgotten once no longer declared).
    sql: `
      CREATE TABLE deploy_files (
        path TEXT PRIMARY KEY,
        target TEXT NOT NULL,
        purpose TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        written_at TEXT NOT NULL DEFAULT ${NOW}
      );
    `,
  },
  {
    version: 8,
    description: "models.name: the model's name, chosen among its source paths (store/model-name.ts); filename stays the store file's name",
    // Deployments link under `name` (unless an Override sets one); the store file keeps its name,
    // so no link-back or deployed link breaks. The backfill applies the rule to every model.
    sql: `
      ALTER TABLE models ADD COLUMN name TEXT NOT NULL DEFAULT '';
      UPDATE models SET name = filename;
      CREATE INDEX models_name ON models (name);
    `,
    after: refreshAllModelNames,
  },
  {
    version: 9,
    description: 'deploy_links.declared_path: a link adopted beside its declared path; ejected_files: real copies `modelhub eject` made',
    // declared_path: the path a Deployment declares that an adopted link at another path under the
    // same mapped folder stands for (`--adopt` found the user's own file there); NULL: the link is
    // at its declared path. ejected_files: a link-back or deployed link `modelhub eject` turned into
    // a verified copy, with the copy's (dev, ino, size): scans and plans leave that file alone while
    // it is still the same inode. A row in state 'copying' is the journal of an eject in progress
    // (temp_path: its owner-tagged temporary copy beside the link), finished or rolled back by the
    // next command that takes the hub lock.
    sql: `
      ALTER TABLE deploy_links ADD COLUMN declared_path TEXT;
      CREATE TABLE ejected_files (
        path TEXT PRIMARY KEY,
        model_sha256 TEXT NOT NULL,
        was TEXT NOT NULL CHECK (was IN ('link-back', 'deployed', 'both')),
        state TEXT NOT NULL CHECK (state IN ('copying', 'done')),
        temp_path TEXT,
        dev INTEGER,
        ino INTEGER,
        size INTEGER NOT NULL,
        ejected_at TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE INDEX ejected_files_model ON ejected_files (model_sha256);
    `,
  },
  {
    version: 10,
    description: 'model_sources.scan_root: the folder the scan that found a path was given (the {dir} placeholder)',
    // NULL for paths recorded before: {dir} is then the path below the app model folder the
    // file lies in, or empty.
    sql: `
      ALTER TABLE model_sources ADD COLUMN scan_root TEXT;
    `,
  },
];

export const CLASSIFICATION_MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'rule mirror tables and the external API cache',
    sql: `
      CREATE TABLE model_types (
        name TEXT PRIMARY KEY,
        description TEXT,
        source TEXT NOT NULL
      );
      CREATE TABLE sub_type_rules (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        pattern TEXT NOT NULL,
        type TEXT,
        base TEXT,
        variant TEXT,
        weight REAL,
        source TEXT NOT NULL
      );
      CREATE TABLE size_rules (
        id TEXT PRIMARY KEY,
        type TEXT,
        base TEXT,
        min_bytes INTEGER,
        max_bytes INTEGER,
        weight REAL,
        source TEXT NOT NULL
      );
      CREATE TABLE architecture_patterns (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        base TEXT,
        variant TEXT,
        priority INTEGER NOT NULL DEFAULT 0,
        rule_json TEXT NOT NULL,
        source TEXT NOT NULL
      );
      CREATE TABLE external_apis (
        name TEXT PRIMARY KEY,
        base_url TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        settings_json TEXT
      );
      CREATE TABLE api_cache (
        api TEXT NOT NULL,
        key TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT,
        fetched_at TEXT NOT NULL DEFAULT ${NOW},
        expires_at TEXT,
        PRIMARY KEY (api, key)
      );
    `,
  },
  {
    version: 2,
    description: 'bases declared by rule files, and what the rule mirror was built from',
    sql: `
      CREATE TABLE bases (
        name TEXT PRIMARY KEY,
        refines TEXT,
        description TEXT,
        source TEXT NOT NULL
      );
      CREATE TABLE rules_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        fingerprint TEXT NOT NULL,
        files TEXT NOT NULL,
        loaded_at TEXT NOT NULL DEFAULT ${NOW}
      );
    `,
  },
];
