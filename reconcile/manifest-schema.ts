import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../core/ajv.js';
import { packageRoot } from '../core/paths.js';
import { describeAjvError, locate, type YamlDoc, type YamlProblem } from '../core/yaml.js';
import { didYouMean } from './suggest.js';

const SCHEMA_FILES = ['manifest', 'target', 'deployment', 'override'];
const MANIFEST_ID = 'https://modelhub.dev/schemas/manifest.schema.json';

let compiled: ValidateFunction | undefined;

/** The validator for one manifest document (schemas/manifest.schema.json and the kinds it references). */
export function manifestValidator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  const ajv = createAjv({ verbose: true });
  for (const name of SCHEMA_FILES) {
    const file = join(packageRoot(), 'schemas', `${name}.schema.json`);
    ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')) as object);
  }
  const validate = ajv.getSchema(MANIFEST_ID);
  if (validate === undefined) throw new Error(`schema ${MANIFEST_ID} did not compile`);
  return (compiled = validate);
}

/**
 * Validate one document against the manifest schema; every error becomes a positioned problem
 * worded for people: one message per offending value, unknown keys and vocabulary values with
 * a "did you mean" suggestion.
 */
export function validateManifestDoc(doc: YamlDoc): YamlProblem[] {
  const validate = manifestValidator();
  if (validate(doc.value)) return [];
  return shapeErrors(validate.errors ?? []).map((err) => {
    const key = err.keyword === 'additionalProperties' ? String(err.params.additionalProperty) : undefined;
    const pos = locate(doc, err.instancePath, key === undefined ? {} : { key });
    return { file: doc.file, line: pos.line, col: pos.col, message: describe(err) };
  });
}

/**
 * ajv reports every failing branch of an `anyOf` (string | list) and the `if/then` of the kind
 * union. Keep what a user can act on: drop the combinators, drop a "must be <type>" where the
 * same value (or something inside it) has a more specific error, merge the rest.
 */
function shapeErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['anyOf', 'oneOf', 'if', 'allOf'].includes(e.keyword));
  const out: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const err of specific) {
    if (err.keyword === 'type') {
      const covered = specific.some((o) => o.keyword !== 'type' && !isShapeEnum(o) && within(o, err));
      if (covered) continue;
      const types = specific.filter((o) => o.keyword === 'type' && o.instancePath === err.instancePath).map((o) => String(o.params.type));
      const id = `${err.instancePath}|type`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ ...err, params: { type: [...new Set(types)].join(' or ') } });
      continue;
    }
    if (isShapeEnum(err) && specific.some((o) => o !== err && within(o, err))) continue;
    const id = `${err.instancePath}|${describe(err)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(err);
  }
  return out;
}

/** An enum (vocabulary) error on a list or map: the value has the other shape of a string-or-list. */
function isShapeEnum(err: ErrorObject): boolean {
  return err.keyword === 'enum' && typeof err.data === 'object' && err.data !== null;
}

/** Whether `inner` concerns the same value as `outer`, or something inside it. */
function within(inner: ErrorObject, outer: ErrorObject): boolean {
  return inner.instancePath === outer.instancePath || inner.instancePath.startsWith(`${outer.instancePath}/`);
}

function describe(err: ErrorObject): string {
  const where = err.instancePath === '' ? '' : `${pointerToPath(err.instancePath)}: `;
  if (err.keyword === 'additionalProperties') {
    const key = String(err.params.additionalProperty);
    const known = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const what = err.instancePath.endsWith('/mappings') ? 'model type' : 'key';
    return `${where}unknown ${what} "${key}"${didYouMean(key, known)}`;
  }
  if (err.keyword === 'enum') {
    const allowed = (err.params.allowedValues as unknown[]).map(String);
    const value = String(err.data);
    const what = allowed.includes('checkpoint') ? 'type' : allowed.includes('Target') ? 'kind' : allowed.includes('gguf') ? 'format' : 'value';
    const hint = didYouMean(value, allowed);
    return `${where}unknown ${what} ${JSON.stringify(err.data)}${hint || `; expected one of ${allowed.join(', ')}`}`;
  }
  if (err.keyword === 'pattern') {
    const description = (err.parentSchema as { description?: string } | undefined)?.description;
    return `${where}${JSON.stringify(err.data)} is not valid${description === undefined ? ` (must match ${String(err.params.pattern)})` : ` (${lowerFirst(description)})`}`;
  }
  if (err.keyword === 'minProperties') return `${where}must not be empty`;
  if (err.keyword === 'const' && err.instancePath === '/kind') return `${where}must be ${JSON.stringify(err.params.allowedValue)}`;
  return describeAjvError(err);
}

function pointerToPath(pointer: string): string {
  return pointer
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1).replace(/\.$/, '') : s;
}
