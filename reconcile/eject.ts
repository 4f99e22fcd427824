import { lstatSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ModelHubError, errnoCode } from '../core/errors.js';
import { resolveLocation } from '../core/fs-identity.js';
import { ejectLink, freeBytesIn, type EjectItem, type EjectStepOptions } from '../store/eject.js';
import { isEjectedCopy, readEjectedFiles, type EjectedFile } from '../store/ejected.js';
import { storeHashOf, type Hub } from '../store/hub.js';
import { findLinkBacks } from '../store/link-backs.js';
import { readRecordedLinks, type Ledger } from './ledger.js';
import { ownership } from './ownership.js';
import type { RecordedLink } from './plan-types.js';

/** One link to eject, with what it is on record as. */
export interface EjectTarget extends EjectItem {
  name: string;
  /** The deploy_links record (a deployed link), forgotten once the copy is in place. */
  deployed: { target: string; path: string } | null;
}

export interface EjectPlan {
  items: EjectTarget[];
  /** Paths named (or found in a folder named) that already hold the copy an eject made. */
  alreadyEjected: string[];
  /** Symlinks found in a folder named that are not ModelHub's: left alone. */
  skipped: string[];
  /** Bytes the copies need. */
  bytes: number;
}

/**
 * What `modelhub eject PATH…` would do, read-only: every PATH must be a link ModelHub made (a
 * link-back `scan` left, or a deployed link deploy_links records with the same text and inode)
 * reaching its model's store file (same dev, ino), or a folder, whose links of that kind (any
 * depth, symlinked folders not entered) are taken and whose other links are left alone. Paths are
 * matched on their resolved locations, never their spelling. A named path that is anything else is
 * refused, naming it; one that already holds an ejected copy is reported and left alone.
 */
export function planEject(hub: Hub, paths: string[], cwd: string): EjectPlan {
  const known = new KnownLinks(hub);
  const plan: EjectPlan = { items: [], alreadyEjected: [], skipped: [], bytes: 0 };
  const seen = new Set<string>();
  const take = (path: string, explicit: boolean): void => {
    const loc = resolveLocation(path);
    if (seen.has(loc)) return;
    seen.add(loc);
    const st = lstatOrNull(path);
    if (st === null) throw new ModelHubError('NOT_FOUND', `${path} does not exist`, { path, hint: 'name a link-back `modelhub scan` left or a link `modelhub apply` made' });
    if (st.isDirectory() && explicit) {
      for (const child of walkLinks(path)) take(child, false);
      return;
    }
    if (known.isEjectedCopy(loc, st)) {
      plan.alreadyEjected.push(path);
      return;
    }
    const item = st.isSymbolicLink() ? known.identify(path, loc, st) : undefined;
    if (item !== undefined) {
      plan.items.push(item);
      plan.bytes += item.size;
    } else if (!explicit) {
      if (st.isSymbolicLink()) plan.skipped.push(path);
    } else throw notOurs(path, st.isSymbolicLink() ? 'a symlink ModelHub did not make' : st.isFile() ? 'a regular file, not a link' : 'not a link');
  };
  for (const p of paths) take(resolve(cwd, p), true);
  plan.items.sort((a, b) => (a.path < b.path ? -1 : 1));
  return plan;
}

/**
 * Refuse the whole eject before the first copy when a filesystem lacks the room for the copies
 * it is to hold (summed per device of the links' folders).
 */
export function assertRoomFor(plan: EjectPlan, freeBytes: (dir: string) => number = freeBytesIn): void {
  const perDevice = new Map<number, { dir: string; bytes: number }>();
  for (const item of plan.items) {
    const dir = dirname(item.path);
    const dev = statSync(dir).dev;
    const entry = perDevice.get(dev) ?? { dir, bytes: 0 };
    entry.bytes += item.size;
    perDevice.set(dev, entry);
  }
  for (const { dir, bytes } of perDevice.values()) {
    const free = freeBytes(dir);
    if (free < bytes) {
      throw new ModelHubError('NO_SPACE', `not enough free space in ${dir} for the ejected copies: they need ${bytes} bytes, ${free} are free; nothing was changed`, {
        path: dir,
        hint: 'free some space on that disk, or eject fewer models at once (`--dry-run` shows what each needs)',
      });
    }
  }
}

