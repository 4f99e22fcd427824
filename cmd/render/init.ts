import type { ChalkInstance } from 'chalk';
import { forTerminal } from '../../core/terminal-text.js';

/** What `modelhub init` made (the same object --json prints). */
export interface InitResult {
  hub: string;
  inventory: string;
  classification: string;
  store: string;
  manifests: { dir: string; copied: string[] };
}

/** `modelhub init`: where the hub's parts are, and whether the default manifests were copied. */
export function renderInit(input: InitResult, _chalk: ChalkInstance): string {
  const r = forTerminal(input);
  const lines = [
    `Hub ready at ${r.hub}`,
    `  inventory       ${r.inventory}`,
    `  classification  ${r.classification}`,
    `  store           ${r.store}`,
  ];
  if (r.manifests.copied.length > 0) {
    lines.push(`Copied the default manifests to ${r.manifests.dir}: ${r.manifests.copied.join(', ')}`);
    lines.push('  Every target is disabled; edit its root, set `enabled: true`, add a Deployment, then run `modelhub plan`.');
  } else {
    lines.push(`Manifests folder ${r.manifests.dir} already holds manifests; left as it is.`);
  }
  return lines.join('\n');
}
