import type { BrowseRow } from '../../store/browse.js';
import type { ModelDetails } from '../../store/model-details-types.js';
import { update, type State } from '../../tui/state.js';
import { initialState } from '../../tui/state-types.js';
import type { Event } from '../../tui/effects.js';

/** A browse row with defaults; the hash is derived from the name unless given. */
export function row(name: string, over: Partial<BrowseRow> = {}): BrowseRow {
  const hash = over.hash ?? Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64);
  return {
    hash,
    filename: name,
    name,
    type: 'lora',
    base: 'sdxl',
    variant: null,
    format: 'safetensors',
    size: 1000,
    confidence: 0.9,
    added: '2025-01-01T00:00:00.000Z',
    paths: [`/dl/${name}`],
    tags: [],
    deployed: 0,
    civitai: false,
    unsafe: false,
    ...over,
  };
}

/** A state with these rows loaded, on a 100×30 terminal. */
export function loaded(rows: BrowseRow[], opts: { pageSize?: number; readonly?: boolean; rows?: number } = {}): State {
  const s = initialState({ size: { cols: 100, rows: opts.rows ?? 30 }, pageSize: opts.pageSize ?? 1000, readonly: opts.readonly ?? false, symlinks: true });
  return update(s, { type: 'rows', rows });
}

/** Press keys in order (each a key name: 'down', 'space', 'X', …). */
export function press(s: State, ...keys: string[]): State {
  return keys.reduce((acc, key) => update(acc, { type: 'key', key }), s);
}

/** Type text one character at a time (spaces as the space key). */
export function type(s: State, text: string): State {
  return press(s, ...[...text].map((c) => (c === ' ' ? 'space' : c)));
}

export function send(s: State, ...events: Event[]): State {
  return events.reduce(update, s);
}

/** The names the list shows, in order. */
export function shown(s: State): string[] {
  return s.list.visible.map((i) => s.list.rows[i]?.name ?? '?');
}

export function cursorName(s: State): string | undefined {
  const i = s.list.visible[s.cursor];
  return i === undefined ? undefined : s.list.rows[i]?.name;
}

/** The details of a plain LoRA with one source path and nothing else known. */
export function detailsOf(hash: string): ModelDetails {
  return {
    hash,
    autov2: null,
    autov3: null,
    name: 'alpha.safetensors',
    size: 1000,
    format: 'safetensors',
    container: null,
    decision: { type: 'lora', base: 'sdxl', variant: null, confidence: 0.9 },
    unsafe: false,
    deleted: false,
    added: '2025-01-01',
    storeFile: `/hub/models/${hash}/alpha.safetensors`,
    paths: [{ path: '/dl/alpha.safetensors', state: 'linked' }],
    links: [],
    metadata: [],
    evidence: [],
    override: null,
    classifier: null,
    classifyError: null,
    civitai: { status: 'not-asked', trainedWords: [] },
    whatWouldChangeIt: [],
  };
}
