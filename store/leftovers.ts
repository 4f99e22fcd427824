import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { errnoCode } from '../core/errors.js';
import { stmt } from '../core/db.js';
import { storeHashOf, type Hub } from './hub.js';
import { readlinkOrUndefined, unlinkIfPresent } from './link-backs.js';

/**
 * Temporary files an interrupted scan can leave: full-size staging copies in `models/.tmp/`
 * and hidden temporary symlinks beside a model being linked back. Each name carries its owner
 * (a tag of the host and the pid), so the next command that takes the hub lock can remove
 * exactly those whose owner is dead, and nothing else.
 */

/** Eight hex digits naming this host (host names may hold characters a file name should not). */
export function hostTag(host?: string): string {
  if (host !== undefined) return tagOf(host);
  // Asked once per temporary name (thousands per scan): the host's name is looked up once.
  thisHost ??= tagOf(hostname());
  return thisHost;
}

let thisHost: string | undefined;

function tagOf(host: string): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}

/** Eight random hex digits; drawn from a pool, since a scan names thousands of temporary links. */
function rand(): string {
  if (poolAt >= pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  poolAt += 4;
  return pool.toString('hex', poolAt - 4, poolAt);
}

let pool = Buffer.alloc(0);
let poolAt = 0;

/** `<sha256>.<host>-<pid>.<rand>.partial` in models/.tmp. */
export function stagingName(sha256: string): string {
  return `${sha256}.${hostTag()}-${process.pid}.${rand()}.partial`;
}

/** `.<name>.modelhub-<host>-<pid>-<rand>` beside the file being replaced by a link. */
export function tempLinkName(name: string): string {
  return `.${shorten(name)}.modelhub-${hostTag()}-${process.pid}-${rand()}`;
}

const STAGING = /^[0-9a-f]{64}\.([0-9a-f]{8})-(\d+)\.[0-9a-f]{8}\.partial$/;
const TEMP_LINK = /^\..*\.modelhub-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}$/s;

export interface Owner {
  host: string;
  pid: number;
}

/** The owner a staging or temporary-link name records, or undefined for a name of another form. */
export function ownerOf(name: string): Owner | undefined {
  const m = STAGING.exec(name) ?? TEMP_LINK.exec(name);
  return m === null ? undefined : { host: m[1] as string, pid: Number(m[2]) };
}

/** Whether the owner is a process of this host that no longer exists. Anything uncertain is alive. */
export function ownerIsDead(owner: Owner, isAlive: (pid: number) => boolean = pidAlive): boolean {
  return owner.host === hostTag() && owner.pid !== process.pid && !isAlive(owner.pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) !== 'ESRCH';
  }
}

export interface LeftoverCleanup {
  /** Staging files removed, with their size. */
  staging: Array<{ path: string; size: number }>;
  /** Temporary symlinks removed. */
  links: string[];
}

/**
 * Remove what interrupted scans of dead processes left: staging files in `models/.tmp/` named
 * for a dead owner, and temporary symlinks beside journalled imports (sources in state
 * `importing`) named for a dead owner and pointing into the store. A staging file is a copy
 * whose original was never removed; a temporary link holds no bytes. Nothing else is touched.
 * The caller holds the hub lock.
 */
export function cleanLeftovers(hub: Hub, isAlive: (pid: number) => boolean = pidAlive): LeftoverCleanup {
  const out: LeftoverCleanup = { staging: [], links: [] };
  for (const name of listNames(hub.layout.tmpDir)) {
    const owner = ownerOf(name);
    if (!STAGING.test(name) || owner === undefined || !ownerIsDead(owner, isAlive)) continue;
    const path = join(hub.layout.tmpDir, name);
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile()) continue;
    if (unlinkIfPresent(path)) out.staging.push({ path, size: st.size });
  }
  const journalled = stmt(hub.db, "SELECT path FROM model_sources WHERE state = 'importing'").all() as Array<{ path: string }>;
  for (const dir of new Set(journalled.map((r) => dirname(r.path)))) {
    const stems = new Set(journalled.filter((r) => dirname(r.path) === dir).map((r) => `.${shorten(basename(r.path))}.modelhub-`));
    for (const name of listNames(dir)) {
      const owner = ownerOf(name);
      if (!TEMP_LINK.test(name) || owner === undefined || ![...stems].some((s) => name.startsWith(s)) || !ownerIsDead(owner, isAlive)) continue;
      const path = join(dir, name);
      const text = readlinkOrUndefined(path);
      if (text === undefined || storeHashOf(hub.layout, resolve(dir, text)) === undefined) continue;
      if (unlinkIfPresent(path)) out.links.push(path);
    }
  }
  return out;
}

/** Keep temporary names under NAME_MAX (255 bytes) for long model names. */
function shorten(name: string): string {
  return Buffer.byteLength(name) <= 180 ? name : Buffer.from(name).subarray(0, 180).toString('utf8').replace(/\uFFFD+$/, '');
}

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return [];
    throw err;
  }
}
