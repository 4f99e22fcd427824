/**
 * Accuracy on a corpus of REAL files (test/corpus/corpus.ts): every file is written once,
 * read back through the format readers (readModelHeader), classified offline (name, size,
 * header), then again with the CivitAI answer the site would give. Reports type, base and
 * variant accuracy separately, per naming style, and every miss with truth vs got.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, evidenceFromCivitai, loadRuleSet, type Classification } from '../../classify/index.js';
import { SDXL_FAMILIES } from '../../core/vocabulary.js';
import { readModelHeader } from '../../formats/read.js';
import { readShardUnion } from '../../formats/shards.js';
import type { ModelHeader } from '../../formats/types.js';
import { CORPUS, type CorpusEntry, type Naming, type Truth } from './corpus.js';
import { writeCorpus } from './write.js';

interface Row {
  e: CorpusEntry;
  header: ModelHeader;
  offline: Classification;
  online: Classification;
}

interface Score {
  n: number;
  type: number;
  base: number;
  variantOk: number;
  variantN: number;
  misses: string[];
  /** Misses by kind: undecidable offline, known classifier gap, anything else. */
  kinds: { undecidable: number; gap: number; unexpected: number };
  /** "truth → got" per family (type misses and base misses counted apart). */
  confusion: Map<string, number>;
}

const rules = loadRuleSet();
const opts = { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules };
let dir = '';
let rows: Row[] = [];
let writeMs = 0;
let readMs = 0;

function onlineTruth(e: CorpusEntry): Truth {
  const variant = e.onlineVariant ?? e.truth.variant;
  return { type: e.truth.type, base: e.onlineBase ?? e.truth.base, ...(variant === undefined ? {} : { variant }) };
}

const fmt = (t: { type: string; base: string; variant?: string | null }): string => `${t.type}/${t.base}${t.variant == null ? '' : `/${t.variant}`}`;
const pct = (ok: number, n: number): string => `${n === 0 ? '—' : ((100 * ok) / n).toFixed(1)}% (${ok}/${n})`;

function score(list: Row[], mode: 'offline' | 'online'): Score {
  const s: Score = { n: list.length, type: 0, base: 0, variantOk: 0, variantN: 0, misses: [], kinds: { undecidable: 0, gap: 0, unexpected: 0 }, confusion: new Map() };
  const bump = (k: string): void => void s.confusion.set(k, (s.confusion.get(k) ?? 0) + 1);
  for (const r of list) {
    const truth = mode === 'offline' ? r.e.truth : onlineTruth(r.e);
    const got = mode === 'offline' ? r.offline : r.online;
    const typeOk = got.type === truth.type;
    const baseOk = got.base === truth.base;
    const variantOk = truth.variant === undefined || got.variant === truth.variant;
    if (typeOk) s.type++;
    if (baseOk) s.base++;
    if (truth.variant !== undefined) {
      s.variantN++;
      if (variantOk) s.variantOk++;
    }
    if (!typeOk) bump(`type ${truth.type} → ${got.type}`);
    if (!baseOk) bump(`base ${truth.base} → ${got.base}`);
    if (!variantOk) bump(`variant ${truth.type}/${truth.variant ?? ''} → ${got.variant ?? 'null'}`);
    if (!typeOk || !baseOk || !variantOk) {
      const what = [typeOk ? '' : 'type', baseOk ? '' : 'base', variantOk ? '' : 'variant'].filter(Boolean).join('+');
      const why = r.e.undecidable !== undefined ? ` — undecidable: ${r.e.undecidable}` : r.e.knownGap !== undefined ? ` — known gap: ${r.e.knownGap}` : '';
      if (r.e.undecidable !== undefined) s.kinds.undecidable++;
      else if (r.e.knownGap !== undefined) s.kinds.gap++;
      else s.kinds.unexpected++;
      s.misses.push(`[${what}] ${basename(r.e.path)} (${r.e.naming}): truth ${fmt(truth)}, got ${fmt(got)} @${got.confidence.toFixed(2)}${why}`);
    }
  }
  return s;
}

