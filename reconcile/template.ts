import { checkLinkName, quoteName } from '../core/names.js';
import { didYouMean } from '../core/suggest.js';

/** The placeholders a path template may use. */
export const TEMPLATE_PLACEHOLDERS = ['name', 'stem', 'ext', 'type', 'base', 'variant', 'hash', 'dir', 'publisher', 'repo', 'bundle'] as const;
export type Placeholder = (typeof TEMPLATE_PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

export const DEFAULT_TEMPLATE = '{name}';

/** Placeholders that tell models apart: a template needs one, or every model lands on one path. */
const IDENTIFYING: readonly string[] = ['name', 'stem', 'hash'];
/** A `{…}` group: one placeholder, or alternatives `{repo|stem|'text'}`. */
const GROUP = /\{([^{}]*)\}/g;

/** One alternative of a group: a placeholder, or literal text in single quotes (last only). */
type Alternative = { key: Placeholder } | { text: string };

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
  const stripped = template.replace(GROUP, 'x');
  if (/[{}]/.test(stripped)) return `path ${shown} has an unbalanced { or }`;
  let identifies = false;
  for (const m of template.matchAll(GROUP)) {
    const parsed = parseGroup(m[1] ?? '');
    if (typeof parsed === 'string') return `path ${shown} ${parsed}`;
    if (parsed.every((a) => 'key' in a && IDENTIFYING.includes(a.key))) identifies = true;
  }
  if (template.split('/').some((seg) => seg === '..')) return `path ${shown} must not go up (..)`;
  const parts = template.split('/');
  for (const part of parts) {
    if (part === '' || part === '.') continue; // dropped when rendered
    // A placeholder stands for a plain name here: only the literal text can break the rules.
    const reason = checkLinkName(part.replace(GROUP, 'x'));
    if (reason !== undefined) return parts.length === 1 ? `path ${shown} ${reason}` : `path ${shown}: ${quoteName(part)} ${reason}`;
  }
  if (!identifies) return `path ${shown} must contain {name}, {stem} or {hash}, or every model lands on the same path`;
  return undefined;
}

/** A group's alternatives, or why it is wrong (the reason reads after the group). */
function parseGroup(body: string): Alternative[] | string {
  const alternatives = body.split('|');
  const out: Alternative[] = [];
  for (const [i, alt] of alternatives.entries()) {
    const literal = /^'([^']*)'$/.exec(alt);
    if (literal !== null) {
      const text = literal[1] ?? '';
      if (i !== alternatives.length - 1) return `has literal text ${quoteName(text)} before another alternative in {${plain(body)}}; literal text comes last`;
      const reason = checkLinkName(text);
      if (reason !== undefined) return `has literal text ${quoteName(text)} in {${plain(body)}} that ${reason}`;
      out.push({ text });
      continue;
    }
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(alt)) {
      const known = TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ');
      return `has unknown placeholder {${plain(alt)}}${didYouMean(alt, TEMPLATE_PLACEHOLDERS)} (known: ${known})`;
    }
    out.push({ key: alt as Placeholder });
  }
  return out;
}

/** Text for a message, control characters escaped as quoteName does, without the quotes. */
function plain(text: string): string {
  return quoteName(text).slice(1, -1);
}

/**
 * The relative path a template gives for one model: each group replaced by its first non-empty
 * alternative (a `/` inside a value becomes `_`, except in `{dir}`, which is a path), empty and
 * `.` segments dropped. Assumes checkTemplate accepted the template; the result is checked
 * with checkLinkPath by the caller.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  const filled = template.replace(GROUP, (_m, body: string) => {
    const alternatives = parseGroup(body);
    if (typeof alternatives === 'string') return '';
    for (const a of alternatives) {
      if ('text' in a) return a.text;
      const value = values[a.key] ?? '';
      if (value !== '') return a.key === 'dir' ? value : value.replace(/[/\\]/g, '_');
    }
    return '';
  });
  return filled
    .split('/')
    .filter((seg) => seg !== '' && seg !== '.')
    .join('/');
}

/** What a model brings to a template beyond its own fields (reconcile/model-place.ts). */
export interface PlaceValues {
  dir: string;
  publisher: string;
  repo: string;
  bundle: string;
}

const NO_PLACE: PlaceValues = { dir: '', publisher: '', repo: '', bundle: '' };

/** Placeholder values for one model; `name` is the deploy name (an Override's set.name, or the file name). */
export function templateValues(m: { name: string; type: string; base: string; variant: string | null; hash: string }, place: PlaceValues = NO_PLACE): TemplateValues {
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
    ...place,
  };
}
