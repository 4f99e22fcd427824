import type { ChalkInstance } from 'chalk';
import { STAGING_MAX_AGE_MS, type GcKept, type GcPlan, type GcRefusal, type GcRemoval, type GcResult, type GcStaging } from '../../store/gc.js';
import { formatBytes } from '../format.js';
import { shortHash } from '../removal.js';
import { escapeForTerminal, forTerminal } from '../../core/terminal-text.js';

/** The human view of a gc plan: what goes (with sizes), what is kept or refused and why, the total. */
export function renderGcPlan(input: GcPlan, chalk: ChalkInstance, opts: { command?: string } = {}): string {
  const plan = forTerminal(input);
  const command = escapeForTerminal(opts.command ?? 'modelhub gc');
  const lines: string[] = [];
  if (plan.remove.length > 0 || plan.staging.length > 0) {
    lines.push(`${command} will remove:`, '');
    const width = Math.max(0, ...plan.remove.map((r) => r.name.length));
    for (const r of plan.remove) lines.push(`  ${chalk.red('-')} ${chalk.dim(shortHash(r.hash))}  ${r.name.padEnd(width)}  ${formatBytes(r.bytes).padStart(8)}  ${chalk.dim(removalReason(r))}`);
    for (const s of plan.staging) lines.push(`  ${chalk.red('-')} ${s.path}  ${formatBytes(s.size)}  ${chalk.dim(stagingReason(s))}`);
    lines.push('');
  }
  lines.push(...renderKept(plan, chalk));
  if (plan.stagingKept.length > 0) {
    lines.push('Staging files kept:');
    for (const s of plan.stagingKept) lines.push(`  ${chalk.dim('·')} ${s.path}  ${formatBytes(s.size)}  ${chalk.dim(stagingReason(s))}`);
    lines.push('');
  }
  if (plan.refused.length > 0) {
    lines.push(chalk.yellow('Refused (still in use; never removed):'));
    for (const r of plan.refused) lines.push(...renderRefusal(r, chalk, plan.modelsDir));
    lines.push('');
  }
  if (plan.remove.length === 0 && plan.staging.length === 0) {
    const quiet = plan.refused.length + plan.kept.length + plan.stagingKept.length === 0;
    lines.push(quiet ? 'Nothing to remove: the store holds no orphans and no deleted models.' : plan.kept.length + plan.stagingKept.length === 0 ? 'Nothing can be removed yet.' : 'Nothing to remove.');
    return lines.join('\n');
  }
  const parts = [`${plan.remove.length} store entr${plan.remove.length === 1 ? 'y' : 'ies'}`];
  if (plan.staging.length > 0) parts.push(`${plan.staging.length} staging file${plan.staging.length === 1 ? '' : 's'}`);
  lines.push(`${chalk.bold(`This will free ${formatBytes(plan.bytes)}`)} (${parts.join(', ')}).`);
  return lines.join('\n');
}

/** Store folders without an inventory row that gc keeps: unregistered models, then other orphans. */
function renderKept(plan: GcPlan, chalk: ChalkInstance): string[] {
  const out: string[] = [];
  const line = (k: GcKept): string => `  ${chalk.yellow('?')} ${chalk.dim(shortHash(k.hash))}  ${k.name}  ${formatBytes(k.bytes)}${k.checked ? '' : chalk.dim('  could not be read to check it (never removed)')}`;
  const unregistered = plan.kept.filter((k) => k.reason === 'unregistered');
  const orphans = plan.kept.filter((k) => k.reason === 'orphan');
  if (unregistered.length > 0) {
    out.push(chalk.yellow('Unregistered models (in the store, unknown to the inventory; kept):'));
    out.push(...unregistered.map(line));
    out.push(`  The inventory forgot ${unregistered.length === 1 ? 'this model' : 'these models'} (was modelhub.db lost or replaced?); register ${unregistered.length === 1 ? 'it' : 'them'} again with: modelhub scan ${plan.modelsDir}`, '');
  }
  if (orphans.length > 0) {
    out.push(chalk.yellow('Orphans whose content does not match their folder name (damaged, or not models; kept):'));
    out.push(...orphans.map(line), '');
  }
  const removable = plan.kept.filter((k) => k.checked).length;
  if (removable > 0 && !plan.orphans) {
    out.push(`\`modelhub gc --orphans\` removes the ${removable} kept entr${removable === 1 ? 'y' : 'ies'}, after showing ${removable === 1 ? 'it' : 'them'} again; links the lost inventory knew of may still point at ${removable === 1 ? 'it' : 'them'}.`, '');
  }
  return out;
}

function removalReason(r: GcRemoval): string {
  if (r.reason === 'unregistered') return 'unregistered: a model the inventory forgot (its content matches its folder name)';
  if (r.reason === 'orphan') return r.files.length === 0 ? 'orphan: empty store folder' : 'orphan: no inventory row, and its content does not match its folder name';
  return r.files.length === 0 ? 'deleted (store folder already gone; the record is dropped)' : 'deleted';
}

function stagingReason(s: GcStaging): string {
  if (s.kind !== 'file' || !s.path.endsWith('.partial')) return `not a staging file (${s.kind}); never removed`;
  switch (s.owner.state) {
    case 'dead':
      return `staging file of a scan that died (pid ${s.owner.pid})`;
    case 'alive':
      return `its scan is still running (pid ${s.owner.pid})`;
    case 'elsewhere':
      return 'written by a scan on another host (kept: ModelHub cannot tell whether it still runs)';
    case 'unknown':
      return s.ageMs > STAGING_MAX_AGE_MS ? `staging file left by an interrupted scan (${formatAge(s.ageMs)} old)` : `no owner in its name; removed once older than a day (${formatAge(s.ageMs)} old)`;
  }
}

/** 42 s, 5 min, 3 h, 2 days. */
function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  const d = Math.floor(s / 86400);
  return `${d} day${d === 1 ? '' : 's'}`;
}

/** One refused entry and what still uses it; `modelsDir` (already made safe) names the folder to scan to register an unregistered model again. */
export function renderRefusal(input: GcRefusal, chalk: ChalkInstance, modelsDir: string): string[] {
  const r = forTerminal(input);
  const register = `modelhub scan ${modelsDir}`;
  const out = [`  ${chalk.yellow('!')} ${chalk.dim(shortHash(r.hash))}  ${r.name}  ${formatBytes(r.bytes)}  ${chalk.dim(r.reason)}`];
  if (r.deployed.length > 0) {
    out.push(`      still deployed by ${r.deployed.length} owned link${r.deployed.length === 1 ? '' : 's'}:`);
    for (const d of r.deployed) out.push(`        ${d.target}  ${d.path}`);
    out.push(`      run \`modelhub apply\` to undeploy it first${r.reason === 'deleted' ? '' : ` (or register it again: \`${register}\`)`}`);
  }
  if (r.linkBacks.length > 0) {
    out.push(`      still pointed at by ${r.linkBacks.length} symlink${r.linkBacks.length === 1 ? '' : 's'} (link-backs, or links ModelHub has no record of):`);
    for (const p of r.linkBacks) out.push(`        ${p}`);
    out.push(
      r.reason === 'deleted'
        ? '      remove them by hand, or with `modelhub prune` (it removes recorded link-backs of deleted models)'
        : `      something still uses it: register it again with \`${register}\`, or remove those links by hand`,
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
