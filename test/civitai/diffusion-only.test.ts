import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, evidenceFromCivitai, loadRuleSet, type Classification, type Evidence } from '../../classify/index.js';
import { readModelHeader } from '../../formats/read.js';
import { readShardUnion } from '../../formats/shards.js';
import type { ModelHeader } from '../../formats/types.js';
import * as B from '../corpus/builders.js';
import { CORPUS, type CorpusEntry } from '../corpus/corpus.js';
import { writeCorpus } from '../corpus/write.js';
import * as K from '../fixtures/keysets.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * CivitAI publishes diffusion-only files (Flux, Chroma, Wan fine-tunes, …) as model type
 * "Checkpoint", and sidecars repeat it. Where the tensors say "diffusion model, no VAE and no
 * text encoder", they must win: every diffusion family of the rules, in every form a file of it
 * comes in (plain, under `model.diffusion_model.`, fp8 scaled, GGUF, a torch pickle), stays
 * `unet`, keeps its base, and is no less sure of itself than without CivitAI.
 */

const rules = loadRuleSet();
const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };
const UNET_RULES = rules.architectures.filter((r) => r.type === 'unet').map((r) => r.id);

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const w = (name: string, ...shape: number[]): K.FixtureTensor => ({ name, dtype: 'BF16', shape });

/** SD3 medium's MMDiT in diffusers layout (`transformer/diffusion_pytorch_model.safetensors`). */
function sd3DiffusersUnet(): K.FixtureTensor[] {
  const h = 1536;
  const out = [w('pos_embed.proj.weight', h, 16, 2, 2), w('pos_embed.proj.bias', h), w('pos_embed.pos_embed', 1, 36864, h), w('context_embedder.weight', h, 4096)];
  for (const x of ['timestep_embedder.linear_1', 'timestep_embedder.linear_2', 'text_embedder.linear_1', 'text_embedder.linear_2']) out.push(w(`time_text_embed.${x}.weight`, h, x.endsWith('_1') ? 256 : h));
  for (const i of range(24)) {
    for (const x of ['to_q', 'to_k', 'to_v', 'add_q_proj', 'add_k_proj', 'add_v_proj', 'to_out.0', 'to_add_out']) out.push(w(`transformer_blocks.${i}.attn.${x}.weight`, h, h));
    out.push(w(`transformer_blocks.${i}.norm1.linear.weight`, 6 * h, h), w(`transformer_blocks.${i}.norm1_context.linear.weight`, 6 * h, h));
    out.push(w(`transformer_blocks.${i}.ff.net.0.proj.weight`, 4 * h, h), w(`transformer_blocks.${i}.ff.net.2.weight`, h, 4 * h));
  }
  return [...out, w('norm_out.linear.weight', 2 * h, h), w('proj_out.weight', 64, h)];
}

/** PixArt-Sigma's transformer in diffusers layout. */
function pixartDiffusersUnet(): K.FixtureTensor[] {
  const h = 1152;
  const out = [w('pos_embed.proj.weight', h, 4, 2, 2), w('pos_embed.proj.bias', h), w('caption_projection.linear_1.weight', h, 4096), w('caption_projection.linear_2.weight', h, h)];
  out.push(w('adaln_single.emb.timestep_embedder.linear_1.weight', h, 256), w('adaln_single.emb.timestep_embedder.linear_1.bias', h), w('adaln_single.linear.weight', 6 * h, h));
  for (const i of range(28)) {
    for (const a of ['attn1', 'attn2']) for (const x of ['to_q', 'to_k', 'to_v', 'to_out.0']) out.push(w(`transformer_blocks.${i}.${a}.${x}.weight`, h, h));
    out.push(w(`transformer_blocks.${i}.ff.net.0.proj.weight`, 4 * h, h), w(`transformer_blocks.${i}.ff.net.2.weight`, h, 4 * h), w(`transformer_blocks.${i}.scale_shift_table`, 6, h));
  }
  return [...out, w('scale_shift_table', 2, h), w('proj_out.weight', 32, h)];
}

/** SD 2.1 unCLIP's UNet: SD2 with the image-embedding input (label_emb, adm 1536 for the L variant). */
function sd2UnclipUnet(): K.FixtureTensor[] {
  return [...K.sd2Unet(), w('label_emb.0.0.weight', 1280, 1536), w('label_emb.0.2.weight', 1280, 1280)];
}

