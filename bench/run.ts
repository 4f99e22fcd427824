/**
 * Benchmarks users can run: `npm run bench` (all) or `npm run bench -- NAME [options]`.
 * Data goes to ./.bench (or --dir DIR / MODELHUB_BENCH_DIR); files are sparse where possible.
 */
const BENCHES: Record<string, { file: string; about: string }> = {
  hash: { file: './hash.js', about: 'SHA-256 throughput against openssl (one file, several files, AutoV3)' },
  rescan: { file: './rescan.js', about: 'rescanning 10,000 unchanged files (link and copy imports)' },
  inspect: { file: './inspect.js', about: 'bytes read to classify 5-24 GB files' },
  classify: { file: './classify.js', about: 'classifying one header: an SDXL checkpoint and 1,000-3,000-key LoRAs' },
  deploy: { file: './deploy.js', about: 'apply 10,000 links and an in-sync plan, beside GNU Stow' },
  tui: { file: './tui.js', about: 'the terminal UI on 10,000 models: first paint and quick-filter keystroke redraw' },
};

const name = process.argv[2];
if (name === '--help' || name === '-h') {
  for (const [n, b] of Object.entries(BENCHES)) console.log(`${n.padEnd(8)} ${b.about}`);
} else {
  const chosen = name === undefined || name.startsWith('-') ? Object.keys(BENCHES) : [name];
  for (const n of chosen) {
    const bench = BENCHES[n];
    if (bench === undefined) throw new Error(`no benchmark "${n}"; choose from ${Object.keys(BENCHES).join(', ')}`);
    console.log(`\n== ${n}: ${bench.about}`);
    await import(bench.file);
  }
}
