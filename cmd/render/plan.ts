import type { ChalkInstance } from 'chalk';
import { createRequire } from 'node:module';
import type { FileChange } from '../../reconcile/file-types.js';
import { basename } from 'node:path';
import type { Change, Conflict, Plan, PlanTarget } from '../../reconcile/plan-types.js';
import type { OverrideChange } from '../../reconcile/overrides.js';
import { forTerminal } from '../../core/terminal-text.js';
import { ACTION_SIGN, FILE_SIGN, FILES_HEADING, describeFileChange, summaryWords } from '../../reconcile/plan-words.js';

const LEGEND: Record<Change['action'] | 'conflict', string> = {
  create: 'link',
  replace: 'relink',
  delete: 'remove',
  adopt: 'adopt what is there',
  forget: 'forget the record (disk untouched)',
  conflict: 'conflict (never touched)',
};

/**
 * The human view of a plan, in Terraform's manner: a legend, changes grouped by target with
 * `+ ~ - = x !` and paths relative to the target root, a unified diff of a folder's listing
 * where links move within it (the links in sync, `PlanTarget.inSyncPaths`, as context), and the
 * summary line. Rendered from the Plan alone, the same data as --json.
 */
export function renderPlan(input: Plan, chalk: ChalkInstance): string {
  // The fingerprint is not shown, and computing it is not free: left out unread.
  const { fingerprint: _notShown, ...shown } = input;
  const plan = forTerminal(shown);
  const paint = painter(chalk);
  const out: string[] = [];
  const used = new Set<string>([...plan.changes.map((c) => c.action), ...(plan.conflicts.length > 0 ? ['conflict'] : [])]);
  if (used.size > 0) {
    out.push('ModelHub will perform the following actions:', '');
    const legend = (Object.keys(LEGEND) as Array<keyof typeof LEGEND>).filter((k) => used.has(k));
    out.push(`  ${legend.map((k) => `${paint(k, k === 'conflict' ? '!' : ACTION_SIGN[k])} ${LEGEND[k]}`).join('   ')}`, '');
  }
  for (const t of plan.targets) {
    const changes = plan.changes.filter((c) => c.target === t.name);
    const conflicts = plan.conflicts.filter((c) => c.target === t.name);
    if (changes.length === 0 && conflicts.length === 0) continue;
    out.push(`${chalk.bold(t.name)}${t.displayName !== t.name ? ` (${t.displayName})` : ''}  ${chalk.dim(t.enabled === null ? `${t.root || '?'} (no longer in the manifests)` : t.root)}`);
    out.push(...renderTargetBody(t, changes, conflicts, chalk));
    out.push('');
  }
  if (plan.files.length > 0) {
    out.push(chalk.bold(FILES_HEADING));
    for (const f of plan.files) out.push(`  ${paintFile(chalk, f.action, FILE_SIGN[f.action])} ${f.path}  ${chalk.dim(describeFileChange(f))}`);
    out.push('');
  }
  if (plan.overrides.length > 0) {
    out.push(chalk.bold('inventory overrides'));
    for (const o of plan.overrides) out.push(`  ${paint(o.action === 'remove' ? 'delete' : 'replace', o.action === 'remove' ? '-' : '~')} ${describeOverride(o)}`);
    out.push('');
  }
  for (const name of plan.emptyTargets) {
    const n = plan.changes.filter((c) => c.target === name && c.action === 'delete').length;
    out.push(chalk.yellow(`Warning: nothing is declared for target ${name} any more; all ${n} of its links would be removed. apply refuses this without --allow-empty.`), '');
  }
  if (plan.unsafe.length > 0) {
    out.push(chalk.yellow(`Warning: ${plan.unsafe.length} declared link${plan.unsafe.length === 1 ? '' : 's'} deploy${plan.unsafe.length === 1 ? 's' : ''} a model flagged unsafe (its pickle refers to code outside what torch uses; loading it can run that code):`));
    for (const u of plan.unsafe) out.push(chalk.yellow(`  ${u.target}: ${u.relPath} (${u.model.hash.slice(0, 12)})`));
    out.push('');
  }
  const ejected = plan.ejected ?? [];
  if (ejected.length > 0) {
    out.push(chalk.dim(`Left alone: ${ejected.length} declared link${ejected.length === 1 ? ' is' : 's are'} held by a real copy \`modelhub eject\` made:`));
    for (const e of ejected) out.push(chalk.dim(`  ${e.target}: ${e.relPath}${e.relPath === e.declaredRelPath ? '' : ` (for ${e.declaredRelPath})`}`));
    out.push('');
  }
  out.push(...renderCompanionNotes(plan.companionNotes ?? [], chalk));
  if (plan.dirs.length > 0) out.push(chalk.dim(`${plan.dirs.length} folder${plan.dirs.length === 1 ? '' : 's'} ModelHub created will be removed if empty.`), '');
  out.push(renderSummary(plan, chalk));
  return out.join('\n');
}