/** SD 2.x's UNet in diffusers layout: SD1.5's blocks with a 1024-wide cross-attention context. */
function diffusersUnetSd2(): K.FixtureTensor[] {
  return K.diffusersUnetSd15().map((t) => (/attn2\.to_[kv]\.weight$/.test(t.name) ? { ...t, shape: [t.shape[0] ?? 0, 1024] } : t));
}

/** Key sets of diffusion families the corpus has no diffusion-only file of (the rest come from it). */
const EXTRA: Array<[fileName: string, tensors: () => K.FixtureTensor[], base: string]> = [
  ['sd_xl_refiner_unet.safetensors', () => B.unprefixed('model.diffusion_model.', K.sdxlRefiner()), 'sdxl'],
  ['sd15_unet.safetensors', () => K.sd15Unet(), 'sd15'],
  ['sd2_unet.safetensors', () => K.sd2Unet(), 'sd2'],
  ['sdxl_unet.safetensors', () => K.sdxlUnet(), 'sdxl'],
  ['svd_xt.safetensors', () => K.svdUnet(), 'svd'],
  ['diffusion_pytorch_model.safetensors', () => K.diffusersUnetSdxl(), 'sdxl'],
  ['unet_sd15.safetensors', () => K.diffusersUnetSd15(), 'sd15'],
  ['flux_transformer.safetensors', () => B.fluxDiffusersUnet(), 'flux'],
  ['sd3.5_large.safetensors', () => K.sd3Unet({ size: '3.5-large' }), 'sd3'],
  ['ltx-video-2b.safetensors', () => K.ltxvUnet(), 'ltxv'],
  ['ltx-video-13b.safetensors', () => K.ltxvUnet({ size: '13b' }), 'ltxv'],
  ['stable_cascade_stage_b.safetensors', () => B.stableCascadeStageB(), 'stable_cascade'],
  ['sd3_medium_transformer.safetensors', sd3DiffusersUnet, 'sd3'],
  ['pixart_sigma_transformer.safetensors', pixartDiffusersUnet, 'pixart'],
  ['sd21-unclip-l.safetensors', sd2UnclipUnet, 'sd2'],
  ['sd21_unet.safetensors', diffusersUnetSd2, 'sd2'],
];

interface Case {
  name: string;
  header: ModelHeader;
  base: string;
}

/** The same file as ComfyUI saves a diffusion model (`model.diffusion_model.` prefix), and fp8 scaled. */
function forms(c: Case): Case[] {
  if (c.header.container !== 'safetensors') return [c];
  const tensors = c.header.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape }));
  const again = (suffix: string, list: K.FixtureTensor[]): Case => ({ ...c, name: `${c.name} ${suffix}`, header: { ...c.header, tensors: K.headerFrom(list).tensors } });
  const out = [c, again('(fp8 scaled)', B.fp8Scaled(tensors))];
  // ComfyUI saves original-layout (not diffusers) diffusion models under the checkpoint prefix.
  const rule = run(c, []).evidence.find((e) => e.method === 'tensors')?.rule ?? '';
  if (!rule.includes('diffusers') && !tensors.some((t) => t.name.startsWith('model.'))) out.push(again('(model.diffusion_model.)', K.prefixed('model.diffusion_model.', tensors)));
  return out;
}

/** CivitAI baseModel names that map to a base: the first and the last listed ("AuraFlow" and "Pony V7"). */
function civitaiNamesOf(base: string): string[] {
  const names = rules.entries.civitai.filter((e) => e.field === 'base_models' && e.value.base === base).map((e) => e.value.name);
  return [...new Set([names[0], names[names.length - 1]].filter((n) => n !== undefined))];
}

const cases: Case[] = [];

beforeAll(async () => {
  const unets = CORPUS.filter((e) => e.truth.type === 'unet' && e.undecidable === undefined && e.knownGap === undefined);
  const paths = await writeCorpus(tempDir(), unets);
  // As scan does: a shard is classified together with the sibling shards beside it.
  const headers = await Promise.all(paths.map(async (p) => readShardUnion(p, await readModelHeader(p))));
  unets.forEach((e: CorpusEntry, i) => cases.push(...forms({ name: basename(e.path), header: headers[i] as ModelHeader, base: e.onlineBase ?? e.truth.base })));
  for (const [name, tensors, base] of EXTRA) cases.push(...forms({ name, header: K.headerFrom(tensors(), {}, { fileName: name }), base }));
}, 60_000);

