import { writePrecompiledSchemas } from './ajv.js';
import { writeCompiledDefaults } from './config.js';

/**
 * The build's last step (`npm run build`, after tsc): what every command would otherwise work
 * out again on each run, written into dist/ stamped with what it was made from: the schema
 * validators as code (core/ajv.ts) and the shipped config defaults as JSON (core/config.ts).
 */
export function precompile(): string[] {
  return [...writePrecompiledSchemas(), writeCompiledDefaults()];
}