/** After `plan --out FILE` (`-`: stdout): where the plan went and how to carry out exactly it. */
export function renderPlanSaved(out: string): string {
  if (out === '-') return 'Saved the plan to stdout. To perform exactly these actions, save it to a file and run: modelhub apply FILE';
  const file = forTerminal(out);
  return `Saved the plan to ${file}. To perform exactly these actions, run: modelhub apply ${file}`;
}

/** `Plan: 12 to link, 1 to relink, 3 to remove, 0 conflicts.` or Terraform's "No changes." */
export function renderSummary(plan: Omit<Plan, 'fingerprint'>, chalk: ChalkInstance): string {
  const w = summaryWords(plan.summary);
  if (w.kind === 'in-sync') return `${chalk.green('No changes.')} ${w.text}`;
  return `${chalk.bold('Plan:')} ${[...w.parts, w.hasConflicts ? chalk.red(w.conflicts) : w.conflicts].join(', ')}.`;
}

function renderTargetBody(t: PlanTarget, changes: Change[], conflicts: Conflict[], chalk: ChalkInstance): string[] {
  const paint = painter(chalk);
  const lines: string[] = [];
  const byFolder = new Map<string, Change[]>();
  for (const c of changes) {
    const folder = folderOf(t, c.relPath);
    const list = byFolder.get(folder);
    if (list === undefined) byFolder.set(folder, [c]);
    else list.push(c);
  }
  for (const [folder, list] of byFolder) {
    const moves = list.some((c) => c.action === 'create') && list.some((c) => c.action === 'delete');
    const diff = moves ? renderFolderDiff(folder, list, t.inSyncPaths, chalk) : undefined;
    const rest = diff === undefined ? list : list.filter((c) => c.action !== 'create' && c.action !== 'delete');
    if (diff !== undefined) lines.push(...diff);
    const beside = companionsBeside(rest);
    for (const c of rest) {
      if (c.companionOf !== undefined && beside.grouped.has(c)) continue;
      const companions = beside.of.get(c.path) ?? [];
      const extra = companions.length === 0 ? '' : chalk.dim(`  + ${companions.length} companion file${companions.length === 1 ? '' : 's'}: ${companions.map((x) => basename(x.relPath)).join(', ')}`);
      const alone = c.companionOf === undefined ? '' : chalk.dim('  (companion file)');
      lines.push(`  ${paint(c.action, ACTION_SIGN[c.action])} ${c.relPath}${describeChange(c, chalk)}${alone}${extra}`);
    }
  }
  for (const c of conflicts) lines.push(...renderConflict(c, chalk));
  return lines;
}

/** Companion changes shown on their model link's line: those whose model link has a change of the same action in the list. */
function companionsBeside(list: Change[]): { of: Map<string, Change[]>; grouped: Set<Change> } {
  const actionAt = new Map(list.filter((c) => c.companionOf === undefined).map((c) => [c.path, c.action]));
  const of = new Map<string, Change[]>();
  const grouped = new Set<Change>();
  for (const c of list) {
    if (c.companionOf === undefined || actionAt.get(c.companionOf) !== c.action) continue;
    of.set(c.companionOf, [...(of.get(c.companionOf) ?? []), c]);
    grouped.add(c);
  }
  return { of, grouped };
}

/** Most companion notes listed one by one; `plan --json` has them all. */
const MAX_NOTES = 10;

/** Companion links left out (a user's own file is there, …): one dim line each, then how many more. */
function renderCompanionNotes(notes: NonNullable<Plan['companionNotes']>, chalk: ChalkInstance): string[] {
  if (notes.length === 0) return [];
  const out = [chalk.dim(`${notes.length} companion file${notes.length === 1 ? '' : 's'} not linked (never replaced; the model's link is planned as usual):`)];
  for (const n of notes.slice(0, MAX_NOTES)) out.push(chalk.dim(`  ${n.target}: ${n.relPath}  ${n.found}`));
  if (notes.length > MAX_NOTES) out.push(chalk.dim(`  … and ${notes.length - MAX_NOTES} more (\`modelhub plan --json\` lists them all)`));
  out.push('');
  return out;
}

/**
 * One conflict: `! PATH  REASON: what is there`; a name clash adds the Override that would
 * settle it (renaming every claimant but the first), as YAML to paste into the manifests.
 */
export function renderConflict(input: Conflict, chalk: ChalkInstance): string[] {
  const c = forTerminal(input);
  const lines = [`  ${chalk.red('!')} ${c.relPath}  ${chalk.red(c.reason)}${c.found === undefined ? '' : chalk.dim(`: ${c.found}`)}`];
  const rename = c.claims?.[1];
  if (c.reason === 'name-clash' && rename !== undefined) {
    const dot = rename.name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [rename.name.slice(0, dot), rename.name.slice(dot)] : [rename.name, ''];
    lines.push(
      chalk.dim('      settle it with an Override that renames one of them, e.g.:'),
      chalk.dim('        kind: Override'),
      chalk.dim(`        match: { hash: ${rename.hash.slice(0, 12)} }`),
      chalk.dim(`        set: { name: ${stem}-${rename.hash.slice(0, 8)}${ext} }`),
    );
  }
  return lines;
}

