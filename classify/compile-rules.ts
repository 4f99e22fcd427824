import { locate, type YamlDoc, type YamlProblem } from '../core/yaml.js';
import type { Report } from './compile-condition.js';
import { compileLoraSettings } from './compile-lora.js';
import * as S from './compile-sections.js';
import type { CompileContext, Located, RuleSource } from './compile-context.js';
import type { RawRuleFile } from './raw-rules.js';
import type { CivitaiField, CivitaiMapping, RuleSet } from './ruleset.js';

const CIVITAI_FIELDS: readonly CivitaiField[] = ['model_types', 'base_models', 'file_types'];

type Item<K extends keyof RawRuleFile> = NonNullable<RawRuleFile[K]> extends (infer T)[] ? T : never;

/**
 * Merge rule files (in load order) and compile them. Entries of a section are keyed by id (or
 * name); a later file's entry replaces an earlier one in place, a repeated id within one file is
 * a problem. Every semantic problem (a bad regex, an undeclared base, a filename rule without
 * token or pattern) is collected with its position; nothing is thrown.
 */
export function compileRuleSources(sources: RuleSource[]): { rules: RuleSet; problems: YamlProblem[] } {
  const problems: YamlProblem[] = [];
  const reportAt = (src: RuleSource, base: string): Report => (pointer, message) => {
    const pos = locate(src.doc, base + pointer);
    problems.push({ file: src.doc.file, line: pos.line, col: pos.col, message });
  };
  const section = <K extends keyof RawRuleFile>(name: K, keyOf: (v: Item<K>) => string): Located<Item<K>>[] => mergeSection(sources, name, keyOf, reportAt);
  const baseEntries = section('bases', (b) => b.id);
  const bases = new Map(baseEntries.map((l) => [l.value.id, l.value]));
  const ctx: CompileContext = {
    reporter: (l) => reportAt(l.src, l.pointer),
    checkBase: (base, report, pointer) => {
      if (base !== undefined && !base.startsWith('$') && !bases.has(base)) report(pointer, `unknown base "${base}": declare it under bases:`);
    },
    origin: (l) => ({ file: l.src.doc.file, ...locate(l.src.doc, l.pointer) }),
  };
  for (const l of baseEntries) ctx.checkBase(l.value.refines, ctx.reporter(l), '/refines');
  const qualifiers = new Set<string>();
  const typeEntries = section('model_types', (t) => t.id);
  const archEntries = section('architectures', (r) => r.id);
  const loraBaseEntries = section('lora_bases', (r) => r.id);
  const filenameEntries = section('filenames', (r) => r.id);
  const metadataEntries = section('metadata', (r) => r.id);
  const sizeEntries = section('sizes', (r) => r.id);
  const rules: RuleSet = {
    files: sources.map((s) => s.doc.file),
    modelTypes: typeEntries.map((l) => l.value),
    bases,
    variantRefines: S.compileVariantRefinements(section('variant_refinements', (v) => `${v.base}/${v.variant}`), ctx),
    canonical: {
      unwrap: unique(sources.flatMap((s) => s.value.canonical?.unwrap ?? [])),
      ignoreSuffixes: unique(sources.flatMap((s) => s.value.canonical?.ignore_key_suffixes ?? [])),
    },
    components: section('components', (c) => c.id).flatMap((l) => S.compileComponent(l, ctx)),
    architectures: byPriority(archEntries.map((l) => S.compileArchitecture(l, ctx))),
    lora: compileLoraSettings(sources.map((s) => s.value.lora ?? {})),
    loraBases: byPriority(loraBaseEntries.map((l) => S.compileLoraBase(l, ctx))),
    filenames: filenameEntries.flatMap((l) => S.compileFilename(l, ctx, qualifiers)),
    metadata: S.groupMetadata(metadataEntries.flatMap((l) => S.compileMetadata(l, ctx))),
    sizes: sizeEntries.map((l) => S.compileSize(l, ctx)),
    civitai: {
      modelTypes: civitaiTable(sources, 'model_types', ctx, reportAt),
      baseModels: civitaiTable(sources, 'base_models', ctx, reportAt),
      fileTypes: civitaiTable(sources, 'file_types', ctx, reportAt),
    },
    qualifiers,
    entries: {
      modelTypes: typeEntries.map(origin),
      bases: baseEntries.map(origin),
      architectures: archEntries.map(origin),
      loraBases: loraBaseEntries.map(origin),
      filenames: filenameEntries.map(origin),
      metadata: metadataEntries.map(origin),
      sizes: sizeEntries.map(origin),
      civitai: sources.flatMap((src) => CIVITAI_FIELDS.flatMap((field) => (src.value.civitai?.[field] ?? []).map((value) => ({ value, file: src.doc.file, field })))),
    },
  };
  return { rules, problems };
}

function mergeSection<K extends keyof RawRuleFile>(
  sources: RuleSource[],
  name: K,
  keyOf: (v: Item<K>) => string,
  reportAt: (src: RuleSource, base: string) => Report,
): Located<Item<K>>[] {
  const merged = new Map<string, Located<Item<K>>>();
  for (const src of sources) {
    const seen = new Set<string>();
    const list = (src.value[name] ?? []) as Item<K>[];
    list.forEach((value, i) => {
      const key = keyOf(value);
      const pointer = `/${String(name)}/${i}`;
      if (seen.has(key)) reportAt(src, pointer)('', `duplicate entry "${key}" in ${String(name)}`);
      seen.add(key);
      merged.set(key, { value, src, pointer });
    });
  }
  return [...merged.values()];
}

function civitaiTable(sources: RuleSource[], field: CivitaiField, ctx: CompileContext, reportAt: (src: RuleSource, base: string) => Report): Map<string, CivitaiMapping> {
  const out = new Map<string, CivitaiMapping>();
  for (const src of sources) {
    (src.value.civitai?.[field] ?? []).forEach((m, i) => {
      ctx.checkBase(m.base, reportAt(src, `/civitai/${field}/${i}`), '/base');
      out.set(m.name.toLowerCase(), S.conclusion(m));
    });
  }
  return out;
}

/** An entry as it was written, with the file it came from (for the classification.db mirror). */
function origin<T>(l: Located<T>): { value: T; file: string } {
  return { value: l.value, file: l.src.doc.file };
}

function byPriority<T extends { priority: number }>(list: T[]): T[] {
  return list.sort((a, b) => b.priority - a.priority);
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
