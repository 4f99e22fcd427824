import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from './paths.js';
import { writeFileSafely } from './safe-write.js';
import { YAML_LIMITS } from './yaml-limits.js';

/** One document of a cached file: its plain value and the line it starts on. */
export interface CachedYamlDoc {
  value: unknown;
  line: number;
}

/** What a cache file holds: the parser it was made by, and per text's SHA-256 the documents parsed from it. */
interface CacheFile {
  parser: string;
  files: Record<string, CachedYamlDoc[]>;
}

/**
 * Parsed YAML texts, by the SHA-256 of the text: what `plan` would otherwise pay the yaml
 * library for on every run (loading its 70-odd modules costs more than parsing the manifests).
 * Only texts that parsed without a problem are kept, and only documents whose values survive a
 * JSON round trip unchanged (a `.nan` or `-0` is parsed every time). The key is the whole text,
 * so an edit, however small, is a miss; the cache also names the parser (ModelHub's version, the
 * yaml library's, the limits) and is ignored whole when that differs. Nothing in it is trusted
 * beyond the parse: callers still validate every value. A cache that cannot be read is empty, one
 * that cannot be written stays as it was — it only ever costs a parse.
 */
export class YamlParseCache {
  private readonly used = new Map<string, CachedYamlDoc[]>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly stored: Record<string, CachedYamlDoc[]>,
  ) {}

  /** The cache kept in `file` (absent, unreadable, malformed or from another parser: empty). */
  static open(file: string): YamlParseCache {
    let stored: Record<string, CachedYamlDoc[]> = {};
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile> | null;
      if (parsed !== null && typeof parsed === 'object' && parsed.parser === parserId() && isFileMap(parsed.files)) stored = parsed.files;
    } catch {
      // no cache yet, or one that is not JSON: every text is parsed
    }
    return new YamlParseCache(file, stored);
  }

  /** The documents parsed from `text` before, if this cache holds them. */
  get(text: string): CachedYamlDoc[] | undefined {
    const key = keyOf(text);
    const docs = this.used.get(key) ?? this.stored[key];
    if (docs === undefined) return undefined;
    this.used.set(key, docs);
    // The caller's own copy: what it does to the values never reaches the cache file.
    return structuredClone(docs);
  }

  /** Remember what `text` parsed into (left out when a value would not come back the same). */
  put(text: string, docs: CachedYamlDoc[]): void {
    const copies = docs.map((d) => ({ value: jsonCopy(d.value), line: d.line }));
    if (copies.some((c, i) => c.value === undefined || !isDeepStrictEqual(c.value, docs[i]?.value))) return;
    const key = keyOf(text);
    this.used.set(key, copies);
    if (this.stored[key] === undefined) this.changed = true;
  }

  /** Write the cache when it gained a text or holds one no longer read; any failure is ignored. */
  save(): void {
    const stale = Object.keys(this.stored).some((k) => !this.used.has(k));
    if (!this.changed && !stale) return;
    const out: CacheFile = { parser: parserId(), files: Object.fromEntries(this.used) };
    try {
      // Only ever our own regular file: anything else at the name (a symlink included) is left alone.
      const there = lstatSync(this.file, { throwIfNoEntry: false });
      if (there !== undefined && !there.isFile()) return;
      writeFileSafely(this.file, `${JSON.stringify(out)}\n`);
    } catch {
      // a read-only hub or a full disk: the next run parses again
    }
  }
}

/** Where a hub keeps its cache of parsed manifests. */
export function manifestCacheFile(hubDir: string): string {
  return join(hubDir, 'manifests.cache.json');
}

function keyOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

let parser: string | undefined;

/**
 * What decides a parse besides the text: our version, the yaml library's, the limits, and the
 * parsing code itself (its size and time, so a rebuilt checkout never reads a parse of older code).
 */
function parserId(): string {
  if (parser === undefined) {
    const require = createRequire(import.meta.url);
    const own = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    const yaml = (require('yaml/package.json') as { version: string }).version;
    const code = statSync(fileURLToPath(new URL(`./yaml${extname(fileURLToPath(import.meta.url))}`, import.meta.url)));
    parser = `modelhub ${own}; yaml ${yaml}; limits ${JSON.stringify(YAML_LIMITS)}; parser ${code.size}@${code.mtimeMs}; format 1`;
  }
  return parser;
}

/** A deep copy through JSON; undefined when the value has none (a cycle, a BigInt, undefined itself). */
function jsonCopy(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function isFileMap(v: unknown): v is Record<string, CachedYamlDoc[]> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.values(v).every((docs) => Array.isArray(docs) && docs.every((d) => d !== null && typeof d === 'object' && 'value' in d && Number.isInteger((d as CachedYamlDoc).line)));
}
