import type { ChalkInstance } from 'chalk';
import type { GcPlan, GcRefusal, GcResult } from '../../store/gc.js';
import { formatBytes, formatDuration } from '../format.js';
import { shortHash } from '../removal.js';
import { escapeForTerminal, forTerminal } from '../../core/terminal-text.js';

/** The human view of a gc plan: what goes (with sizes), what is refused and why, the total. */
export function renderGcPlan(input: GcPlan, chalk: ChalkInstance, opts: { command?: string } = {}): string {
  const plan = forTerminal(input);
  const command = escapeForTerminal(opts.command ?? 'modelhub gc');
  const lines: string[] = [];
  if (plan.remove.length > 0 || plan.staging.length > 0) {
    lines.push(`${command} will remove:`, '');
    const width = Math.max(0, ...plan.remove.map((r) => r.name.length));
    for (const r of plan.remove) {
      const why = r.reason === 'orphan' ? 'orphan: no inventory row' : r.files.length === 0 ? 'deleted (store folder already gone; the record is dropped)' : 'deleted';
      lines.push(`  ${chalk.red('-')} ${chalk.dim(shortHash(r.hash))}  ${r.name.padEnd(width)}  ${formatBytes(r.bytes).padStart(8)}  ${chalk.dim(why)}`);
    }
    for (const s of plan.staging) lines.push(`  ${chalk.red('-')} ${s.path}  ${formatBytes(s.size)}  ${chalk.dim(`staging file left by an interrupted scan (${formatDuration(s.ageMs / 1000)} old)`)}`);
    lines.push('');
  }
  if (plan.refused.length > 0) {
    lines.push(chalk.yellow('Refused (still in use; never removed):'));
    for (const r of plan.refused) lines.push(...renderRefusal(r, chalk));
    lines.push('');
  }
  if (plan.remove.length === 0 && plan.staging.length === 0) {
    lines.push(plan.refused.length === 0 ? 'Nothing to remove: the store holds no orphans and no deleted models.' : 'Nothing can be removed yet.');
    return lines.join('\n');
  }
  const parts = [`${plan.remove.length} store entr${plan.remove.length === 1 ? 'y' : 'ies'}`];
  if (plan.staging.length > 0) parts.push(`${plan.staging.length} staging file${plan.staging.length === 1 ? '' : 's'}`);
  lines.push(`${chalk.bold(`This will free ${formatBytes(plan.bytes)}`)} (${parts.join(', ')}).`);
  return lines.join('\n');
}

export function renderRefusal(input: GcRefusal, chalk: ChalkInstance): string[] {
  const r = forTerminal(input);
  const out = [`  ${chalk.yellow('!')} ${chalk.dim(shortHash(r.hash))}  ${r.name}  ${formatBytes(r.bytes)}  ${chalk.dim(r.reason === 'orphan' ? 'orphan' : 'deleted')}`];
  if (r.deployed.length > 0) {
    out.push(`      still deployed by ${r.deployed.length} owned link${r.deployed.length === 1 ? '' : 's'}:`);
    for (const d of r.deployed) out.push(`        ${d.target}  ${d.path}`);
    out.push(`      run \`modelhub apply\` to undeploy it first${r.reason === 'orphan' ? ' (or scan its folder to register it again)' : ''}`);
  }
  if (r.linkBacks.length > 0) {
    out.push(`      still pointed at by ${r.linkBacks.length} symlink${r.linkBacks.length === 1 ? '' : 's'} (link-backs, or links ModelHub has no record of):`);
    for (const p of r.linkBacks) out.push(`        ${p}`);
    out.push(
      r.reason === 'orphan'
        ? '      something still uses it: register it again with `modelhub scan FOLDER` (its store folder), or remove those links by hand'
        : '      remove them by hand, or with `modelhub prune` (it removes recorded link-backs of deleted models)',
    );
  }
  if (r.unexpected.length > 0) {
    out.push('      its store folder holds something other than plain files (never removed by ModelHub):');
    for (const p of r.unexpected) out.push(`        ${p}`);
  }
  return out;
}

export function renderGcResult(input: GcResult, chalk: ChalkInstance): string {
  const result = forTerminal(input);
  const lines: string[] = [];
  for (const s of result.skipped) lines.push(`${chalk.yellow('skipped')} ${shortHash(s.hash)} ${s.name}: ${s.why}`);
  const parts = [`${result.removed.length} store entr${result.removed.length === 1 ? 'y' : 'ies'}`];
  if (result.stagingRemoved.length > 0) parts.push(`${result.stagingRemoved.length} staging file${result.stagingRemoved.length === 1 ? '' : 's'}`);
  lines.push(`${chalk.green.bold('Removed')} ${parts.join(' and ')}; freed ${formatBytes(result.freedBytes)}.`);
  return lines.join('\n');
}
