import { formatBytes } from '../../core/human-units.js';
import type { ManifestEditPlan } from '../../reconcile/manifest-edit-types.js';
import type { DeletePlan } from '../../store/delete.js';
import { BLANK, line, span, type Line } from '../text.js';

/**
 * What a soft delete will do, for its confirmation: each model with its size, and every link
 * the next `apply` removes because its model is deleted.
 */
export function deleteLines(plan: DeletePlan): Line[] {
  const total = plan.mark.reduce((n, m) => n + m.size, 0);
  const out: Line[] = [line(`Soft-delete ${plan.mark.length} model${plan.mark.length === 1 ? '' : 's'} (${formatBytes(total)}); \`modelhub restore\` undoes it:`, 'bold')];
  for (const m of plan.mark) out.push([span('  - ', 'red'), span(m.name), span(`  ${formatBytes(m.size)}  ${m.hash.slice(0, 12)}`, 'dim')]);
  for (const m of plan.already) out.push([span('    '), span(m.name), span('  already deleted', 'dim')]);
  out.push(BLANK);
  if (plan.undeploy.length === 0) out.push(line('No deployed link points at them.', 'dim'));
  else {
    out.push(line(`The next apply removes ${plan.undeploy.length} link${plan.undeploy.length === 1 ? '' : 's'}:`, 'bold'));
    for (const l of plan.undeploy) out.push([span('  - ', 'red'), span(l.path), span(`  (${l.target})`, 'dim')]);
  }
  return out;
}

/** A manifest edit for its confirmation: the unified diff of every file, then what was refused or needed nothing. */
export function editLines(plan: ManifestEditPlan, diff: string[]): Line[] {
  const out: Line[] = diff.map((d) => {
    if (d.startsWith('+++') || d.startsWith('---')) return line(d, 'bold');
    if (d.startsWith('@@')) return line(d, 'cyan');
    if (d.startsWith('+')) return line(d, 'green');
    if (d.startsWith('-')) return line(d, 'red');
    return line(d);
  });
  if (plan.refused.length > 0) out.push(BLANK, ...plan.refused.map((r) => line(`not done: ${r}`, 'yellow')));
  if (plan.notes.length > 0) out.push(BLANK, ...plan.notes.map((n) => line(n, 'dim')));
  return out;
}
