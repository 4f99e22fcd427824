import { formatBytes, formatConfidence } from '../../core/human-units.js';
import type { EvidenceRow } from '../../store/inventory.js';
import type { ClassSummary, ModelDetails } from '../../store/model-details-types.js';
import { BLANK, fact, line, span, type Line } from '../text.js';

const summary = (c: ClassSummary): string => `${c.type}${c.variant ? ` (${c.variant})` : ''}, base ${c.base}, ${formatConfidence(c.confidence)}`;

/** Everything `show` and `explain` give about a model, as the details screen's lines. */
export function detailsLines(d: ModelDetails): Line[] {
  const out: Line[] = [
    line(d.name, 'bold'),
    fact('hash', d.hash),
    fact('autov2', d.autov2 ?? '-'),
    fact('autov3', d.autov3 ? d.autov3.slice(0, 12).toUpperCase() : '-'),
    fact('size', `${formatBytes(d.size)} (${d.size} bytes)`),
    fact('format', `${d.format}${d.container && d.container !== d.format ? ` (${d.container})` : ''}`),
    fact('class', summary(d.decision)),
    fact('added', d.added),
    fact('store', d.storeFile ?? 'missing from the store (run `modelhub verify`)', d.storeFile === null ? 'red' : undefined),
  ];
  if (d.override !== null) out.push(fact('override', `set by an Override (${d.override.origin})`, 'cyan'));
  if (d.unsafe) out.push(fact('warning', 'pickle references code outside what torch uses; ModelHub never executes it', 'yellow'));
  out.push(BLANK, line('CivitAI', 'bold'), ...civitaiLines(d));
  out.push(BLANK, line(`source paths (${d.paths.length})`, 'bold'), ...d.paths.map((p) => [span(`  ${p.path}`), span(`  ${p.state}`, 'dim')]));
  out.push(BLANK, line(`deployed links (${d.links.length})`, 'bold'), ...d.links.map((l) => [span(`  ${l.path}`), span(`  ${l.target}`, 'dim')]));
  out.push(BLANK, line('recorded evidence', 'bold'), ...evidenceLines(d.evidence));
  if (d.classifyError !== null) out.push(BLANK, line(`cannot classify again: ${d.classifyError}`, 'red'));
  if (d.classifier !== null) {
    out.push(BLANK, line(`the classifier now says ${summary(d.classifier)}`, 'bold'), ...evidenceLines(d.classifier.evidence));
    out.push(BLANK, line('candidates', 'bold'), ...d.classifier.candidates.map((c) => line(`  ${`${c.type}/${c.base}`.padEnd(32)} ${formatConfidence(c.score)}`)));
  }
  out.push(BLANK, line('what would change it', 'bold'), ...d.whatWouldChangeIt.map((a) => line(`  - ${a}`)));
  out.push(BLANK, line(`metadata (${d.metadata.length})`, 'bold'), ...d.metadata.map((m) => [span(`  ${m.source}:`, 'dim'), span(`${m.key} = ${clip(m.value ?? 'null', 200)}`)]));
  return out;
}

function civitaiLines(d: ModelDetails): Line[] {
  const c = d.civitai;
  if (c.status === 'found') {
    return [
      fact('  model', `${c.modelName ?? '?'} ${c.versionName ?? ''}`.trim()),
      fact('  base', c.base ?? '?'),
      fact('  page', c.url ?? '-', 'cyan'),
      fact('  trained', c.trainedWords.length > 0 ? c.trainedWords.join(', ') : '-'),
    ];
  }
  const said = c.status === 'not-found' ? 'not on CivitAI (by SHA-256 or AutoV3)' : c.status === 'error' ? `lookup failed: ${c.error ?? ''}` : 'not asked (offline, or never looked up)';
  return [line(`  ${said}`, c.status === 'error' ? 'red' : 'dim')];
}

function evidenceLines(evidence: EvidenceRow[]): Line[] {
  if (evidence.length === 0) return [line('  (none)', 'dim')];
  return evidence.map((e) => {
    const says = [e.type, e.base, e.variant].filter((x) => x !== null && x !== undefined && x !== '').join('/');
    return [span(`  ${e.method.padEnd(9)}`, 'cyan'), span(` ${says || '-'}`.padEnd(28)), span(` ${e.weight.toFixed(2)}  `, 'dim'), span(e.observed)];
  });
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}… (${s.length} chars)` : s;
}
