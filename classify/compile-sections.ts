import { compileCondition, compileKeyPattern, compileRegex, compileVariants } from './compile-condition.js';
import type { CompileContext, Located } from './compile-context.js';
import type { RawArchitectureRule, RawFilenameRule, RawLoraBaseRule, RawMetadataRule, RawRuleFile, RawSizeRule } from './raw-rules.js';
import type { ArchitectureRule, ComponentPattern, FilenameRule, MetadataRule, SizeRule } from './ruleset.js';

const MB = 1024 * 1024;

export function compileArchitecture(l: Located<RawArchitectureRule>, ctx: CompileContext): ArchitectureRule {
  const r = l.value;
  const report = ctx.reporter(l);
  ctx.checkBase(r.base, report, '/base');
  ctx.checkBase(r.base_fallback, report, '/base_fallback');
  const rule: ArchitectureRule = {
    id: r.id,
    type: r.type,
    component: r.component ?? 'file',
    priority: r.priority,
    weight: r.weight ?? 1,
    prefixes: r.prefixes ?? [''],
    when: compileCondition(r, '', report),
    variants: compileVariants(r.variants, '', report),
    origin: ctx.origin(l),
  };
  if (r.base !== undefined) rule.base = r.base;
  if (r.base_fallback !== undefined) rule.baseFallback = r.base_fallback;
  if (r.variant !== undefined) rule.variant = r.variant;
  return rule;
}

/** A LoRA base rule is an architecture rule over the module view whose conclusion is a base. */
export function compileLoraBase(l: Located<RawLoraBaseRule>, ctx: CompileContext): ArchitectureRule {
  const r = l.value;
  const report = ctx.reporter(l);
  ctx.checkBase(r.base, report, '/base');
  return {
    id: r.id,
    type: 'lora',
    base: r.base,
    component: 'file',
    priority: r.priority,
    weight: r.weight ?? 1,
    prefixes: [''],
    when: compileCondition(r, '', report),
    variants: compileVariants(r.variants, '', report),
    origin: ctx.origin(l),
  };
}

/** A `token` matches between non-alphanumerics; a `pattern` is used as written; both ignore case. */
export function compileFilename(l: Located<RawFilenameRule>, ctx: CompileContext, qualifiers: Set<string>): FilenameRule[] {
  const r = l.value;
  const report = ctx.reporter(l);
  ctx.checkBase(r.base, report, '/base');
  if ((r.token === undefined) === (r.pattern === undefined)) {
    report('', 'a filename rule needs exactly one of "token" and "pattern"');
    return [];
  }
  const source = r.token !== undefined ? `(?<![a-z0-9])${escapeRegex(r.token)}(?![a-z0-9])` : (r.pattern ?? '');
  const re = compileRegex(source, 'i', r.token !== undefined ? '/token' : '/pattern', report);
  if (re === undefined) return [];
  if (r.qualifier === true) qualifiers.add(r.id);
  return [{ id: r.id, re, ...conclusion(r), weight: r.weight ?? 1, origin: ctx.origin(l) }];
}

export function compileMetadata(l: Located<RawMetadataRule>, ctx: CompileContext): MetadataRule[] {
  const r = l.value;
  const report = ctx.reporter(l);
  ctx.checkBase(r.base, report, '/base');
  const tests = (list: { key: string; pattern?: string }[] | undefined, field: string): { key: string; re?: RegExp }[] =>
    (list ?? []).map((t, i) => {
      const re = t.pattern === undefined ? undefined : compileRegex(t.pattern, 'i', `/${field}/${i}/pattern`, report);
      return re === undefined ? { key: t.key } : { key: t.key, re };
    });
  const rule: MetadataRule = {
    id: r.id,
    key: r.key,
    ...conclusion(r),
    weight: r.weight ?? 1,
    priority: r.priority ?? 0,
    stop: r.stop ?? false,
    when: tests(r.when, 'when'),
    unless: tests(r.unless, 'unless'),
    origin: ctx.origin(l),
  };
  if (r.pattern === undefined) return [rule];
  const re = compileRegex(r.pattern, 'i', '/pattern', report);
  return re === undefined ? [] : [{ ...rule, re }];
}

/** Metadata rules by the key they read, highest priority first. */
export function groupMetadata(list: MetadataRule[]): Map<string, MetadataRule[]> {
  const out = new Map<string, MetadataRule[]>();
  for (const rule of list) out.set(rule.key, [...(out.get(rule.key) ?? []), rule]);
  for (const rules of out.values()) rules.sort((a, b) => b.priority - a.priority);
  return out;
}

export function compileSize(l: Located<RawSizeRule>, ctx: CompileContext): SizeRule {
  const r = l.value;
  const report = ctx.reporter(l);
  ctx.checkBase(r.base, report, '/base');
  if (r.max_mb < r.min_mb) report('/max_mb', `max_mb ${r.max_mb} is below min_mb ${r.min_mb}`);
  return { id: r.id, ...conclusion(r), type: r.type, minBytes: r.min_mb * MB, maxBytes: r.max_mb * MB, weight: r.weight ?? 1 };
}

export function compileComponent(l: Located<NonNullable<RawRuleFile['components']>[number]>, ctx: CompileContext): ComponentPattern[] {
  const source = l.value.pattern.startsWith('^') ? l.value.pattern : `^${l.value.pattern}`;
  const pattern = compileKeyPattern(source, '/pattern', ctx.reporter(l));
  return pattern === undefined ? [] : [{ id: l.value.id, component: l.value.component, pattern }];
}

export function compileVariantRefinements(list: Located<{ base: string; variant: string; refines: string }>[], ctx: CompileContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of list) {
    ctx.checkBase(l.value.base, ctx.reporter(l), '/base');
    out.set(`${l.value.base}/${l.value.variant}`, l.value.refines);
  }
  return out;
}

/** The type/base/variant a rule concludes, without absent keys. */
export function conclusion<T extends { type?: string; base?: string; variant?: string }>(r: T): Pick<T, 'type' | 'base' | 'variant'> {
  const out = {} as Pick<T, 'type' | 'base' | 'variant'>;
  if (r.type !== undefined) out.type = r.type;
  if (r.base !== undefined) out.base = r.base;
  if (r.variant !== undefined) out.variant = r.variant;
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
