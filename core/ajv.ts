import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import { packageRoot } from './paths.js';

type AjvInstance = InstanceType<typeof AjvModule.default>;

// ajv is CommonJS; under NodeNext its class arrives as the module's `.default`.
const Ajv = AjvModule.default;

/**
 * An ajv instance configured the way every ModelHub schema is checked: all errors, strict
 * schemas, and verbose errors (the offending value and its schema, for "did you mean" wording).
 */
export function createAjv(opts: Options = {}): AjvInstance {
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, ...opts });
}

const compiled = new Map<string, ValidateFunction>();

/**
 * The validator for `schemas/<name>.schema.json`, compiled once per process. `with` names the
 * other schema files it references by `$id` (added to the same ajv instance first).
 */
export function schemaValidator(name: string, opts: { with?: string[] } = {}): ValidateFunction {
  const cached = compiled.get(name);
  if (cached !== undefined) return cached;
  const read = (n: string): { $id?: string } => JSON.parse(readFileSync(join(packageRoot(), 'schemas', `${n}.schema.json`), 'utf8')) as { $id?: string };
  const ajv = createAjv();
  for (const other of opts.with ?? []) ajv.addSchema(read(other));
  const validate = ajv.compile(read(name));
  compiled.set(name, validate);
  return validate;
}
