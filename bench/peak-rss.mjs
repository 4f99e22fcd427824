// Preloaded (node --import) into each benchmarked `modelhub` process: at exit it writes the
// process's peak resident set size (KB, from the kernel's rusage) to $MODELHUB_BENCH_RSS.
import { writeFileSync } from 'node:fs';

const out = process.env.MODELHUB_BENCH_RSS;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
