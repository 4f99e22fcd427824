import type { ErrorObject, ValidateFunction } from 'ajv';
import { schemaValidator } from '../core/ajv.js';
import { didYouMean } from '../core/suggest.js';
import { errorPlace, validateDoc, type YamlDoc, type YamlProblem } from '../core/yaml.js';

/** The validator for one manifest document (schemas/manifest.schema.json and the kinds it references). */
export function manifestValidator(): ValidateFunction {
  return schemaValidator('manifest', { with: ['target', 'deployment', 'override'] });
}

/**
 * Validate one document against the manifest schema; every error becomes a positioned problem
 * worded for people (core/yaml.ts), with manifest words: a mapping key is a "model type", and a
 * vocabulary value is an unknown type, kind or format.
 */
export function validateManifestDoc(doc: YamlDoc): YamlProblem[] {
  return validateDoc(manifestValidator(), doc, { describe: describeManifestError });
}

function describeManifestError(err: ErrorObject): string | undefined {
  const where = errorPlace(err);
  if (err.keyword === 'additionalProperties' && err.instancePath.endsWith('/mappings')) {
    const key = String(err.params.additionalProperty);
    const known = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return `${where}unknown model type "${key}"${didYouMean(key, known)}`;
  }
  if (err.keyword === 'enum') {
    const allowed = (err.params.allowedValues as unknown[]).map(String);
    const value = String(err.data);
    const what = allowed.includes('checkpoint') ? 'type' : allowed.includes('Target') ? 'kind' : allowed.includes('gguf') ? 'format' : 'value';
    const hint = didYouMean(value, allowed);
    return `${where}unknown ${what} ${JSON.stringify(err.data)}${hint || `; expected one of ${allowed.join(', ')}`}`;
  }
  if (err.keyword === 'pattern') {
    // Manifest schemas describe each patterned value's form ("a SHA-256 prefix, 6 to 64 hex digits").
    const description = (err.parentSchema as { description?: string } | undefined)?.description;
    if (description !== undefined) return `${where}${JSON.stringify(err.data)} is not valid (${lowerFirst(description)})`;
  }
  if (err.keyword === 'const' && err.instancePath === '/kind') return `${where}must be ${JSON.stringify(err.params.allowedValue)}`;
  return undefined;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? (s[0] as string).toLowerCase() + s.slice(1).replace(/\.$/, '') : s;
}
