import { createRequire } from 'node:module';

type YamlLibrary = typeof import('yaml');
let library: YamlLibrary | undefined;

/**
 * The yaml library, loaded on its first use: a command that reads no YAML (`list` without a
 * user config file, since the shipped defaults are compiled at build time) never pays for
 * loading its 73 modules. Node loads yaml's CommonJS build either way, so this is the same
 * instance a static `import … from 'yaml'` elsewhere gets.
 */
export function yamlLibrary(): YamlLibrary {
  library ??= createRequire(import.meta.url)('yaml') as YamlLibrary;
  return library;
}
