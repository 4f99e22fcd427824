/**
 * Every app sees the layout it expects (issue 12): `{dir}` keeps the user's subfolders,
 * `{publisher}`/`{repo}` give LM Studio its two levels (from the source layout, the Hugging Face
 * cache or GGUF metadata), and a vision projector (`mmproj`) goes where its LLM goes — never
 * as a chat model of its own. Real scans of real folders, real links.
 */
import { lstatSync, mkdirSync, readlinkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as K from '../fixtures/keysets.js';
import { writeGguf, writeSafetensors } from '../fixtures/writers.js';
import { namingSourceOf } from '../../store/naming-source.js';
import { openHub } from '../../store/hub.js';
import { execSql, makeWorld, mhOk, query, writeManifest, type World } from '../helpers/world.js';

async function lora(path: string, seed: number): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await writeSafetensors(path, K.kohyaLora({ base: 'sdxl', rank: 4 }), { metadata: { ...K.kohyaLoraMetadata({ base: 'sdxl', rank: 4 }), ss_seed: String(seed) } });
}

/** A tiny llama.cpp language model; `kv` adds header keys (and makes the content unique). */
async function llm(path: string, kv: Record<string, string> = {}): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await writeGguf(path, {
    kv: { 'general.architecture': 'qwen2', 'general.type': 'model', 'general.name': `llm ${path}`, 'test.source': path, ...kv },
    tensors: [
      { name: 'token_embd.weight', shape: [32, 64] },
      { name: 'blk.0.attn_q.weight', shape: [64, 64] },
      { name: 'output.weight', shape: [32, 64] },
    ],
  });
}

/** A LLaVA-style vision projector: general.architecture = clip. */
async function projector(path: string, name: string): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await writeGguf(path, {
    kv: { 'general.architecture': 'clip', 'general.name': name, 'clip.has_vision_encoder': 'true', 'clip.projector_type': `mlp ${path}` },
    tensors: [
      { name: 'v.blk.0.attn_q.weight', shape: [64, 64] },
      { name: 'mm.0.weight', shape: [64, 64] },
    ],
  });
}

function expectStoreLink(path: string): void {
  expect(lstatSync(path).isSymbolicLink(), path).toBe(true);
  expect(readlinkSync(path)).toMatch(/\/hub\/models\/[0-9a-f]{64}\//);
}

/** Every path below `dir`, relative, sorted (folders end with /). */
function tree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(`${rel}/`, ...tree(dir, rel));
    else out.push(rel);
  }
  return out;
}

function target(w: World, name: string, body: string): void {
  mkdirSync(join(w.apps, name), { recursive: true });
  writeManifest(w, `${name}.yaml`, `kind: Target\nname: ${name}\nroot: ${join(w.apps, name)}\n${body}`);
}

