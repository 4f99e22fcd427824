import { readdirSync } from 'node:fs';
import { errnoCode } from '../core/errors.js';

/**
 * The names in folders, each folder read once per use: a scan asks "is X beside this file?"
 * for thousands of files that share a few folders, and one readdir per folder answers them all
 * (a lookup per candidate name costs a failed open or lstat each). A folder that cannot be read
 * (gone, not a folder, no permission) holds no names. Reads only; a use is one pass (a scan, a
 * reclassify), not a cache kept across changes the pass makes itself.
 */
export class FolderNames {
  readonly #listings = new Map<string, Set<string>>();

  names(dir: string): Set<string> {
    let names = this.#listings.get(dir);
    if (names !== undefined) return names;
    try {
      names = new Set(readdirSync(dir));
    } catch (err) {
      const code = errnoCode(err);
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES') throw err;
      names = new Set();
    }
    this.#listings.set(dir, names);
    return names;
  }

  has(dir: string, name: string): boolean {
    return this.names(dir).has(name);
  }
}
