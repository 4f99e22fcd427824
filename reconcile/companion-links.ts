import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import { companionNameBeside } from '../core/companion-names.js';
import type { StoredCompanion } from '../store/companions.js';
import type { CompanionNote } from './plan-types.js';

/** What of a declared link its companions are made from (a DesiredLink; kept structural, since desired.ts calls this). */
export interface ModelLinkShape {
  target: string;
  path: string;
  relPath: string;
  model: { hash: string; name: string; unsafe?: true };
  storeFile: string;
  linkTarget: string;
  deployment: string;
  companionOf?: string;
}

/**
 * The companion links that go beside the declared links: for every model link, each companion
 * copy in its store folder, linked in the link's folder under the link's own stem
 * (`loras/flux/y.safetensors` → `loras/flux/y.preview.png`, whatever the store file is called),
 * a fixed-name companion only beside a link that keeps the name it belongs to. The link text
 * follows the model link's (absolute, or relative for `links: relative`). PURE.
 * A companion path that another declared link takes, or that two links in one folder would both
 * give (`x.safetensors` and `x.ckpt` each with a preview), is left out with a note.
 */
export function deriveCompanionLinks<L extends ModelLinkShape>(links: readonly L[], companions: ReadonlyMap<string, readonly StoredCompanion[]>): { links: L[]; skipped: CompanionNote[] } {
  if (companions.size === 0) return { links: [], skipped: [] };
  const modelPaths = new Set(links.map((l) => l.path));
  const claims = new Map<string, L[]>();
  for (const link of links) {
    for (const c of companions.get(link.model.hash) ?? []) {
      const name = companionNameBeside(basename(link.path), c.role);
      if (name === undefined) continue;
      const companion = companionBeside(link, name, c.name);
      const list = claims.get(companion.path);
      if (list === undefined) claims.set(companion.path, [companion]);
      else list.push(companion);
    }
  }
  const out: L[] = [];
  const skipped: CompanionNote[] = [];
  for (const [path, list] of claims) {
    const first = list[0] as L;
    if (modelPaths.has(path)) skipped.push(note(first, 'a model link is declared at this path'));
    else if (list.length > 1) for (const l of list) skipped.push(note(l, `${list.length} links in this folder would each put a companion here (${list.map((x) => basename(x.companionOf ?? '')).join(', ')})`));
    else out.push(first);
  }
  const byPath = <T extends { path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { links: out.sort(byPath), skipped: skipped.sort(byPath) };
}

function companionBeside<L extends ModelLinkShape>(link: L, name: string, storeName: string): L {
  const path = `${dirname(link.path)}${sep}${name}`;
  const slash = link.relPath.lastIndexOf('/');
  const storeFile = `${dirname(link.storeFile)}${sep}${storeName}`;
  const { unsafe: _unsafe, ...model } = link.model;
  return {
    ...link,
    path,
    relPath: slash < 0 ? name : `${link.relPath.slice(0, slash + 1)}${name}`,
    model,
    storeFile,
    linkTarget: isAbsolute(link.linkTarget) ? storeFile : relative(dirname(path), storeFile),
    companionOf: link.path,
  };
}

function note(l: ModelLinkShape, found: string): CompanionNote {
  return { target: l.target, path: l.path, relPath: l.relPath, model: { hash: l.model.hash, name: l.model.name }, companionOf: l.companionOf ?? '', found };
}