describe('{dir}: the user’s subfolders survive deployment', () => {
  it('a LoRA in ComfyUI/models/loras/flux lands at loras/flux/ in every target; one outside any app folder keeps its path below the scanned folder', async () => {
    const w = makeWorld();
    await lora(join(w.dl, 'ComfyUI/models/loras/flux/retro_anime_flux_v1.safetensors'), 1);
    await lora(join(w.dl, 'ComfyUI/models/loras/top.safetensors'), 2);
    await lora(join(w.dl, 'mine/styles/ink/ink.safetensors'), 3);
    await mhOk(w, ['scan', join(w.dl, 'ComfyUI'), join(w.dl, 'mine')]);
    target(w, 'comfy', 'mappings: { lora: loras }\n');
    target(w, 'forge', 'mappings: { lora: models/Lora }\n');
    writeManifest(w, 'd.yaml', 'kind: Deployment\nname: loras\ntargets: [comfy, forge]\nselect: { type: lora }\npath: "{dir}/{name}"\n');
    await mhOk(w, ['apply', '--yes']);
    expect(tree(join(w.apps, 'comfy'))).toEqual(['loras/', 'loras/flux/', 'loras/flux/retro_anime_flux_v1.safetensors', 'loras/styles/', 'loras/styles/ink/', 'loras/styles/ink/ink.safetensors', 'loras/top.safetensors']);
    expect(tree(join(w.apps, 'forge'))).toEqual(['models/', 'models/Lora/', 'models/Lora/flux/', 'models/Lora/flux/retro_anime_flux_v1.safetensors', 'models/Lora/styles/', 'models/Lora/styles/ink/', 'models/Lora/styles/ink/ink.safetensors', 'models/Lora/top.safetensors']);
    expectStoreLink(join(w.apps, 'comfy/loras/flux/retro_anime_flux_v1.safetensors'));
    // The scan recorded the folder it was given.
    expect(query<{ scan_root: string }>(w, "SELECT scan_root FROM model_sources WHERE path LIKE '%ink.safetensors'")).toEqual([{ scan_root: join(w.dl, 'mine') }]);
    await mhOk(w, ['plan', '--detailed-exitcode']);
  });

  it('a model found at several paths takes its folder from the path that names it', async () => {
    const w = makeWorld();
    await lora(join(w.dl, 'downloads/add_detail (1).safetensors'), 8);
    await lora(join(w.dl, 'ComfyUI/models/loras/detail/add_detail.safetensors'), 8);
    await mhOk(w, ['scan', join(w.dl, 'downloads')]);
    await mhOk(w, ['scan', join(w.dl, 'ComfyUI')]);
    const hub = openHub(w.hub);
    try {
      const id = query<{ id: number }>(w, 'SELECT id FROM models')[0]?.id ?? -1;
      expect(namingSourceOf(hub.db, id)).toEqual({ path: join(w.dl, 'ComfyUI/models/loras/detail/add_detail.safetensors'), root: join(w.dl, 'ComfyUI') });
    } finally {
      hub.close();
    }
    target(w, 'comfy', 'mappings: { lora: loras }\n');
    writeManifest(w, 'd.yaml', 'kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\npath: "{dir}/{name}"\n');
    await mhOk(w, ['apply', '--yes']);
    expect(tree(join(w.apps, 'comfy'))).toEqual(['loras/', 'loras/detail/', 'loras/detail/add_detail.safetensors']);
  });

  it('a source folder that breaks the link-name rules is an unsafe-name conflict for that path only', async () => {
    const w = makeWorld();
    await lora(join(w.dl, 'loras/trailing dot./x.safetensors'), 4);
    await lora(join(w.dl, 'loras/fine/y.safetensors'), 5);
    await mhOk(w, ['scan', w.dl]);
    target(w, 'comfy', 'mappings: { lora: loras }\n');
    writeManifest(w, 'd.yaml', 'kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\npath: "{dir}/{name}"\n');
    const plan = await mhOk(w, ['plan'], 1);
    expect(plan.stdout).toContain('! loras/trailing dot./x.safetensors  unsafe-name: the link name "trailing dot." ends with a dot');
    expect(plan.stdout).toContain('+ loras/fine/y.safetensors');
  });

  it('a path recorded before scan roots were falls back to the app folder it lies in, else the top', async () => {
    const w = makeWorld();
    await lora(join(w.dl, 'loras/flux/a.safetensors'), 6);
    await lora(join(w.dl, 'elsewhere/deep/b.safetensors'), 7);
    await mhOk(w, ['scan', w.dl]);
    execSql(w, 'UPDATE model_sources SET scan_root = NULL');
    target(w, 'comfy', 'mappings: { lora: loras }\n');
    writeManifest(w, 'd.yaml', 'kind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\npath: "{dir}/{name}"\n');
    await mhOk(w, ['apply', '--yes']);
    expect(tree(join(w.apps, 'comfy'))).toEqual(['loras/', 'loras/b.safetensors', 'loras/flux/', 'loras/flux/a.safetensors']);
  });
});

const LMSTUDIO = `mappings: { llm: ., mmproj: . }\npaths: { llm: "{publisher|'modelhub'}/{repo|stem}/{name}" }\n`;
const LLMS = 'kind: Deployment\nname: llms\ntarget: lmstudio\nselect: { type: llm }\n';