function run(c: Case, extra: Evidence[]): Classification {
  return classifyModel({ fileName: c.name.split(' ')[0] ?? c.name, size: c.header.size, header: c.header, extraEvidence: extra }, opts);
}

describe('a diffusion-only file CivitAI calls "Checkpoint"', () => {
  it('covers every diffusion family of the rules', () => {
    const fired = new Set(cases.flatMap((c) => run(c, []).evidence.filter((e) => e.method === 'tensors' && e.type === 'unet').map((e) => e.rule)));
    expect(UNET_RULES.filter((id) => !fired.has(id))).toEqual([]);
  });

  it('stays unet with its base, as sure as without CivitAI, for every family, form, base name and file type', () => {
    const wrong: string[] = [];
    let n = 0;
    for (const c of cases) {
      const alone = run(c, []);
      for (const baseModel of [undefined, ...civitaiNamesOf(c.base)]) {
        for (const fileType of [undefined, 'Pruned Model']) {
          const said = { modelType: 'Checkpoint', ...(baseModel === undefined ? {} : { baseModel }), ...(fileType === undefined ? {} : { fileType }) };
          const civitai = evidenceFromCivitai(said, rules);
          const sidecar = civitai.map((e) => ({ ...e, method: 'sidecar' as const }));
          for (const extra of [civitai, [...civitai, ...sidecar]]) {
            n++;
            const r = run(c, extra);
            const what = `${c.name} with ${JSON.stringify(said)} (${extra.map((e) => e.method).join('+')}): ${r.type}/${r.base} @${r.confidence} (alone ${alone.type}/${alone.base} @${alone.confidence})`;
            if (r.type !== 'unet' || r.base !== c.base || r.confidence < alone.confidence) wrong.push(what);
          }
        }
      }
    }
    expect([...new Set(wrong.map((w) => w.split(' with ')[0]))]).toEqual([]);
    expect(wrong).toEqual([]);
    expect(n).toBeGreaterThan(500);
  });

  it('makes a diffusion model of a family no rule knows, when it has no VAE and no text-encoder keys', () => {
    const dit = range(30).flatMap((i) => [w(`visual_transformer_blocks.${i}.self_attention.to_query.weight`, 1792, 1792), w(`visual_transformer_blocks.${i}.feed_forward.in_layer.weight`, 7168, 1792)]);
    const layouts: Array<[string, K.FixtureTensor[], string]> = [
      ['bare keys', dit, 'unet'],
      ['under model.diffusion_model.', K.prefixed('model.diffusion_model.', dit), 'unet'],
      ['fp8 scaled', B.fp8Scaled(dit), 'unet'],
      ['with a VAE', [...K.prefixed('model.diffusion_model.', dit), ...K.prefixed('first_stage_model.', K.sdVae())], 'checkpoint'],
      ['with a text encoder', [...K.prefixed('model.diffusion_model.', dit), ...K.prefixed('text_encoders.t5xxl.transformer.', K.t5xxl())], 'checkpoint'],
    ];
    for (const [label, tensors, type] of layouts) {
      const c: Case = { name: 'kandinsky5_lite.safetensors', header: K.headerFrom(tensors), base: 'unknown' };
      for (const said of [{ modelType: 'Checkpoint' }, { modelType: 'Checkpoint', baseModel: 'Other' }, { modelType: 'Checkpoint', baseModel: 'SDXL 1.0' }]) {
        const civitai = evidenceFromCivitai(said, rules);
        for (const extra of [civitai, civitai.map((e) => ({ ...e, method: 'sidecar' as const }))]) {
          expect(run(c, extra).type, `${label} ${JSON.stringify(said)} ${extra[0]?.method}`).toBe(type);
        }
      }
    }
  });

  it('still takes "Checkpoint" at its word for an all-in-one file', () => {
    for (const tensors of [K.sdxlCheckpoint(), K.sd15Checkpoint(), K.fluxCheckpointAllInOne(), K.sd3Checkpoint()]) {
      const header = K.headerFrom(tensors);
      const r = classifyModel({ fileName: 'model.safetensors', size: header.size, header, extraEvidence: evidenceFromCivitai({ modelType: 'Checkpoint' }, rules) }, opts);
      expect(r.type).toBe('checkpoint');
      expect(r.evidence.find((e) => e.method === 'civitai')?.type).toBe('checkpoint');
    }
  });
});
