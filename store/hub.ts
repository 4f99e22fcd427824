import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { resolveLocation, resolveReal } from '../core/fs-identity.js';
import { openDatabase, type DB } from '../core/db.js';
import { CLASSIFICATION_MIGRATIONS, INVENTORY_MIGRATIONS } from './migrations.js';

/** Where everything of one hub lives. Pure path arithmetic; nothing here touches the disk. */
export interface HubLayout {
  root: string;
  inventoryDb: string;
  classificationDb: string;
  modelsDir: string;
  /** Staging area for cross-filesystem copies, inside the store so the final rename is atomic. */
  tmpDir: string;
  lockFile: string;
  /**
   * The hub and store folders with symlinks resolved (set by openHub once the hub exists): a
   * hub reached through a symlink is still recognised when a path spells its real location.
   */
  real?: { root: string; modelsDir: string };
}

export function hubLayout(root: string): HubLayout {
  const abs = resolve(root);
  return {
    root: abs,
    inventoryDb: join(abs, 'modelhub.db'),
    classificationDb: join(abs, 'classification.db'),
    modelsDir: join(abs, 'models'),
    tmpDir: join(abs, 'models', '.tmp'),
    lockFile: join(abs, 'modelhub.lock'),
  };
}

/** `models/<sha256>/<filename>` for a model. */
export function storePath(layout: HubLayout, sha256: string, filename: string): string {
  return join(layout.modelsDir, sha256, filename);
}

/**
 * If `path` lies inside the store, the sha256 folder it belongs to; otherwise undefined.
 * Decided on resolved paths: the path's folder is resolved (its final component is not
 * followed), so the store is recognised under any spelling — through a symlinked hub, `..`, or
 * its real path. `realFolders` memoises folders' real paths over many calls (a scan asks for
 * every file it finds; its folders do not move meanwhile).
 */
export function storeHashOf(layout: HubLayout, path: string, realFolders?: Map<string, string>): string | undefined {
  const abs = resolve(path);
  const direct = hashFolderOf(layout.modelsDir, abs);
  if (direct !== undefined) return direct;
  const real = layout.real ?? resolvedLayout(layout);
  return hashFolderOf(real.modelsDir, realFolders === undefined ? resolveLocation(abs) : locationVia(realFolders, abs));
}

/** resolveLocation, with each folder's real path looked up once in `realFolders`. */
function locationVia(realFolders: Map<string, string>, abs: string): string {
  const parent = dirname(abs);
  if (parent === abs) return abs;
  let real = realFolders.get(parent);
  if (real === undefined) realFolders.set(parent, (real = resolveReal(parent)));
  return join(real, basename(abs));
}

/** The hash folder below `modelsDir` that `path` lies in (both resolved: a prefix test is exact). */
function hashFolderOf(modelsDir: string, path: string): string | undefined {
  const prefix = modelsDir.endsWith(sep) ? modelsDir : `${modelsDir}${sep}`;
  if (!path.startsWith(prefix)) return undefined;
  const end = path.indexOf(sep, prefix.length);
  const first = end < 0 ? path.slice(prefix.length) : path.slice(prefix.length, end);
  return /^[0-9a-f]{64}$/.test(first) ? first : undefined;
}

/** The layout's folders with symlinks resolved (as far as they exist). */
export function resolvedLayout(layout: HubLayout): { root: string; modelsDir: string } {
  return { root: resolveReal(layout.root), modelsDir: resolveReal(layout.modelsDir) };
}

export interface Hub {
  layout: HubLayout;
  db: DB;
  classificationDb: DB;
  close(): void;
}

/**
 * Open a hub. `create` (the default unless `readonly`) makes its folder, databases and store
 * on first use; without it a missing hub (neither modelhub.db nor models/) is a NO_HUB error
 * and nothing is created. A store whose inventory was lost is still a hub: writing commands
 * start a new inventory beside it (gc lists the store's models, scan registers them again).
 * `readonly` opens an existing hub without creating or migrating anything (for commands that
 * only look), and so needs the inventory.
 * A hub path through a dangling symlink is refused either way: it may stand for a disk that is
 * not mounted, and a hub created in its place would be the wrong one.
 */