describe('{publisher} and {repo}: LM Studio’s two levels', () => {
  it('from an LM Studio models folder, the Hugging Face cache, GGUF metadata, else the fallback', async () => {
    const w = makeWorld();
    await llm(join(w.root, 'home/.lmstudio/models/lmstudio-community/Qwen2.5-7B-GGUF/qwen2.5-7b-q4_k_m.gguf'));
    await llm(join(w.dl, 'hf/hub/models--bartowski--Llama-3.2-1B-GGUF/snapshots/0123abcd/Llama-3.2-1B-Q4_K_M.gguf'));
    await llm(join(w.dl, 'loose/phi-q8.gguf'), { 'general.organization': 'Microsoft', 'general.basename': 'Phi-3.5-mini' });
    await llm(join(w.dl, 'loose/mystery.gguf'), { 'general.name': '' });
    await mhOk(w, ['scan', join(w.root, 'home/.lmstudio/models'), join(w.dl, 'hf'), join(w.dl, 'loose')]);
    target(w, 'lmstudio', LMSTUDIO);
    writeManifest(w, 'd.yaml', LLMS);
    await mhOk(w, ['apply', '--yes']);
    const files = tree(join(w.apps, 'lmstudio')).filter((p) => !p.endsWith('/'));
    expect(files).toEqual([
      'Microsoft/Phi-3.5-mini/phi-q8.gguf',
      'bartowski/Llama-3.2-1B-GGUF/Llama-3.2-1B-Q4_K_M.gguf',
      'lmstudio-community/Qwen2.5-7B-GGUF/qwen2.5-7b-q4_k_m.gguf',
      'modelhub/mystery/mystery.gguf',
    ]);
    for (const f of files) expectStoreLink(join(w.apps, 'lmstudio', f));
  });

  it('a Deployment’s own path wins over the target’s paths', async () => {
    const w = makeWorld();
    await llm(join(w.dl, 'pub/repo/a.gguf'));
    await mhOk(w, ['scan', w.dl]);
    target(w, 'lmstudio', LMSTUDIO);
    writeManifest(w, 'd.yaml', `${LLMS}path: "flat/{name}"\n`);
    await mhOk(w, ['apply', '--yes']);
    expect(tree(join(w.apps, 'lmstudio'))).toEqual(['flat/', 'flat/a.gguf']);
  });
});

describe('a Target’s paths', () => {
  it('are checked like a Deployment’s path, for a type the target maps', async () => {
    const w = makeWorld();
    target(w, 'lmstudio', `mappings: { llm: . }\npaths:\n  llm: "{publisher|'.x'}/{name}"\n  lora: "{dir}/{name}"\n  vea: "{name}"\n`);
    const r = await mhOk(w, ['validate'], 1);
    expect(r.stderr).toContain(`lmstudio.yaml:6:8: paths.llm: path "{publisher|'.x'}/{name}" has literal text ".x" in {publisher|'.x'} that starts with "." (a hidden name)`);
    expect(r.stderr).toContain('lmstudio.yaml:7:9: paths.lora: the target maps no folder for lora; add one under mappings');
    expect(r.stderr).toMatch(/lmstudio\.yaml:8:\d+: .*vea/);
  });
});