/**
 * Carry out an eject plan, one link at a time (store/eject.ts ejectLink: copy, verify, rename
 * over the link if it is still the same link), forgetting a deployed link's record right after
 * its copy is in place. Stops at the first failure; what was done before it stays done and recorded.
 */
export async function executeEject(hub: Hub, plan: EjectPlan, opts: EjectStepOptions & { ledger: Ledger }): Promise<string[]> {
  const done: string[] = [];
  try {
    for (const item of plan.items) {
      await ejectLink(hub, item, opts);
      if (item.deployed !== null) opts.ledger.forgetLink(item.deployed.path);
      done.push(item.path);
    }
  } finally {
    opts.ledger.flush();
  }
  return done;
}

/** The records links are recognised by: deploy_links, link-backs and finished ejections, by resolved location. */
class KnownLinks {
  private readonly recorded = new Map<string, RecordedLink>();
  private readonly linkBacks = new Map<string, { path: string; hash: string; name: string; text: string }>();
  private readonly ejected = new Map<string, EjectedFile>();

  constructor(private readonly hub: Hub) {
    for (const r of readRecordedLinks(hub.db)) this.recorded.set(resolveLocation(r.path), r);
    for (const l of findLinkBacks(hub)) if (!l.deleted) this.linkBacks.set(resolveLocation(l.path), l);
    for (const [path, e] of readEjectedFiles(hub.db)) this.ejected.set(resolveLocation(path), e);
  }

  isEjectedCopy(loc: string, st: Stats): boolean {
    return st.isFile() && isEjectedCopy(this.ejected.get(loc), st);
  }

  /** The eject of the symlink at `path`, when it is ModelHub's and reaches its model's store file. */
  identify(path: string, loc: string, st: Stats): EjectTarget | undefined {
    const text = readlinkSync(path);
    const rec = this.recorded.get(loc);
    const deployed = rec !== undefined && ownership(rec, { kind: 'symlink', text, dev: st.dev, ino: st.ino }) !== 'not-owned' ? rec : undefined;
    const back = this.linkBacks.get(loc);
    const linkBack = back !== undefined && back.text === text ? back : undefined;
    const hash = deployed?.hash ?? linkBack?.hash;
    if (hash === undefined) return undefined;
    const storeFile = resolve(dirname(path), text);
    if (storeHashOf(this.hub.layout, storeFile) !== hash) return undefined;
    const reached = statOrNull(path);
    const store = statOrNull(storeFile);
    if (reached === null || store === null || !store.isFile() || reached.dev !== store.dev || reached.ino !== store.ino) return undefined;
    return {
      path: linkBack?.path ?? deployed?.path ?? path,
      hash,
      storeFile,
      size: store.size,
      was: deployed !== undefined && linkBack !== undefined ? 'both' : deployed !== undefined ? 'deployed' : 'link-back',
      text,
      dev: st.dev,
      ino: st.ino,
      name: linkBack?.name ?? storeFile.slice(storeFile.lastIndexOf('/') + 1),
      deployed: deployed === undefined ? null : { target: deployed.target, path: deployed.path },
    };
  }
}

/** Every symlink below `dir`, any depth, without entering symlinked folders; hidden names skipped. */
function walkLinks(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') continue;
      throw err;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) stack.push(join(d, e.name));
      else if (e.isSymbolicLink() || e.isFile()) out.push(join(d, e.name));
    }
  }
  return out.sort();
}

function notOurs(path: string, what: string): ModelHubError {
  return new ModelHubError('NOT_OWNED', `${path} is ${what}: neither a link-back \`modelhub scan\` left nor a link \`modelhub apply\` made; eject leaves it alone`, {
    path,
    hint: 'name a link ModelHub made (`modelhub show MODEL` lists a model’s paths), or a folder holding such links',
  });
}

function lstatOrNull(path: string): Stats | null {
  return lstatSync(path, { throwIfNoEntry: false }) ?? null;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOTDIR' || code === 'ELOOP') return null;
    throw err;
  }
}
