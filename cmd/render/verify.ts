import type { ChalkInstance } from 'chalk';
import type { VerifyReport } from '../../store/verify.js';
import { formatBytes } from '../format.js';
import { shortHash } from '../removal.js';
import { escapeForTerminal, forTerminal } from '../../core/terminal-text.js';

const REASON: Record<VerifyReport['corrupted'][number]['reason'], string> = {
  'hash-mismatch': 'content differs from its SHA-256',
  'size-mismatch': 'size differs from the record',
  'mtime-changed': 'modified since import (size kept); run `modelhub verify` without --fast to re-hash it',
  unreadable: 'cannot be read',
  'corrupt-format': 'breaks its format, so applications cannot load it (it was damaged before it was scanned; re-download it, scan the new file, then `modelhub delete MODEL --hard` this one)',
};

/** The human view of a verify report: problems first, warnings, then one summary line. */
export function renderVerify(input: VerifyReport, chalk: ChalkInstance, opts: { hubModels: string }): string {
  const r = forTerminal(input);
  const lines: string[] = [];
  for (const c of r.corrupted) {
    lines.push(`${chalk.red('corrupted')}   ${c.path}`);
    lines.push(`            ${REASON[c.reason]}: expected ${c.expected}, found ${c.found}`);
    if (c.copies.length > 0) lines.push(`            a copy was recorded at: ${c.copies.join(', ')}`);
  }
  for (const m of r.missing) lines.push(`${chalk.red('missing')}     ${m.path}  ${chalk.dim(`${shortHash(m.hash)}${m.deleted ? ', soft-deleted' : ''}${m.found === null ? '' : `; ${m.found}`}`)}`);
  for (const u of r.unexpected) lines.push(`${chalk.yellow('unexpected')}  ${u.path}  ${chalk.dim(`${u.kind}, ${formatBytes(u.size)}: ${u.why}`)}`);
  for (const p of r.permissions) lines.push(`${chalk.yellow('warning')}     ${p.path} is writable (mode ${p.mode}); store files are kept read-only: chmod 0444 it`);
  for (const s of r.staging) lines.push(`${chalk.yellow('warning')}     ${s.path} (${formatBytes(s.size)}) is a staging file: a scan is running, or one was interrupted (\`modelhub gc\` removes those older than a day)`);
  if (r.corrupted.length > 0) {
    lines.push(
      '',
      'ModelHub never repairs or removes a damaged store file. To restore one: replace it with a good copy',
      `(e.g. \`cp --remove-destination COPY STOREFILE\`, or download it again), \`chmod 0444\` it, then run`,
      `\`modelhub scan ${escapeForTerminal(opts.hubModels)}/<sha256>\` to check its hash and record it again.`,
    );
  }
  if (r.missing.length > 0) lines.push('', 'A missing store file cannot be restored by ModelHub: scan a copy of the model again (same hash), or remove the record with `modelhub delete MODEL --hard`.');
  if (lines.length > 0) lines.push('');
  const how = r.mode === 'full' ? `full: SHA-256 re-hashed, ${formatBytes(r.bytesHashed)} read` : 'fast: size and modification time';
  lines.push(`Verified ${r.checked} model${r.checked === 1 ? '' : 's'} (${how}).`);
  if (r.mode === 'fast' && r.sizeOnly > 0) lines.push(chalk.dim(`${r.sizeOnly} of them by size only: imported before ModelHub recorded modification times (a full verify re-hashes them).`));
  const summary = `${r.corrupted.length} corrupted, ${r.missing.length} missing, ${r.unexpected.length} unexpected; ${r.ok} ok.`;
  const clean = r.corrupted.length + r.missing.length + r.unexpected.length === 0;
  lines.push(clean ? chalk.green(`Store intact: ${summary}`) : chalk.red(`Problems found: ${summary}`));
  return lines.join('\n');
}
