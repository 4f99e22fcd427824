/** The human views of show, reclassify and scan, pinned over hand-made data. */
import { describe, expect, it } from 'vitest';
import { renderEvidence } from '../../cmd/render/evidence.js';
import { renderReclassify } from '../../cmd/render/reclassify.js';
import { renderCivitaiSummary, renderScanReport } from '../../cmd/render/scan.js';
import { renderShow, type ShowResult } from '../../cmd/render/show.js';
import type { StoredClassification } from '../../store/reclassify.js';
import type { ScanOutcome, ScanReport } from '../../store/scan.js';
import { HOSTILE, hash, plain, storeFile, tmp } from './builders.js';

function shown(over: Partial<ShowResult> = {}): ShowResult {
  return {
    hash: hash('a'),
    autov2: 'D24F29E69D',
    autov3: '5c0e11aa22bb33cc',
    name: 'xl_style.safetensors',
    size: 153_092_096,
    format: 'safetensors',
    container: 'safetensors',
    type: 'lora',
    base: 'sdxl',
    variant: 'lora',
    confidence: 0.7712,
    unsafe: false,
    deleted: false,
    deletedAt: null,
    storeFile: storeFile('a', 'xl_style.safetensors'),
    paths: [{ path: tmp('dl/xl_style.safetensors'), state: 'linked' }],
    metadata: [
      { source: 'civitai', key: 'civitai.status', value: 'found' },
      { source: 'civitai', key: 'civitai.model_name', value: 'XL Style' },
      { source: 'civitai', key: 'civitai.version_name', value: 'v2' },
      { source: 'civitai', key: 'civitai.base_model', value: 'SDXL 1.0' },
      { source: 'civitai', key: 'civitai.url', value: 'https://civitai.com/models/1?modelVersionId=2' },
      { source: 'header', key: 'ss_network_dim', value: '16' },
      { source: 'header', key: 'ss_tag_frequency', value: 'x'.repeat(250) },
    ],
    evidence: [
      { method: 'tensors', observed: 'lora_unet_* keys (kohya)', type: 'lora', base: null, variant: 'lora', weight: 1 },
      { method: 'civitai', observed: 'baseModel "SDXL 1.0"', type: 'lora', base: 'sdxl', variant: null, weight: 0.9 },
    ],
    ...over,
  };
}

describe('show view', () => {
  it('shows identity, classification, CivitAI, store file, paths, evidence and metadata (long values cut)', () => {
    expect(renderShow(shown(), plain)).toMatchInlineSnapshot(`
      "xl_style.safetensors
      hash         6100000000000000000000000000000000000000000000000000000000000000
      autov2       D24F29E69D
      autov3       5C0E11AA22BB
      size         153 MB (153092096 bytes)
      format       safetensors
      type         lora (lora)
      base         sdxl
      confidence   77%
      civitai      XL Style v2 (SDXL 1.0) https://civitai.com/models/1?modelVersionId=2
      store        <tmp>/hub/models/6100000000000000000000000000000000000000000000000000000000000000/xl_style.safetensors

      paths (1)
        <tmp>/dl/xl_style.safetensors  linked

      classification evidence
        tensors   lora / lora                  w=1.00  lora_unet_* keys (kohya)
        civitai   lora / sdxl                  w=0.90  baseModel "SDXL 1.0"

      metadata (7)
        civitai:civitai.status = found
        civitai:civitai.model_name = XL Style
        civitai:civitai.version_name = v2
        civitai:civitai.base_model = SDXL 1.0
        civitai:civitai.url = https://civitai.com/models/1?modelVersionId=2
        header:ss_network_dim = 16
        header:ss_tag_frequency = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (250 chars)"
    `);
  });

  it('warns about unsafe pickles, a missing store file and a soft delete; no CivitAI answer; escapes names', () => {
    const v = shown({ name: HOSTILE, format: 'ckpt', container: 'torch-legacy', unsafe: true, deleted: true, deletedAt: '2026-01-02T03:04:05Z', storeFile: null, autov3: null, metadata: [], evidence: [], paths: [] });
    expect(renderShow(v, plain)).toMatchInlineSnapshot(`
      "evil\\e[2Jname.safetensors
      hash         6100000000000000000000000000000000000000000000000000000000000000
      autov2       D24F29E69D
      autov3       -
      size         153 MB (153092096 bytes)
      format       ckpt (torch-legacy)
      type         lora (lora)
      base         sdxl
      confidence   77%
      civitai      not asked (offline)
      store        missing from the store (run \`modelhub verify\`)
      warning      pickle references code outside what torch uses; ModelHub never executes it
      deleted      2026-01-02T03:04:05Z

      paths (0)

      classification evidence
        (none)

      metadata (0)"
    `);
  });
});

