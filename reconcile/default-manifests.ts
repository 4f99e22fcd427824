import { constants, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fg from 'fast-glob';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';

const SCHEMA_LINE = /^# yaml-language-server: \$schema=\.\.\/schemas\/manifest\.schema\.json$/m;

/**
 * Copy the manifests shipped in ModelHub's `manifests/` folder into `dir` when `dir` holds no
 * *.yaml/*.yml (at any depth) yet; create `dir` if needed. Never overwrites a file. The
 * editor schema line is rewritten to point at the installed schemas/manifest.schema.json.
 */
export function copyDefaultManifests(dir: string): { dir: string; copied: string[] } {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EACCES') throw err;
    throw new ModelHubError('MANIFESTS_NOT_FOUND', `cannot create the manifests folder ${dir}: ${code}`, { path: dir, hint: 'pass --manifests DIR with a writable folder' });
  }
  const existing = fg.sync(['**/*.yaml', '**/*.yml'], { cwd: dir, onlyFiles: true, dot: false, ignore: ['**/node_modules/**'] });
  if (existing.length > 0) return { dir, copied: [] };
  const source = join(packageRoot(), 'manifests');
  const schema = join(packageRoot(), 'schemas', 'manifest.schema.json');
  const copied: string[] = [];
  for (const file of fg.sync(['*.yaml'], { cwd: source, absolute: true }).sort()) {
    const dest = join(dir, basename(file));
    const text = readFileSync(file, 'utf8');
    try {
      if (SCHEMA_LINE.test(text)) writeFileSync(dest, text.replace(SCHEMA_LINE, `# yaml-language-server: $schema=${schema}`), { flag: 'wx' });
      else copyFileSync(file, dest, constants.COPYFILE_EXCL);
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') continue;
      throw err;
    }
    copied.push(basename(file));
  }
  return { dir, copied };
}
