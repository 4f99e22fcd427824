import { basename, dirname, join, resolve } from 'node:path';
import { ModelHubError } from '../core/errors.js';
import { isWithin } from '../core/fs-identity.js';
import type { DeployFs } from './fs.js';
import type { Gathered } from './gather.js';
import type { Ledger } from './ledger.js';
import { forbiddenPlace } from './manifest-resolve.js';
import { TEMP_LINK_PATTERN } from './observe.js';
import { ownership } from './ownership.js';
import type { Change, Observed, RecordedDir } from './plan-types.js';

/**
 * Where apply may act, from the manifests and the inventory, never from the plan it is handed.
 * Per target: its roots (the manifests' root, then the root as last mirrored), the folders links
 * may be made in (the manifests' mappings of an enabled target) and the folders links may be
 * removed from (those of every target the manifests name, and the mappings as last mirrored).
 */
export interface ApplyScope {
  storeDir: string;
  hubDir: string;
  targets: Map<string, { roots: string[]; writable: string[]; removable: string[] }>;
  /** The files apply may write: each enabled target's extraModelPaths, by path → target. */
  files: Map<string, string>;
}

/** The scope of an apply over `gathered` (its manifests and recorded targets). */
export function applyScope(gathered: Pick<Gathered, 'targets' | 'recordedTargets'>, hub: { storeDir: string; hubDir: string }): ApplyScope {
  const targets: ApplyScope['targets'] = new Map();
  const entry = (name: string) => targets.get(name) ?? targets.set(name, { roots: [], writable: [], removable: [] }).get(name)!;
  for (const t of gathered.targets) {
    const folders = [...new Set(Object.values(t.mappings))].map((f) => (f === '' ? t.root : join(t.root, f)));
    const e = entry(t.name);
    e.roots.push(t.root);
    if (t.enabled) e.writable.push(...folders);
    e.removable.push(...folders);
  }
  for (const t of gathered.recordedTargets) {
    const e = entry(t.name);
    e.roots.push(t.root);
    e.removable.push(...t.folders);
  }
  const files = new Map(gathered.targets.flatMap((t) => (t.enabled && t.extraModelPaths !== undefined ? [[t.extraModelPaths, t.name] as const] : [])));
  return { ...hub, targets, files };
}

const REFRESH = 'run `modelhub plan` and apply what it shows';

/**
 * The applier's own checks, made on whatever plan it is handed: every path lies in its target's
 * mapped folders, below a root that does not resolve into the hub; no folder between the root
 * and the path is a symlink (the root itself may be one); every link made points at its model's
 * file in the store; a link removed or re-pointed is the one deploy_links records, same text and
 * same inode; a folder removed is one deploy_dirs records. Checks that read the disk go through
 * the same fs interface as the steps and are made again right before each step.
 */
export class ApplyGuards {
  private readonly rootsChecked = new Set<string>();

  constructor(
    private readonly fs: DeployFs,
    private readonly ledger: Ledger,
    private readonly scope: ApplyScope,
  ) {}

  /** Refuse a change outside its target's folders, or a link pointing anywhere but at its model's store file. */
  assertInScope(c: Change): void {
    if (c.action === 'forget') return;
    const t = this.scope.targets.get(c.target);
    const folders = c.action === 'delete' ? t?.removable : t?.writable;
    const inFolders = (path: string): boolean => resolve(path) === path && (folders ?? []).some((f) => path !== f && isWithin(path, f));
    if (!inFolders(c.path)) {
      throw outOfScope(c.path, `${c.path} is not in a folder target ${c.target} maps; nothing there is ModelHub's to change`);
    }
    if (c.action === 'adopt' && c.declaredPath !== undefined && !inFolders(c.declaredPath)) {
      throw outOfScope(c.path, `the link adopted at ${c.path} would stand for ${c.declaredPath}, which is not in a folder target ${c.target} maps`);
    }
    if ('linkTarget' in c && !this.isStoreFileOf(c.path, c.linkTarget, c.model.hash)) {
      throw outOfScope(c.path, `the link planned at ${c.path} would point at ${c.linkTarget}, not at its model's file in the store ${this.scope.storeDir}`);
    }
  }

