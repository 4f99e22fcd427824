import type { ChalkInstance } from 'chalk';
import type { ImportPlan } from '../../store/import-inventory.js';
import type { InventoryCheck } from '../../reconcile/validate-inventory.js';
import { formatBytes } from '../format.js';
import { shortHash } from '../removal.js';
import { escapeForTerminal, forTerminal } from '../../core/terminal-text.js';

/** The human view of an import: what is added to which model, what is skipped, what this store lacks. */
export function renderImportPlan(input: ImportPlan, chalk: ChalkInstance, opts: { dryRun: boolean; modelsDir: string }): string {
  const plan = forTerminal(input);
  const lines: string[] = [];
  for (const m of plan.merges) {
    const parts: string[] = [];
    if (m.classification !== null) parts.push(`classification ${m.classification.type}/${m.classification.base}`);
    if (m.metadata.length > 0) parts.push(`${m.metadata.length} metadata entr${m.metadata.length === 1 ? 'y' : 'ies'}`);
    if (m.sources.length > 0) parts.push(`${m.sources.length} source path${m.sources.length === 1 ? '' : 's'}`);
    lines.push(`${chalk.dim(shortHash(m.hash))}  ${m.name}${parts.length > 0 ? `  ${chalk.green('+')} ${parts.join(', ')}` : ''}`);
    for (const s of m.sources) lines.push(`    ${chalk.green('+')} ${s.path}  ${chalk.dim(s.state)}`);
    for (const s of m.skippedSources) lines.push(chalk.dim(`    skipped ${s.path} (${s.state}): ${s.why}`));
  }
  if (plan.unknown.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(chalk.yellow(`Not in this store (${plan.unknown.length}; reported, never added):`));
    for (const u of plan.unknown) {
      const note = u.inStore ? `its store folder is here without a record: \`modelhub scan ${escapeForTerminal(opts.modelsDir)}/${u.hash}\` registers it` : 'scan a copy of it to add it';
      lines.push(`  ${chalk.dim(shortHash(u.hash))}  ${u.name}  ${formatBytes(u.size)}  ${chalk.dim(note)}`);
    }
  }
  if (lines.length > 0) lines.push('');
  const s = plan.summary;
  const verb = opts.dryRun ? 'Would add' : 'Added';
  lines.push(`${s.models} models in the file, ${s.matched} in this inventory. ${verb} ${s.classified} classification${s.classified === 1 ? '' : 's'}, ${s.metadata} metadata entr${s.metadata === 1 ? 'y' : 'ies'}, ${s.sources} source path${s.sources === 1 ? '' : 's'}; ${s.unknown} not in this store.`);
  if (opts.dryRun) lines.push(chalk.dim('Dry run: nothing was changed.'));
  return lines.join('\n');
}

/** The inventory part of `validate --inventory`: problems, then a summary line. */
export function renderInventoryCheck(input: InventoryCheck, chalk: ChalkInstance, file: string): { out: string; err: string } {
  const c = forTerminal(input);
  const err: string[] = [];
  for (const d of c.empty) {
    err.push(`${d.file}:${d.line}:1: deployment "${d.name}" selects no model of the inventory ${escapeForTerminal(file)} (${c.models} live model${c.models === 1 ? '' : 's'}; targets ${d.targets.join(', ')})`);
  }
  for (const line of c.collisions) err.push(`link path collision: ${line}`);
  const checked = c.deployments.length;
  const skipped = c.skipped.length > 0 ? ` (${c.skipped.length} skipped: ${c.skipped.map((s) => `${s.name}, ${s.why}`).join('; ')})` : '';
  const ok = c.empty.length === 0 && c.collisions.length === 0;
  const out = ok
    ? `${chalk.green('Inventory check passed:')} ${checked} deployment${checked === 1 ? '' : 's'} each select at least one of ${c.models} models, no link path collides${skipped}.`
    : '';
  if (!ok) err.push(chalk.red(`Inventory check failed: ${c.empty.length} deployment${c.empty.length === 1 ? '' : 's'} selecting nothing, ${c.collisions.length} link path collision${c.collisions.length === 1 ? '' : 's'}${skipped}.`));
  return { out, err: err.join('\n') };
}