describe('mmproj: a vision projector goes with its LLM', () => {
  async function visionLibrary(w: World): Promise<void> {
    await llm(join(w.dl, 'unsloth/gemma-3-4b-it-GGUF/gemma-3-4b-it-Q4_K_M.gguf'), { 'general.name': 'Gemma 3 4b It' });
    await llm(join(w.dl, 'unsloth/gemma-3-4b-it-GGUF/gemma-3-4b-it-Q8_0.gguf'), { 'general.name': 'Gemma 3 4b It' });
    await projector(join(w.dl, 'unsloth/gemma-3-4b-it-GGUF/mmproj-F16.gguf'), 'Gemma 3 4b It');
    // A projector downloaded apart, paired by its general.name family.
    await llm(join(w.dl, 'qwen/Qwen2.5-VL-7B-Q4.gguf'), { 'general.name': 'Qwen2.5-VL 7B Instruct' });
    await projector(join(w.dl, 'projectors/mmproj-qwen2.5-vl-7b-f16.gguf'), 'Qwen2.5 VL 7B Instruct');
    // Text only.
    await llm(join(w.dl, 'plain/llama-3.2-1b-Q4_K_M.gguf'), { 'general.name': 'Llama 3.2 1B' });
    await mhOk(w, ['scan', w.dl]);
  }

  it('is classified mmproj, not llm', async () => {
    const w = makeWorld();
    await projector(join(w.dl, 'mmproj-model-f16.gguf'), 'LLaVA 1.6');
    await mhOk(w, ['scan', w.dl]);
    expect(query<{ primary_type: string }>(w, 'SELECT primary_type FROM models')).toEqual([{ primary_type: 'mmproj' }]);
  });

  it('LM Studio: beside each LLM in its publisher/repo folder, never selected as an llm', async () => {
    const w = makeWorld();
    await visionLibrary(w);
    target(w, 'lmstudio', `mappings: { llm: . }\npaths: { llm: "{publisher|'modelhub'}/{repo|stem}/{name}" }\n`);
    writeManifest(w, 'd.yaml', LLMS);
    await mhOk(w, ['apply', '--yes']);
    expect(tree(join(w.apps, 'lmstudio')).filter((p) => !p.endsWith('/'))).toEqual([
      // No publisher anywhere: the fallback; the repo from general.name.
      'modelhub/Llama 3.2 1B/llama-3.2-1b-Q4_K_M.gguf',
      'modelhub/Qwen2.5-VL 7B Instruct/Qwen2.5-VL-7B-Q4.gguf',
      'modelhub/Qwen2.5-VL 7B Instruct/mmproj-qwen2.5-vl-7b-f16.gguf',
      'unsloth/gemma-3-4b-it-GGUF/gemma-3-4b-it-Q4_K_M.gguf',
      'unsloth/gemma-3-4b-it-GGUF/gemma-3-4b-it-Q8_0.gguf',
      'unsloth/gemma-3-4b-it-GGUF/mmproj-F16.gguf',
    ]);
    expectStoreLink(join(w.apps, 'lmstudio/unsloth/gemma-3-4b-it-GGUF/mmproj-F16.gguf'));
  });

  it('llama.cpp: a single file flat, a vision model in a folder of its own with its projector', async () => {
    const w = makeWorld();
    await visionLibrary(w);
    target(w, 'llama-cpp', 'mappings: { llm: . }\npaths: { llm: "{bundle}/{name}" }\n');
    writeManifest(w, 'd.yaml', 'kind: Deployment\nname: llms\ntarget: llama-cpp\nselect: { type: llm }\n');
    await mhOk(w, ['apply', '--yes']);
    expect(tree(join(w.apps, 'llama-cpp')).filter((p) => !p.endsWith('/'))).toEqual([
      'Qwen2.5-VL-7B-Q4/Qwen2.5-VL-7B-Q4.gguf',
      'Qwen2.5-VL-7B-Q4/mmproj-qwen2.5-vl-7b-f16.gguf',
      'gemma-3-4b-it-Q4_K_M/gemma-3-4b-it-Q4_K_M.gguf',
      'gemma-3-4b-it-Q4_K_M/mmproj-F16.gguf',
      'gemma-3-4b-it-Q8_0/gemma-3-4b-it-Q8_0.gguf',
      'gemma-3-4b-it-Q8_0/mmproj-F16.gguf',
      'llama-3.2-1b-Q4_K_M.gguf',
    ]);
  });

  it('text-generation-webui: projectors into the mapped user_data/mmproj; none when its LLM is not deployed', async () => {
    const w = makeWorld();
    await visionLibrary(w);
    target(w, 'tgw', 'mappings: { llm: user_data/models, mmproj: user_data/mmproj }\n');
    writeManifest(w, 'd.yaml', 'kind: Deployment\nname: llms\ntarget: tgw\nselect: { type: llm, name: "gemma*" }\n');
    await mhOk(w, ['apply', '--yes']);
    expect(tree(join(w.apps, 'tgw')).filter((p) => !p.endsWith('/'))).toEqual([
      'user_data/mmproj/mmproj-F16.gguf',
      'user_data/models/gemma-3-4b-it-Q4_K_M.gguf',
      'user_data/models/gemma-3-4b-it-Q8_0.gguf',
    ]);
  });
});