  /** Refuse a folder to remove that ModelHub did not record making, or that is not below its target's root. */
  assertDirInScope(d: RecordedDir): void {
    const roots = this.scope.targets.get(d.target)?.roots ?? [];
    if (resolve(d.path) === d.path && roots.some((r) => d.path !== r && isWithin(d.path, r)) && this.ledger.hasDir(d.path)) return;
    throw outOfScope(d.path, `${d.path} is not a folder ModelHub made for target ${d.target}`);
  }

  /** Refuse when a folder between the target root and `path` is a symlink (absent folders are fine: apply makes them). */
  async assertRealFolders(c: { target: string; path: string }): Promise<void> {
    const root = this.rootOf(c);
    const chain: string[] = [];
    for (let d = dirname(c.path); d !== root; d = dirname(d)) chain.push(d);
    for (const d of chain.reverse()) {
      const st = this.fs.lstat(d);
      if (st === null) return;
      if (st.kind === 'symlink') {
        throw new ModelHubError('FOLDER_IS_SYMLINK', `${d} is a symlink (-> ${this.fs.readlink(d)}); apply never works through a symlinked folder below the target root ${root}`, {
          path: d,
          hint: 'run `modelhub plan` to see the folder-is-symlink conflict; replace the symlink by a real folder, or point the mapping at the folder it leads to',
        });
      }
    }
  }

  /**
   * Refuse removing or re-pointing `c.path` unless deploy_links records it and the link there
   * still holds the recorded text with the recorded inode. A temporary link of an interrupted
   * apply (a delete with `recorded: false`) is recognised by its name and by pointing into the
   * store instead. `now`: what is there.
   */
  assertOwned(c: Change, now: Observed): void {
    if (c.action === 'delete' && c.recorded === false) {
      if (TEMP_LINK_PATTERN.test(basename(c.path)) && now.kind === 'symlink' && isWithin(resolve(dirname(c.path), now.text), this.scope.storeDir)) return;
    } else {
      const rec = this.ledger.findLink(c.path);
      if (rec !== undefined && rec.target === c.target && ownership(rec, now) !== 'not-owned') return;
    }
    throw new ModelHubError('NOT_OWNED', `${c.path} is not a link ModelHub recorded (or it is a copy of one: another inode); left as it is`, {
      path: c.path,
      hint: 'run `modelhub plan` to see the current state; ModelHub never removes or replaces what it did not make',
    });
  }

  /** The root `path` lies below; refused when there is none, or when it resolves to /, to the hub or into the store. */
  rootOf(c: { target: string; path: string }): string {
    const root = this.scope.targets.get(c.target)?.roots.find((r) => c.path !== r && isWithin(c.path, r));
    if (root === undefined) throw outOfScope(c.path, `${c.path} is not below the root of target ${c.target}; nothing there is ModelHub's to change`);
    if (!this.rootsChecked.has(root)) {
      const problem = forbiddenPlace(root, this.scope);
      if (problem !== undefined) throw outOfScope(root, `the root ${root} of target ${c.target} ${problem}; apply never deploys there`);
      this.rootsChecked.add(root);
    }
    return root;
  }

  /** Whether `linkTarget`, read from the link's folder, is `<store>/<hash>/<one name>`. */
  private isStoreFileOf(path: string, linkTarget: string, hash: string): boolean {
    const file = resolve(dirname(path), linkTarget);
    return dirname(file) === join(this.scope.storeDir, hash) && basename(file) !== '';
  }
}

function outOfScope(path: string, message: string): ModelHubError {
  return new ModelHubError('OUT_OF_SCOPE', `${message}; nothing was changed`, { path, hint: REFRESH });
}
