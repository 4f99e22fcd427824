/**
 * A held lock must not depend on its taker keeping the HubLock referenced: a garbage-collected
 * SQLite connection is closed, and with it the kernel lock (the race test's holder once lost its
 * lock that way under load). Runs a child with --expose-gc that takes a lock, drops it, collects,
 * and tries again.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { tempDir } from '../helpers/tmp.js';

describe('a held hub lock', () => {
  it('stays held when its taker drops the HubLock and the garbage collector runs', () => {
    const dir = tempDir();
    const script = join(dir, 'drop-lock.mts');
    writeFileSync(
      script,
      `import { acquireLock } from ${JSON.stringify(join(packageRoot(), 'store/lock.js'))};
const file = ${JSON.stringify(join(dir, 'modelhub.lock'))};
await acquireLock(file, 'modelhub scan');
for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
try { await acquireLock(file, 'modelhub gc'); console.log('taken again'); } catch (err) { console.log(err.code); }
`,
    );
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { cwd: packageRoot(), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ERR_MODELHUB_LOCKED');
  });
});