describe('evidence view', () => {
  it('one line per piece of evidence: method, conclusion, weight, what it saw; (none) without', () => {
    const evidence = [
      { method: 'filename', observed: `token "pony" in ${HOSTILE}`, type: null, base: 'pony', variant: null, weight: 0.35 },
      { method: 'size', observed: '151 MB', type: null, base: null, variant: null, weight: 0.1 },
    ];
    expect(renderEvidence(evidence, plain)).toMatchInlineSnapshot(`
      "  filename  pony                         w=0.35  token "pony" in evil\\e[2Jname.safetensors
        size      -                            w=0.10  151 MB"
    `);
    expect(renderEvidence([], plain)).toMatchInlineSnapshot(`"  (none)"`);
  });
});

function reclassified(label: string, over: Partial<StoredClassification> = {}): StoredClassification {
  const before = { type: 'lora', base: 'sdxl', variant: 'lora', confidence: 0.6 };
  return { hash: hash(label), name: `${label}.safetensors`, before, after: before, changed: false, classification: null, civitai: { status: 'not-asked' }, sidecars: [], ...over };
}

describe('reclassify view', () => {
  it('lists what changed (noting Overrides) and what failed, warns about failed lookups, then sums up', () => {
    const results = [
      reclassified('a', { changed: true, after: { type: 'lora', base: 'pony', variant: 'lora', confidence: 0.93 } }),
      reclassified('b', { changed: true, after: { type: 'checkpoint', base: 'sdxl', variant: null, confidence: 0.8 } }),
      reclassified('c', { error: 'its store file is missing (run `modelhub verify`)' }),
      reclassified('d', { civitai: { status: 'found', error: 'CivitAI did not answer within 15 s' } }),
      reclassified('e', { civitai: { status: 'error', error: 'CivitAI did not answer within 15 s' } }),
      reclassified('f'),
    ];
    expect(renderReclassify(results, { overridden: new Set([hash('b')]), dryRun: true, offline: false }, plain)).toMatchInlineSnapshot(`
      {
        "changes": "~ 610000000000  a.safetensors: lora/sdxl/lora (60%) → lora/pony/lora (93%)
      ~ 620000000000  b.safetensors: lora/sdxl/lora (60%) → checkpoint/sdxl (80%)  (an Override keeps it in the inventory as the manifests say)
      ! 630000000000  c.safetensors: its store file is missing (run \`modelhub verify\`)",
        "summary": "Reclassified 6 models: 2 would change, 1 failed.",
        "warning": "warning: CivitAI lookups failed for 2 models, 1 classified with the cached answer: CivitAI did not answer within 15 s",
      }
    `);
  });

  it('says nothing but the summary when nothing changed, offline', () => {
    expect(renderReclassify([reclassified('a')], { overridden: new Set(), dryRun: false, offline: true }, plain)).toMatchInlineSnapshot(`
      {
        "changes": "",
        "summary": "Reclassified 1 models: 0 changed, 0 failed (offline: CivitAI answers from the cache only).",
        "warning": "",
      }
    `);
  });
});

function scanReport(files: ScanOutcome[], over: Partial<ScanReport> = {}): ScanReport {
  const count = (k: ScanOutcome['outcome']): number => files.filter((f) => f.outcome === k).length;
  return { imported: count('imported'), duplicates: count('duplicate'), repaired: count('repaired'), unchanged: count('unchanged'), skipped: count('skipped'), failed: count('failed'), bytesHashed: 1_500_000_000, files, failures: [], ...over };
}

