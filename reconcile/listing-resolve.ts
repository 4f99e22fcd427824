import type { FolderListing } from './manifest-types.js';

/**
 * A Target's `listing` (schema-checked shape) as specs keyed by normalized folder. `normalize`
 * checks a folder as mappings are checked (relative, no `..`) and reports at its position;
 * entries whose folder it refuses are left out.
 */
export function resolveListing(
  raw: Record<string, unknown>,
  normalize: (folder: string, report: (message: string) => void) => string | undefined,
  report: (pointer: string, message: string) => void,
): Record<string, FolderListing> {
  const out: Record<string, FolderListing> = {};
  for (const [folder, value] of Object.entries(raw)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const v = value as Record<string, unknown>;
    const rel = normalize(folder, (message) => report(`/listing/${folder.replace(/~/g, '~0').replace(/\//g, '~1')}`, message));
    if (rel === undefined) continue;
    const needs: Record<string, string> = {};
    for (const [ext, what] of Object.entries(typeof v.needs === 'object' && v.needs !== null ? v.needs : {})) if (typeof what === 'string') needs[ext.toLowerCase()] = what;
    out[rel] = {
      keyedBy: v.keyedBy === 'name' || v.keyedBy === 'stem' ? v.keyedBy : 'path',
      ...(Array.isArray(v.extensions) ? { extensions: v.extensions.filter((e): e is string => typeof e === 'string') } : {}),
      matchCase: v.matchCase === true,
      needs,
    };
  }
  return out;
}
