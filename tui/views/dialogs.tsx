/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Text } from 'ink';
import type { ReactElement } from 'react';
import { bodyHeight } from '../layout.js';
import { FORM_FIELDS } from '../list-actions.js';
import type { State, View } from '../state-types.js';
import { BLANK, line, span, type Line } from '../text.js';
import { linkTargets } from '../view-actions.js';
import { LineView, LinesView } from './paint.js';

type Of<K extends View['kind']> = Extract<View, { kind: K }>;

/** Details, help and reports: a window of lines that scrolls. */
export function TextBody({ state, view }: { state: State; view: Of<'text'> }): ReactElement {
  return <LinesView lines={view.lines} from={view.scroll} height={bodyHeight(state.size)} />;
}

/** A confirmation: what will happen (scrolls), then the question. */
export function ConfirmBody({ state, view }: { state: State; view: Of<'confirm'> }): ReactElement {
  const height = bodyHeight(state.size) - 2;
  return (
    <>
      <LinesView lines={view.lines} from={view.scroll} height={height} />
      <Text> </Text>
      <LineView line={[span(view.question, 'bold'), span(' [y/N]', 'cyan')]} />
    </>
  );
}

/** A one-line text prompt with its cursor. */
export function PromptBody({ state, view }: { state: State; view: Of<'prompt'> }): ReactElement {
  const lines: Line[] = [line(view.label, 'bold'), [span('> ', 'cyan'), span(view.text), span('▏', 'cyan')], BLANK, line('Enter goes, Esc cancels; Ctrl-U erases the line.', 'dim')];
  return <LinesView lines={lines} from={0} height={bodyHeight(state.size)} />;
}

/** The structured filter form: one field per line, the current one marked. */
export function FormBody({ state, view }: { state: State; view: Of<'filter'> }): ReactElement {
  const lines: Line[] = FORM_FIELDS.map((f, i) => {
    const value = view.draft[f.key];
    const shown = typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
    const current = i === view.field;
    return [span(current ? '› ' : '  ', 'cyan'), span(f.label.padEnd(22), current ? 'bold' : 'dim'), span(shown === '' ? '·' : shown, current ? 'inverse' : undefined)];
  });
  lines.push(BLANK, line('Empty fields are no condition. type, base, variant, format and tag take one value; name takes * and ?.', 'dim'));
  return <LinesView lines={lines} from={0} height={bodyHeight(state.size)} />;
}

export function CopyBody({ state, view }: { state: State; view: Of<'copy'> }): ReactElement {
  const row = state.list.rows.find((r) => r.hash === view.hash);
  const lines: Line[] = [
    line(`Copy for ${row?.name ?? view.hash.slice(0, 12)}:`, 'bold'),
    [span('  s ', 'cyan'), span('the store path')],
    [span('  h ', 'cyan'), span('the SHA-256')],
    [span('  l ', 'cyan'), span('the `ln -s STORE LINK` command that deploys it into a target folder')],
    BLANK,
    line('Copied with OSC 52 (works over SSH and in tmux) and the system clipboard where there is one.', 'dim'),
  ];
  return <LinesView lines={lines} from={0} height={bodyHeight(state.size)} />;
}

export function PickTargetBody({ state, view }: { state: State; view: Of<'pick-target'> }): ReactElement {
  const row = state.list.rows.find((r) => r.hash === view.hash);
  const targets = linkTargets(state, view.hash);
  const lines: Line[] = [line(`ln -s ${row?.name ?? ''} into which target?`, 'bold')];
  if (state.overview === null) lines.push(line('  loading the targets…', 'dim'));
  else if (targets.length === 0) lines.push(line(`  no target maps the type ${row?.type ?? '?'}`, 'dim'));
  targets.forEach((t, i) => lines.push([span(i === view.cursor ? '› ' : '  ', 'cyan'), span(t.name.padEnd(20), i === view.cursor ? 'inverse' : undefined), span(`  ${t.root}/${t.mappings[row?.type ?? ''] ?? ''}`, 'dim')]));
  return <LinesView lines={lines} from={0} height={bodyHeight(state.size)} />;
}