function report(label: string, s: Score): string {
  const conf = [...s.confusion].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ×${v}`);
  return [
    `${label}: type ${pct(s.type, s.n)}  base ${pct(s.base, s.n)}  variant ${pct(s.variantOk, s.variantN)}`,
    ...(s.misses.length === 0
      ? ['  no misses']
      : [`  misses (${s.misses.length}: ${s.kinds.undecidable} undecidable, ${s.kinds.gap} known gaps, ${s.kinds.unexpected} unexpected):`, ...s.misses.map((m) => `    ${m}`)]),
    ...(conf.length === 0 ? [] : [`  confusion: ${conf.join('; ')}`]),
  ].join('\n');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'modelhub-corpus-'));
  const t0 = performance.now();
  const paths = await writeCorpus(dir, CORPUS);
  const t1 = performance.now();
  const headers: ModelHeader[] = [];
  // As inspect and scan do: a shard is classified together with the sibling shards beside it.
  const read = async (p: string): Promise<ModelHeader> => readShardUnion(p, await readModelHeader(p));
  for (let i = 0; i < paths.length; i += 16) headers.push(...(await Promise.all(paths.slice(i, i + 16).map(read))));
  const t2 = performance.now();
  writeMs = t1 - t0;
  readMs = t2 - t1;
  rows = CORPUS.map((e, i) => {
    const header = headers[i] as ModelHeader;
    const fileName = basename(e.path);
    const offline = classifyModel({ fileName, size: header.size, header }, opts);
    const extraEvidence = e.civitai === undefined ? [] : evidenceFromCivitai({ ...e.civitai, label: fileName }, rules);
    const online = classifyModel({ fileName, size: header.size, header, extraEvidence }, opts);
    return { e, header, offline, online };
  });
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('accuracy on a corpus of real model files', () => {
  it('is large and varied: ≥ 120 files, unique paths, ≥ 15% neutral and ≥ 10% misleading names', () => {
    const n = CORPUS.length;
    const naming = (k: Naming): number => CORPUS.filter((e) => e.naming === k).length;
    const formats = new Map<string, number>();
    for (const e of CORPUS) formats.set(e.body.format, (formats.get(e.body.format) ?? 0) + 1);
    const types = new Map<string, number>();
    for (const e of CORPUS) types.set(e.truth.type, (types.get(e.truth.type) ?? 0) + 1);
    console.log(
      [
        `corpus: ${n} files in ${(writeMs / 1000).toFixed(1)} s, headers read in ${(readMs / 1000).toFixed(1)} s; ` +
          `${CORPUS.filter((e) => e.civitai !== undefined).length} with a CivitAI answer`,
        `  names: ${naming('realistic')} realistic, ${naming('neutral')} neutral (${pct(naming('neutral'), n)}), ${naming('misleading')} misleading (${pct(naming('misleading'), n)})`,
        `  formats: ${[...formats].map(([k, v]) => `${k} ${v}`).join(', ')}`,
        `  types: ${[...types].map(([k, v]) => `${k} ${v}`).join(', ')}`,
      ].join('\n'),
    );
    expect(n).toBeGreaterThanOrEqual(120);
    expect(new Set(CORPUS.map((e) => e.path)).size).toBe(n);
    expect(naming('neutral') / n).toBeGreaterThanOrEqual(0.15);
    expect(naming('misleading') / n).toBeGreaterThanOrEqual(0.1);
  });

  it('reads every file back with its real-world size', () => {
    for (const r of rows) {
      expect(r.header.tensors.length, r.e.path).toBeGreaterThan(0);
      if (r.e.size !== undefined) expect(r.header.size, r.e.path).toBeGreaterThanOrEqual(r.e.size);
    }
  });

  it('offline: type right for ≥ 97%, base for ≥ 90%', () => {
    const s = score(rows, 'offline');
    const byNaming = (['realistic', 'neutral', 'misleading'] as const).map((k) => {
      const sub = score(rows.filter((r) => r.e.naming === k), 'offline');
      return `${k} type ${pct(sub.type, sub.n)} base ${pct(sub.base, sub.n)}`;
    });
    console.log(`${report('OFFLINE', s)}\n  by naming: ${byNaming.join('; ')}`);
    expect(s.type / s.n).toBeGreaterThanOrEqual(0.97);
    expect(s.base / s.n).toBeGreaterThanOrEqual(0.9);
  });

  it('with CivitAI answers: every Pony / Illustrious / NoobAI file gets its family', () => {
    const s = score(rows, 'online');
    const withCv = rows.filter((r) => r.e.civitai !== undefined);
    const sub = score(withCv, 'online');
    const subOff = score(withCv, 'offline');
    const family = rows.filter((r) => SDXL_FAMILIES.includes(onlineTruth(r.e).base) && onlineTruth(r.e).base !== 'sdxl');
    const resolved = family.filter((r) => r.online.base === onlineTruth(r.e).base);
    console.log(
      [
        report('WITH CIVITAI', s),
        `  files with an answer: offline type ${pct(subOff.type, subOff.n)} base ${pct(subOff.base, subOff.n)} → with CivitAI type ${pct(sub.type, sub.n)} base ${pct(sub.base, sub.n)}`,
        `  SDXL families (pony/illustrious/noobai) resolved: ${pct(resolved.length, family.length)}`,
      ].join('\n'),
    );
    expect(family.length).toBeGreaterThanOrEqual(15);
    for (const r of family) expect(`${r.e.path}: ${r.online.base}`).toBe(`${r.e.path}: ${onlineTruth(r.e).base}`);
    expect(s.type / s.n).toBeGreaterThanOrEqual(0.97);
    expect(s.base / s.n).toBeGreaterThanOrEqual(0.9);
  });
});
