import { posix } from 'node:path';
import type { FolderListing, TargetSpec } from './manifest-types.js';

/** One thing status says about how the application will list a target's deployed links. */
export interface ListingNote {
  /** `note`: the links are fine once the application has what it needs; `warning`: some will not be listed, or not all of them. */
  level: 'note' | 'warning';
  /** The listing folder (relative to the target root). */
  folder: string;
  message: string;
  /** The links concerned, relative to the target root. */
  paths: string[];
}

/**
 * What the target's `listing` rules say about the links it declares (paths relative to its
 * root): links whose extension the application does not list in that folder (or lists only
 * in another case), links that share the name (or stem) a folder keyed by names tells files
 * apart by, and extensions the application lists only with an add-on. PURE.
 */
export function checkListing(target: Pick<TargetSpec, 'displayName' | 'listing'>, relPaths: readonly string[]): ListingNote[] {
  const rules = target.listing ?? {};
  const folders = Object.keys(rules).sort((a, b) => b.length - a.length);
  const byFolder = new Map<string, string[]>();
  for (const rel of relPaths) {
    const folder = folders.find((f) => f === '' || rel.startsWith(`${f}/`));
    if (folder !== undefined) byFolder.set(folder, [...(byFolder.get(folder) ?? []), rel]);
  }
  const notes: ListingNote[] = [];
  for (const [folder, paths] of [...byFolder].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rule = rules[folder] as FolderListing;
    notes.push(...unlisted(target.displayName, folder, rule, paths), ...sameKeys(target.displayName, folder, rule, paths), ...needed(target.displayName, folder, rule, paths));
  }
  return notes;
}

function extensionOf(rel: string): string {
  const name = posix.basename(rel);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot);
}

function unlisted(app: string, folder: string, rule: FolderListing, paths: string[]): ListingNote[] {
  const listed = rule.extensions;
  if (listed === undefined) return [];
  const lower = listed.map((e) => e.toLowerCase());
  const byExt = new Map<string, string[]>();
  for (const p of paths) {
    const ext = extensionOf(p);
    if (rule.needs[ext.toLowerCase()] !== undefined) continue;
    if (rule.matchCase ? listed.includes(ext) : lower.includes(ext.toLowerCase())) continue;
    byExt.set(ext, [...(byExt.get(ext) ?? []), p]);
  }
  return [...byExt].map(([ext, hidden]) => {
    const caseOnly = rule.matchCase && lower.includes(ext.toLowerCase());
    const what = caseOnly ? `matches extensions in ${folder || '.'} case-sensitively and will not list ${describeCount(hidden, ext)}` : `does not list ${describeCount(hidden, ext || 'extensionless')} in ${folder || '.'}`;
    return { level: 'warning' as const, folder, paths: hidden, message: `${app} ${what} (it lists ${listed.join(', ')}); rename with the deployment's path template or an Override's set.name` };
  });
}

function sameKeys(app: string, folder: string, rule: FolderListing, paths: string[]): ListingNote[] {
  if (rule.keyedBy === 'path') return [];
  const byKey = new Map<string, string[]>();
  for (const p of paths) {
    const name = posix.basename(p);
    const key = rule.keyedBy === 'name' ? name : name.slice(0, name.length - extensionOf(p).length);
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  const what = rule.keyedBy === 'name' ? 'file name' : 'name (without its extension)';
  return [...byKey]
    .filter(([, same]) => same.length > 1)
    .map(([key, same]) => ({
      level: 'warning' as const,
      folder,
      paths: same,
      message: `${same.length} links named ${key}${rule.keyedBy === 'stem' ? '.*' : ''} in ${folder || '.'}: ${app} lists one file per ${what} there, so only one of them can be chosen; give them distinct names (the deployment's path template, or an Override's set.name)`,
    }));
}

function needed(app: string, folder: string, rule: FolderListing, paths: string[]): ListingNote[] {
  const byExt = new Map<string, string[]>();
  for (const p of paths) {
    const ext = extensionOf(p).toLowerCase();
    if (rule.needs[ext] !== undefined) byExt.set(ext, [...(byExt.get(ext) ?? []), p]);
  }
  return [...byExt].map(([ext, with_]) => ({ level: 'note' as const, folder, paths: with_, message: `${describeCount(with_, ext)} in ${folder || '.'}: ${app} lists them only with ${rule.needs[ext]}` }));
}

function describeCount(paths: string[], ext: string): string {
  return `${paths.length} ${ext} link${paths.length === 1 ? '' : 's'}`;
}