export function openHub(root: string, opts: { readonly?: boolean; create?: boolean } = {}): Hub {
  const layout = hubLayout(root);
  assertNoDanglingLink(layout.root);
  const hasInventory = existsSync(layout.inventoryDb);
  if (!opts.readonly && (opts.create ?? true)) createHubDirs(layout);
  else if (!hasInventory && !existsSync(layout.modelsDir)) {
    throw new ModelHubError('NO_HUB', `no hub at ${layout.root}; run \`modelhub init\` or check --hub`, {
      path: layout.root,
      hint: '`modelhub init` (or `modelhub scan PATH`) creates a hub there; --hub DIR or MODELHUB_HUB points at another',
    });
  } else if (!hasInventory && opts.readonly) {
    throw new ModelHubError('NO_INVENTORY', `the hub at ${layout.root} has a store but no inventory (${layout.inventoryDb} is missing)`, {
      path: layout.inventoryDb,
      hint: `\`modelhub scan ${layout.modelsDir}\` registers the models in the store again (\`modelhub gc\` lists them first)`,
    });
  }
  layout.real = resolvedLayout(layout);
  const db = openDatabase(layout.inventoryDb, INVENTORY_MIGRATIONS, opts);
  let classificationDb: DB;
  try {
    classificationDb = openDatabase(layout.classificationDb, CLASSIFICATION_MIGRATIONS, opts);
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    layout,
    db,
    classificationDb,
    close() {
      db.close();
      classificationDb.close();
    },
  };
}

/**
 * Refuse a hub path whose deepest existing component is a symlink to nothing (or a loop): the
 * error names the link and where it points, instead of ENOENT from deep inside mkdir or SQLite.
 */
function assertNoDanglingLink(root: string): void {
  for (let p = root; ; p = dirname(p)) {
    const st = lstatOrUndefined(p);
    if (st !== undefined) {
      const broken = st.isSymbolicLink() ? brokenLink(p) : undefined;
      if (broken === undefined) return;
      const target = resolve(dirname(p), readlinkSync(p));
      const state = broken === 'ELOOP' ? 'is part of a symlink loop' : 'does not exist';
      const message = p === root ? `the hub path ${root} is a symlink to ${target}, which ${state}` : `the hub path ${root} goes through the symlink ${p}, whose target ${target} ${state}`;
      throw new ModelHubError('NO_HUB', message, {
        path: p,
        hint: `mount or create ${target} (ModelHub never creates a hub in place of a dangling link), or point --hub / MODELHUB_HUB at the hub`,
      });
    }
    if (dirname(p) === p) return;
  }
}

/** Why following the symlink `path` fails (ENOENT, ENOTDIR, ELOOP), or undefined when it resolves. */
function brokenLink(path: string): string | undefined {
  try {
    statSync(path);
    return undefined;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return code;
    throw err;
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
}

function createHubDirs(layout: HubLayout): void {
  try {
    if (existsSync(layout.root) && !statSync(layout.root).isDirectory()) {
      throw new ModelHubError('NO_HUB', `hub path ${layout.root} exists and is not a directory`, { path: layout.root, hint: 'pass --hub DIR with a folder' });
    }
    mkdirSync(layout.tmpDir, { recursive: true });
    const tag = join(layout.modelsDir, 'README.txt');
    if (!existsSync(tag)) {
      writeFileSync(
        tag,
        'This folder is a ModelHub store: models/<sha256>/<filename>, read-only files.\n' +
          'Do not edit or delete files here by hand; use `modelhub delete`, `modelhub gc` and `modelhub verify`.\n',
      );
    }
  } catch (err) {
    if (err instanceof ModelHubError) throw err;
    const code = errnoCode(err);
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR') {
      throw new ModelHubError('NO_HUB', `cannot create the hub at ${layout.root}: ${code}`, { path: layout.root, hint: 'pass --hub DIR with a writable folder' });
    }
    throw err;
  }
}
