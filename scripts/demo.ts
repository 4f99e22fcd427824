/**
 * `npm run demo`: builds a demo hub under ./demo from generated sample model files (real
 * headers, sparse data) and runs ModelHub's main job on it, printing each command as you would
 * type it. Safe to run again: it only ever replaces a ./demo folder it created itself.
 */
import { existsSync, lutimesSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from '../cmd/program.js';
import { writeSampleLibrary } from '../test/fixtures/library.js';

const MARKER = '.modelhub-demo';
const root = join(process.cwd(), 'demo');

if (existsSync(root)) {
  if (!existsSync(join(root, MARKER))) {
    console.error(`./demo exists and was not made by this demo; move it away first`);
    process.exit(1);
  }
  rmSync(root, { recursive: true, force: true });
}
mkdirSync(root, { recursive: true });
writeFileSync(join(root, MARKER), 'made by `npm run demo`; safe to delete\n');

const rel = (p: string): string => relative(process.cwd(), p) || '.';
const hub = join(root, 'hub');
const downloads = join(root, 'downloads');
const manifests = join(root, 'manifests');
// Offline: the sample files are not on CivitAI, and the demo needs no network.
const base = ['--offline', '--hub', rel(hub), '--manifests', rel(manifests)];

async function step(title: string, args: string[]): Promise<number> {
  console.log(`\n\x1b[1m# ${title}\x1b[0m\n$ modelhub ${args.join(' ')}`);
  return run(args, { env: { ...process.env, XDG_CONFIG_HOME: join(root, 'no-user-config') } });
}

console.log(`Writing sample model files (real headers, sparse data) to ${rel(downloads)} …`);
const files = await writeSampleLibrary(downloads, { large: true });
console.log(`${files.length} files, including a duplicate download and a broken one (an HTML error page).`);
// Downloaded an hour ago: scan skips files modified within its settle window (scan.settle_seconds).
const anHourAgo = new Date(Date.now() - 3_600_000);
for (const e of readdirSync(downloads, { recursive: true, withFileTypes: true })) lutimesSync(join(e.parentPath, e.name), anHourAgo, anHourAgo);

await step('Create the hub', [...base, 'init']);
await step('Classify files where they are, without importing them', [...base, 'inspect', rel(join(downloads, 'loras/xl_style.safetensors'))]);
await step('Import everything: hash into the store, leave symlinks behind, classify', [...base, 'scan', rel(downloads)]);
await step('Scanning again changes nothing', [...base, 'scan', '-q', rel(downloads)]);
await step('The inventory', [...base, 'list']);
await step('What the store holds', [...base, 'stats']);

// A demo application folder and a manifest that enables a ComfyUI-style target for it.
mkdirSync(join(root, 'apps', 'ComfyUI', 'models'), { recursive: true });
writeFileSync(
  join(manifests, 'demo.yaml'),
  `# The demo's own target: a ComfyUI-style models folder under demo/apps.
kind: Target
name: demo-comfyui
displayName: ComfyUI (demo)
root: ../apps/ComfyUI/models
mappings:
  checkpoint: checkpoints
  unet: diffusion_models
  lora: loras
  vae: vae
  text_encoder: text_encoders
  upscaler: upscale_models
  embedding: embeddings
---
# Every image and video model the target has a folder for, in the subfolders it was found in.
kind: Deployment
name: everything
target: demo-comfyui
select: {}
exclude: { type: lora }
path: "{dir}/{name}"
---
# LoRAs sorted by base model.
kind: Deployment
name: loras-by-base
target: demo-comfyui
select: { type: lora }
path: "{base}/{name}"
---
# Give the WAN LoRA a friendlier name in every app.
kind: Override
match: { name: "wan21_i2v*" }
set: { name: wan21-i2v-motion.safetensors, tags: [video] }
`,
);
await step('Check the manifests (what CI runs)', [...base, 'validate']);
await step('What apply would change', [...base, 'plan']);
await step('Make the application folder match', [...base, 'apply', '--yes']);
await step('Applying again changes nothing', [...base, 'plan', '--detailed-exitcode']);
await step('Per target: in sync, missing, drifted, conflicts', [...base, 'status']);

console.log(`\nDone. Look at ${rel(join(root, 'apps', 'ComfyUI', 'models'))}, or try: modelhub ${base.join(' ')} show xl_style.safetensors`);
console.log(`\nOpen the terminal UI on the demo hub (q quits, h shows the keys):\n  modelhub ${base.join(' ')} tui\nor, from this folder without installing ModelHub:\n  node --import tsx cmd/main.ts ${base.join(' ')} tui`);
