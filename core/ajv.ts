import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Options, ValidateFunction } from 'ajv';
import { packageRoot } from './paths.js';

type AjvModule = typeof import('ajv');
type AjvInstance = InstanceType<AjvModule['default']>;

const require = createRequire(import.meta.url);

/** ajv is CommonJS and the slowest module to load: required only when a schema must be compiled. */
function ajvModule(): AjvModule {
  return require('ajv') as AjvModule;
}

/** How every ModelHub schema is checked: all errors, strict schemas, verbose errors (for "did you mean" wording). */
const OPTIONS: Options = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true };

/** An ajv instance configured the way every ModelHub schema is checked (see OPTIONS). */
export function createAjv(opts: Options = {}): AjvInstance {
  return new (ajvModule().default)({ ...OPTIONS, ...opts });
}

/** The schemas commands check documents with, and the schema files each one includes by `$id`. */
export const SCHEMAS: Readonly<Record<string, readonly string[]>> = {
  config: [],
  inventory: [],
  manifest: ['target', 'deployment', 'override'],
  rules: [],
};

const compiled = new Map<string, ValidateFunction>();

/**
 * The validator for `schemas/<name>.schema.json`, once per process. `npm run build` writes each
 * schema's validator as code (dist/schemas/<name>.cjs, ajv's standalone output) stamped with a
 * fingerprint of the schema files and of ajv's version; that code is used when its stamp
 * matches the schema files as they are now, and otherwise the schema is compiled here (about
 * 0.1–0.3 s for the manifest schema, which `plan` would pay on every run). `with` names other
 * schema files it references by `$id` (added to the same ajv instance first).
 */
export function schemaValidator(name: string, opts: { with?: string[] } = {}): ValidateFunction {
  const cached = compiled.get(name);
  if (cached !== undefined) return cached;
  const includes = [...new Set([...(SCHEMAS[name] ?? []), ...(opts.with ?? [])])];
  const texts = { name: readSchemaText(name), includes: includes.map(readSchemaText) };
  const validate = precompiledValidator(name, schemaStamp(texts)) ?? compileValidator(texts);
  compiled.set(name, validate);
  return validate;
}

interface SchemaTexts {
  name: string;
  includes: string[];
}

function readSchemaText(name: string): string {
  return readFileSync(join(packageRoot(), 'schemas', `${name}.schema.json`), 'utf8');
}

/** The schema compiled here and now, never the generated code (tests compare the two). */
export function compileSchemaNow(name: string): ValidateFunction {
  return compileValidator({ name: readSchemaText(name), includes: (SCHEMAS[name] ?? []).map(readSchemaText) });
}

function compileValidator(texts: SchemaTexts, opts: Options = {}): ValidateFunction {
  const ajv = createAjv(opts);
  for (const text of texts.includes) ajv.addSchema(JSON.parse(text) as object);
  return ajv.compile(JSON.parse(texts.name) as object);
}

/** What generated code must have been made from: the schema texts, the options, ajv's version. */
function schemaStamp(texts: SchemaTexts): string {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const hash = createHash('sha256').update(JSON.stringify(OPTIONS)).update(`\0${ajvVersion}`);
  for (const text of [texts.name, ...texts.includes]) hash.update('\0').update(text);
  return hash.digest('hex');
}

/** Where `npm run build` writes the generated validators. */
export function precompiledDir(): string {
  return join(packageRoot(), 'dist', 'schemas');
}

/** The current stamp of a schema: what its generated code must have been made from. */
export function currentSchemaStamp(name: string): string {
  return schemaStamp({ name: readSchemaText(name), includes: (SCHEMAS[name] ?? []).map(readSchemaText) });
}

/** The generated validator in `dir`, if its file exists and was made from exactly what `stamp` says. */
export function precompiledValidator(name: string, stamp: string, dir = precompiledDir()): ValidateFunction | undefined {
  let mod: { stamp?: unknown; validate?: unknown };
  try {
    // Run as a CommonJS module whose require() resolves from ModelHub's package (ajv's runtime helpers), wherever the file is.
    const module = { exports: {} as typeof mod };
    new Function('module', 'exports', 'require', readFileSync(join(dir, `${name}.cjs`), 'utf8'))(module, module.exports, require);
    mod = module.exports;
  } catch {
    return undefined; // not built, or unreadable: compile instead
  }
  return mod.stamp === stamp && typeof mod.validate === 'function' ? (mod.validate as ValidateFunction) : undefined;
}

/**
 * Write every schema's validator as code (ajv standalone, CommonJS) into dist/schemas/, each
 * stamped with what it was made from (run by `npm run build`: core/precompile.ts).
 */
export function writePrecompiledSchemas(dir = precompiledDir()): string[] {
  const written: string[] = [];
  const standalone = (require('ajv/dist/standalone') as { default: (ajv: AjvInstance, fn: ValidateFunction) => string }).default;
  for (const [name, includes] of Object.entries(SCHEMAS)) {
    const texts = { name: readSchemaText(name), includes: includes.map(readSchemaText) };
    const ajv = createAjv({ code: { source: true } });
    for (const text of texts.includes) ajv.addSchema(JSON.parse(text) as object);
    const code = standalone(ajv, ajv.compile(JSON.parse(texts.name) as object));
    const file = join(dir, `${name}.cjs`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${file}.tmp`, `${code}\nmodule.exports = { validate: module.exports, stamp: ${JSON.stringify(schemaStamp(texts))} };\n`);
    renameSync(`${file}.tmp`, file);
    written.push(file);
  }
  return written;
}
