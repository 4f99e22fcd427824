/**
 * Small data builders for the renderer snapshots: colourless chalk, temp paths as `<tmp>`, and
 * hashes made from short labels (`hash('a')`), so every snapshot reads the same on every machine.
 */
import { Chalk } from 'chalk';
import { hash } from '../reconcile/builders.js';

export { hash };

/** Colours off, as in every snapshot (colour is pinned where it carries meaning). */
export const plain = new Chalk({ level: 0 });

/** A path under the normalised temp folder. */
export function tmp(rel: string): string {
  return `<tmp>/${rel}`;
}

/** The store file of model `label` named `name`, as the hub lays it out. */
export function storeFile(label: string, name: string): string {
  return tmp(`hub/models/${hash(label)}/${name}`);
}

/** A file name holding an escape sequence: views must show it escaped, never send it. */
export const HOSTILE = 'evil\x1b[2Jname.safetensors';