describe('scan view', () => {
  const files: ScanOutcome[] = [
    { path: tmp('dl/a.safetensors'), outcome: 'imported', sha256: hash('a'), size: 151_000_000, type: 'lora', base: 'sdxl' },
    { path: tmp('dl/old.ckpt'), outcome: 'imported', sha256: hash('o'), size: 2_100_000_000, type: 'checkpoint', base: 'unknown', reason: 'unsafe pickle: refers to os.system (never executed)' },
    { path: tmp('dl/copy/a.safetensors'), outcome: 'duplicate', sha256: hash('a'), size: 151_000_000 },
    { path: tmp('dl/fixed.safetensors'), outcome: 'repaired', sha256: hash('f'), size: 10_000_000 },
    { path: tmp('dl/new.safetensors'), outcome: 'skipped', reason: 'modified 3 s ago (settle window 10 s; --no-settle imports it now)' },
    { path: tmp(`dl/${HOSTILE}`), outcome: 'failed', reason: `${tmp(`dl/${HOSTILE}`)}: looks like an HTML page, not a model` },
    { path: tmp('dl/same.safetensors'), outcome: 'unchanged', sha256: hash('s'), size: 5 },
  ];

  it('shows one line per file that changed or failed, warnings, then the counts', () => {
    expect(renderScanReport(scanReport(files), { mode: 'link', dryRun: false, chalk: plain, quiet: false })).toMatchInlineSnapshot(`
      "+ <tmp>/dl/a.safetensors  lora/sdxl 151 MB
      + <tmp>/dl/old.ckpt  checkpoint 2.1 GB
        warning: unsafe pickle: refers to os.system (never executed)
      = <tmp>/dl/copy/a.safetensors  duplicate of 610000000000 151 MB
      * <tmp>/dl/fixed.safetensors  repaired the store from this file 10.0 MB
      ~ <tmp>/dl/new.safetensors  skipped: modified 3 s ago (settle window 10 s; --no-settle imports it now)
      ! <tmp>/dl/evil\\e[2Jname.safetensors  looks like an HTML page, not a model
      Scan (link): 2 imported, 1 duplicates, 1 repaired, 1 unchanged, 1 skipped, 1 failed; 1.5 GB hashed."
    `);
  });

  it('--quiet keeps repairs, failures and warnings only', () => {
    expect(renderScanReport(scanReport(files), { mode: 'copy', dryRun: false, chalk: plain, quiet: true })).toMatchInlineSnapshot(`
      "  warning: unsafe pickle: refers to os.system (never executed)
      * <tmp>/dl/fixed.safetensors  repaired the store from this file 10.0 MB
      ! <tmp>/dl/evil\\e[2Jname.safetensors  looks like an HTML page, not a model
      Scan (copy): 2 imported, 1 duplicates, 1 repaired, 1 unchanged, 1 skipped, 1 failed; 1.5 GB hashed."
    `);
  });

  it('a dry run shows what would be imported and changes nothing', () => {
    const dry = [{ path: tmp('dl/a.safetensors'), outcome: 'would-import' as const, size: 151_000_000 }, { path: tmp('dl/same.safetensors'), outcome: 'unchanged' as const }];
    expect(renderScanReport(scanReport(dry, { bytesHashed: 0 }), { mode: 'move', dryRun: true, chalk: plain, quiet: false })).toMatchInlineSnapshot(`
      "+ <tmp>/dl/a.safetensors  would import 151 MB
      Dry run (move): 1 to import (151 MB), 1 unchanged, 0 skipped, 0 failed. Nothing was changed."
    `);
  });

  it('lists companion files it could not copy, then sums up those it copied', () => {
    const companions: ScanReport['companions'] = {
      copied: [{ path: tmp('dl/a.preview.png'), storeFile: tmp(`hub/models/${hash('a')}/a.preview.png`), size: 300_000 }],
      refreshed: [{ path: tmp('dl/a.civitai.info'), storeFile: tmp(`hub/models/${hash('a')}/a.civitai.info`), size: 9_000 }],
      skipped: [{ path: tmp(`dl/${HOSTILE.replace('.safetensors', '.mp4')}`), reason: '2.1 GB, larger than the 64.0 MB a companion file may have' }],
    };
    expect(renderScanReport(scanReport(files.slice(0, 1), { companions }), { mode: 'link', dryRun: false, chalk: plain, quiet: true })).toMatchInlineSnapshot(`
      "~ <tmp>/dl/evil\\e[2Jname.mp4  companion not copied: 2.1 GB, larger than the 64.0 MB a companion file may have
      Companion files (previews, metadata): 1 copied, 1 refreshed, 1 skipped (309 KB into the store; the originals stay where they are).
      Scan (link): 1 imported, 0 duplicates, 0 unchanged, 0 skipped, 0 failed; 1.5 GB hashed."
    `);
  });

  it('sums up the CivitAI lookup', () => {
    expect(renderCivitaiSummary({ asked: true, found: 3, notFound: 1, errors: 0 })).toMatchInlineSnapshot(`"CivitAI: 3 found, 1 not on CivitAI."`);
    expect(renderCivitaiSummary({ asked: true, found: 0, notFound: 0, errors: 2, firstError: 'CivitAI is unreachable (ENOTFOUND)' })).toMatchInlineSnapshot(`"CivitAI: 0 found, 0 not on CivitAI, 2 failed (CivitAI is unreachable (ENOTFOUND))."`);
  });
});
