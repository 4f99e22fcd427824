import { checkLinkName, quoteName } from '../core/names.js';
import { didYouMean } from '../core/suggest.js';

/** The placeholders a Deployment's `path` template may use. */
export const TEMPLATE_PLACEHOLDERS = ['name', 'stem', 'ext', 'type', 'base', 'variant', 'hash'] as const;
export type TemplateValues = Record<(typeof TEMPLATE_PLACEHOLDERS)[number], string>;

export const DEFAULT_TEMPLATE = '{name}';

/**
 * Why a path template is unusable, or undefined when it is fine. Its literal text is held to the
 * link-name rules (core/names.ts) as far as it decides them: no control or bidirectional-text
 * characters, no folder or file name starting with `.` or ending with a space or dot. What the
 * placeholders bring in is checked per model when the path is rendered.
 */
export function checkTemplate(template: string): string | undefined {
  const shown = quoteName(template);
  if (template.startsWith('/') || /^[A-Za-z]:[\\/]/.test(template)) return `path ${shown} must be relative to the mapped folder`;
  if (template.includes('\\')) return `path ${shown} must use / between folders`;
  const stripped = template.replace(/\{[^{}]*\}/g, 'x');
  if (/[{}]/.test(stripped)) return `path ${shown} has an unbalanced { or }`;
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    const key = m[1] ?? '';
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(key)) {
      return `path ${shown} has unknown placeholder {${key}}${didYouMean(key, TEMPLATE_PLACEHOLDERS)} (known: ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')})`;
    }
  }
  if (template.split('/').some((seg) => seg === '..')) return `path ${shown} must not go up (..)`;
  const parts = template.split('/');
  for (const part of parts) {
    if (part === '' || part === '.') continue; // dropped when rendered
    // A placeholder stands for a plain name here: only the literal text can break the rules.
    const reason = checkLinkName(part.replace(/\{[a-z]+\}/g, 'x'));
    if (reason !== undefined) return parts.length === 1 ? `path ${shown} ${reason}` : `path ${shown}: ${quoteName(part)} ${reason}`;
  }
  if (!/\{(name|stem|hash)\}/.test(template)) return `path ${shown} must contain {name}, {stem} or {hash}, or every model lands on the same path`;
  return undefined;
}

/**
 * The relative path a template gives for one model: placeholders replaced (a `/` inside a value
 * becomes `_`), empty and `.` segments dropped. Assumes checkTemplate accepted the template.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  const filled = template.replace(/\{([a-z]+)\}/g, (_m, key: string) => (values[key as keyof TemplateValues] ?? '').replace(/[/\\]/g, '_'));
  return filled
    .split('/')
    .filter((seg) => seg !== '' && seg !== '.')
    .join('/');
}

/** Placeholder values for one model; `name` is the deploy name (an Override's set.name, or the file name). */
export function templateValues(m: { name: string; type: string; base: string; variant: string | null; hash: string }): TemplateValues {
  const dot = m.name.lastIndexOf('.');
  const hasExt = dot > 0;
  return {
    name: m.name,
    stem: hasExt ? m.name.slice(0, dot) : m.name,
    ext: hasExt ? m.name.slice(dot + 1) : '',
    type: m.type,
    base: m.base,
    variant: m.variant ?? '',
    hash: m.hash.slice(0, 12),
  };
}
