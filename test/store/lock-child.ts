/**
 * A separate process that races for a hub lock, for test/store/lock-race.test.ts. Each line
 * `go` on stdin is one attempt: on success it claims a marker file with O_EXCL (a second
 * holder would find it there), holds the lock for a moment, gives both back and answers
 * `held`; a held lock answers `busy`. `hold` takes the lock and keeps it until killed.
 * Usage: node --import tsx lock-child.ts LOCKFILE MARKER HOLD_MS
 */
import { unlinkSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { errnoCode, isModelHubError } from '../../core/errors.js';
import { acquireLock } from '../../store/lock.js';

const [file, marker, holdArg] = process.argv.slice(2) as [string, string, string];
const holdMs = Number(holdArg);

async function attempt(): Promise<string> {
  let lock;
  try {
    lock = await acquireLock(file, 'lock-child');
  } catch (err) {
    if (isModelHubError(err) && err.code === 'ERR_MODELHUB_LOCKED') return 'busy';
    throw err;
  }
  try {
    try {
      writeFileSync(marker, String(process.pid), { flag: 'wx' });
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') return 'overlap';
      throw err;
    }
    await new Promise((r) => setTimeout(r, holdMs));
    unlinkSync(marker);
    return 'held';
  } finally {
    lock.release();
  }
}

/** The lock `hold` took: kept referenced, since a lock whose connection is garbage-collected is released. */
let held: Awaited<ReturnType<typeof acquireLock>> | undefined;

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'go') process.stdout.write(`${await attempt().catch((err: unknown) => `error ${String(err)}`)}\n`);
  else if (line === 'hold') {
    held = await acquireLock(file, 'modelhub scan');
    process.stdout.write(`holding ${held.info.pid}\n`);
  } else if (line === 'exit') break;
}