function describeChange(c: Change, chalk: ChalkInstance): string {
  const model = `${c.model.name} ${chalk.dim(c.model.hash.slice(0, 12))}`;
  switch (c.action) {
    case 'create':
      return `  → ${model}${c.reason === 'missing' ? chalk.dim('  (missing: deleted by hand?)') : ''}${c.nearby === undefined ? '' : chalk.yellow(`  (${describeNearby(c.nearby)})`)}`;
    case 'replace':
      return `  → ${model}  ${chalk.dim(`(${c.reason}; was ${c.previous.linkTarget})`)}`;
    case 'adopt':
      if (c.declaredRelPath !== undefined) return `  → ${model}  ${chalk.dim(`(${c.reason}: ${c.how === 'replace-file' ? 'your identical file becomes a link' : c.how === 'relink' ? 'your link, rewritten to the store file' : 'your link, recorded as it is'}, standing for ${c.declaredRelPath})`)}`;
      return `  → ${model}  ${chalk.dim(`(${c.reason}${c.how === 'replace-file' ? ': identical file becomes a link' : c.how === 'relink' ? ': rewritten to the declared link' : ''})`)}`;
    case 'delete':
      return `  ${chalk.dim(`(${c.reason}; ${c.model.name})`)}`;
    case 'forget':
      return `  ${chalk.dim(`(${c.reason === 'gone' ? 'already gone from disk' : c.reason === 'ejected' ? 'ejected: a real copy now, left as it is, no longer tracked' : 'changed by hand: left as it is, no longer tracked'})`)}`;
  }
}

/**
 * The diff library, loaded when a folder diff is drawn: most plans (every plan in sync) draw
 * none, and its ES module build is nineteen modules for Node to load.
 */
function loadDiff(): typeof import('diff') {
  return createRequire(import.meta.url)('diff') as typeof import('diff');
}

/** A copy of the model the user has beside a link to create, and what --adopt would do with it. */
function describeNearby(n: NonNullable<Extract<Change, { action: 'create' }>['nearby']>): string {
  const what = { link: 'a link to this model', hardlink: 'a hard link of this model', ejected: 'an ejected copy', file: n.identical ? 'an identical file' : 'a file of the same size' }[n.kind];
  return `${what} exists at ${n.relPath}; --adopt would take it${n.identical ? '' : ' if its SHA-256 matches'} instead of adding a second entry`;
}

/** Most line edits a folder diff may take before the plain line view is used instead. */
const MAX_DIFF_EDITS = 2000;

/**
 * A unified diff of the folder's ModelHub links before and after (links in sync are context),
 * for folders where links move; undefined when it would be too large to read or compute.
 */
function renderFolderDiff(folder: string, list: Change[], inSync: string[], chalk: ChalkInstance): string[] | undefined {
  const inFolder = (rel: string): boolean => folder === '' || rel.startsWith(`${folder}/`);
  const strip = (rel: string): string => (folder === '' ? rel : rel.slice(folder.length + 1));
  const keep = inSync.filter(inFolder);
  const pick = (action: Change['action']): string[] => list.filter((c) => c.action === action).map((c) => c.relPath);
  const before = [...keep, ...pick('delete')].map(strip).sort();
  const after = [...keep, ...pick('create')].map(strip).sort();
  const patch = loadDiff().structuredPatch('now', 'planned', lines(before), lines(after), '', '', { context: 2, maxEditLength: MAX_DIFF_EDITS });
  if (patch === undefined) return undefined;
  const out = [`  ${chalk.bold(`${folder || '.'}/`)}`, chalk.dim('    --- now'), chalk.dim('    +++ planned')];
  for (const h of patch.hunks) {
    out.push(chalk.cyan(`    @@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`));
    for (const l of h.lines) out.push(l.startsWith('+') ? chalk.green(`    ${l}`) : l.startsWith('-') ? chalk.red(`    ${l}`) : `    ${l}`);
  }
  return out;
}

function lines(list: string[]): string {
  return list.length === 0 ? '' : `${list.join('\n')}\n`;
}

function folderOf(t: PlanTarget, relPath: string): string {
  let best = '';
  for (const f of t.folders) if ((f === '' || relPath.startsWith(`${f}/`)) && f.length >= best.length) best = f;
  return best;
}

function describeOverride(o: OverrideChange): string {
  const set = Object.entries(o.set ?? {}).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`);
  const what = o.action === 'remove' ? 'override removed: classifier answer restored' : `${set.join(', ')} (${o.labels.join(', ')})`;
  return `${o.model.name} ${o.model.hash.slice(0, 12)}: ${what}`;
}

function paintFile(chalk: ChalkInstance, action: FileChange['action'], text: string): string {
  return action === 'write-file' ? chalk.green(text) : action === 'remove-file' ? chalk.red(text) : action === 'forget-file' ? chalk.dim(text) : chalk.yellow(text);
}

function painter(chalk: ChalkInstance): (kind: Change['action'] | 'conflict', text: string) => string {
  return (kind, text) => {
    switch (kind) {
      case 'create':
        return chalk.green(text);
      case 'replace':
      case 'adopt':
        return chalk.yellow(text);
      case 'delete':
      case 'conflict':
        return chalk.red(text);
      default:
        return chalk.dim(text);
    }
  };
}
