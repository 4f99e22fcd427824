import type { Change, Conflict, Plan } from '../../reconcile/plan-types.js';
import { ACTION_SIGN, FILE_SIGN, FILES_HEADING, describeFileChange, summaryWords } from '../../reconcile/plan-words.js';
import { BLANK, line, span, type Line, type Style } from '../text.js';

const STYLE: Record<Change['action'], Style> = { create: 'green', replace: 'yellow', delete: 'red', adopt: 'yellow', forget: 'dim' };

/**
 * A plan as lines, in the manner `modelhub plan` prints it: by target, `+ ~ - = x` for link,
 * relink, remove, adopt and forget, `!` for a conflict (never touched), paths relative to the
 * target's root, then the warnings and the summary line. Built from the Plan alone.
 */
export function planLines(plan: Plan): Line[] {
  const out: Line[] = [];
  for (const t of plan.targets) {
    const changes = plan.changes.filter((c) => c.target === t.name);
    const conflicts = plan.conflicts.filter((c) => c.target === t.name);
    if (changes.length === 0 && conflicts.length === 0) continue;
    out.push([span(t.name, 'bold'), span(t.displayName !== t.name ? ` (${t.displayName})` : ''), span(`  ${t.enabled === null ? `${t.root} (no longer in the manifests)` : t.root}`, 'dim')]);
    for (const c of changes) out.push(changeLine(c));
    for (const c of conflicts) out.push(conflictLine(c));
    out.push(BLANK);
  }
  if (plan.files.length > 0) out.push(line(FILES_HEADING, 'bold'));
  for (const f of plan.files) out.push([span(`  ${FILE_SIGN[f.action]} `, f.action === 'write-file' ? 'green' : f.action === 'remove-file' ? 'red' : f.action === 'forget-file' ? 'dim' : 'yellow'), span(f.path), span(`  ${describeFileChange(f)}`, 'dim')]);
  for (const o of plan.overrides) out.push([span(`  ${o.action === 'remove' ? '-' : '~'} `, 'yellow'), span(`override ${o.action}: ${o.model.name} ${o.model.hash.slice(0, 12)}`)]);
  for (const name of plan.emptyTargets) out.push(line(`Warning: nothing is declared for target ${name} any more; apply refuses to remove all its links (modelhub apply --allow-empty).`, 'yellow'));
  for (const u of plan.unsafe) out.push(line(`Warning: ${u.target}: ${u.relPath} deploys a model flagged unsafe (${u.model.hash.slice(0, 12)})`, 'yellow'));
  out.push(summaryLine(plan));
  return out;
}

function changeLine(c: Change): Line {
  const sign = ACTION_SIGN[c.action];
  const style = STYLE[c.action];
  const head = [span(`  ${sign} `, style), span(c.relPath)];
  const model = `${c.model.name} ${c.model.hash.slice(0, 12)}`;
  switch (c.action) {
    case 'create':
    case 'adopt':
      return [...head, span(`  → ${model}`), ...(c.action === 'adopt' ? [span(`  (${c.reason})`, 'dim')] : [])];
    case 'replace':
      return [...head, span(`  → ${model}`), span(`  (${c.reason})`, 'dim')];
    case 'delete':
      return [...head, span(`  (${c.reason}; ${c.model.name})`, 'dim')];
    case 'forget':
      return [...head, span(`  (${c.reason === 'gone' ? 'already gone from disk' : 'changed by hand: no longer tracked'})`, 'dim')];
  }
}

function conflictLine(c: Conflict): Line {
  return [span('  ! ', 'red'), span(c.relPath), span(`  ${c.reason}`, 'red'), ...(c.found === undefined ? [] : [span(`: ${c.found}`, 'dim')])];
}

/** Terraform's summary: `Plan: 2 to link, 0 to relink, 1 to remove, 0 conflicts.` or `No changes.` */
export function summaryLine(plan: Plan): Line {
  const w = summaryWords(plan.summary);
  if (w.kind === 'in-sync') return [span('No changes.', 'green'), span(` ${w.text}`)];
  return [span('Plan: ', 'bold'), span(`${w.parts.join(', ')}, `), span(w.conflicts, w.hasConflicts ? 'red' : undefined), span('.')];
}
