import type { ChalkInstance } from 'chalk';
import { forTerminal } from '../../core/terminal-text.js';

/** What `modelhub export` wrote: `to` is the file's path, or 'stdout'. */
export interface ExportSummary {
  to: string;
  format: 'yaml' | 'json';
  models: number;
  deleted: number;
}

/** `Exported 3 models (1 soft-deleted) to FILE (YAML).` */
export function renderExportSummary(input: ExportSummary, _chalk: ChalkInstance): string {
  const s = forTerminal(input);
  return `Exported ${s.models} model${s.models === 1 ? '' : 's'}${s.deleted > 0 ? ` (${s.deleted} soft-deleted)` : ''} to ${s.to} (${s.format.toUpperCase()}).`;
}
