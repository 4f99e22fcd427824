import AjvModule from 'ajv';
import type { Options } from 'ajv';

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
