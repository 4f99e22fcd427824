#!/usr/bin/env node
import { writeSync } from 'node:fs';
import { errnoCode } from '../core/errors.js';
import { anyOutputClosed, blockOnFullPipes, isClosedOutput, outputFailure } from './output.js';
import { EXIT } from './exit.js';
import { run } from './program.js';

blockOnFullPipes([process.stdout, process.stderr]);
// A write can fail after run() has returned (the last block still in flight when the reader
// went away): the exit status says so, quietly for a closed pipe.
process.on('exit', () => {
  if (anyOutputClosed([process.stdout, process.stderr])) {
    process.exitCode = EXIT.pipe;
    return;
  }
  const failed = outputFailure(process.stdout);
  if (failed !== undefined && !isClosedOutput(failed)) {
    process.exitCode = EXIT.error;
    try {
      writeSync(2, `error: cannot write to stdout: ${failed}\n`);
    } catch (err) {
      // stderr is gone too: the exit status is all that is left.
      if (!isClosedOutput(errnoCode(err)) && errnoCode(err) !== 'EAGAIN') throw err;
    }
  }
});
process.exitCode = await run(process.argv.slice(2));
