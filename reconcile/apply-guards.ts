import { basename, dirname } from 'node:path';
import { ModelHubError } from '../core/errors.js';
import { isWithin } from '../core/fs-identity.js';
import type { DeployFs } from './fs.js';
import type { Ledger } from './ledger.js';
import { TEMP_LINK_PATTERN } from './observe.js';
import { ownership } from './ownership.js';
import type { Change, Observed } from './plan-types.js';

/**
 * The applier's own checks, made on whatever plan it is handed, right before each step and
 * through the same fs interface as the steps: a path lies below its target's root with no
 * symlinked folder in between (the root itself may be one), and a link removed or re-pointed
 * is the one deploy_links records, same text and same inode.
 */
export class ApplyGuards {
  constructor(
    private readonly fs: DeployFs,
    private readonly ledger: Ledger,
    /** Target name → root. */
    private readonly roots: Map<string, string>,
  ) {}

  /** The target root `path` lies below (refused when none). */
  rootOf(c: Pick<Change, 'target' | 'path'>): string {
    const root = this.roots.get(c.target);
    if (root === undefined || c.path === root || !isWithin(c.path, root)) {
      throw new ModelHubError('OUT_OF_SCOPE', `${c.path} is not below the root of target ${c.target}; nothing there is ModelHub's to change`, {
        path: c.path,
        hint: 'run `modelhub plan` and apply what it shows',
      });
    }
    return root;
  }

  /** Refuse when a folder between the target root and `path` is a symlink (absent folders are fine: apply makes them). */
  async assertRealFolders(c: Pick<Change, 'target' | 'path'>): Promise<void> {
    const root = this.rootOf(c);
    const chain: string[] = [];
    for (let d = dirname(c.path); d !== root; d = dirname(d)) chain.push(d);
    for (const d of chain.reverse()) {
      const st = await this.fs.lstat(d);
      if (st === null) return;
      if (st.kind === 'symlink') {
        throw new ModelHubError('FOLDER_IS_SYMLINK', `${d} is a symlink (-> ${await this.fs.readlink(d)}); apply never works through a symlinked folder below the target root ${root}`, {
          path: d,
          hint: 'run `modelhub plan` to see the folder-is-symlink conflict; replace the symlink by a real folder, or point the mapping at the folder it leads to',
        });
      }
    }
  }

  /**
   * Refuse removing or re-pointing `c.path` unless deploy_links records it and the link there
   * still holds the recorded text with the recorded inode (a temporary link of an interrupted
   * apply is recognised by its name instead). `now` is what is at the path this moment.
   */
  assertOwned(c: Change, now: Observed): void {
    if (c.action === 'delete' && c.reason === 'leftover-temp' && TEMP_LINK_PATTERN.test(basename(c.path)) && now.kind === 'symlink') return;
    const rec = this.ledger.findLink(c.path);
    if (rec !== undefined && ownership(rec, now) !== 'not-owned') return;
    throw new ModelHubError('NOT_OWNED', `${c.path} is not a link ModelHub recorded (or it is a copy of one: another inode); left as it is`, {
      path: c.path,
      hint: 'run `modelhub plan` to see the current state; ModelHub never removes or replaces what it did not make',
    });
  }
}
