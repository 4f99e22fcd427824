/* @jsxRuntime automatic */
/* @jsxImportSource react */
import type { ReactElement } from 'react';
import type { TargetStatus } from '../../reconcile/status.js';
import { bodyHeight } from '../layout.js';
import type { State, View } from '../state-types.js';
import { BLANK, line, span, type Line } from '../text.js';
import { LinesView } from './paint.js';

type Of<K extends View['kind']> = Extract<View, { kind: K }>;

/**
 * The deploy menu: each target by its display name with its status, then the plan as `plan`
 * prints it. The plan pane scrolls with PgUp/PgDn.
 */
export function DeployBody({ state, view }: { state: State; view: Of<'deploy'> }): ReactElement {
  const height = bodyHeight(state.size);
  const o = state.overview;
  if (o === null) return <LinesView lines={[line('Reading the manifests, the inventory and the target folders…', 'dim')]} from={0} height={height} />;
  const lines: Line[] = [line(`${'TARGET'.padEnd(28)} ${'STATE'.padEnd(9)} DECLARED  IN SYNC  MISSING  DRIFTED  CONFLICTS`, 'bold')];
  if (o.targets.length === 0) lines.push(line('  no targets in the manifests (`modelhub init` copies the defaults)', 'dim'));
  o.targets.forEach((t, i) => {
    const st = o.status.find((x) => x.name === t.name);
    lines.push([span(i === view.cursor ? '› ' : '  ', 'cyan'), span(`${t.displayName} (${t.name})`.slice(0, 26).padEnd(27), i === view.cursor ? 'inverse' : undefined), ...statusSpans(t.enabled, st)]);
  });
  lines.push(BLANK);
  const planHeight = Math.max(1, height - lines.length);
  return (
    <>
      <LinesView lines={lines} from={0} height={lines.length} />
      <LinesView lines={state.planLines} from={Math.min(view.scroll, Math.max(0, state.planLines.length - planHeight))} height={planHeight} />
    </>
  );
}

function statusSpans(enabled: boolean, st: TargetStatus | undefined): Line {
  const n = (v: number | undefined, w: number, bad = false) => span(String(v ?? 0).padStart(w), bad && (v ?? 0) > 0 ? 'red' : undefined);
  return [
    span(` ${(enabled ? 'enabled' : 'disabled').padEnd(9)}`, enabled ? 'green' : 'dim'),
    n(st?.declared, 9),
    n(st?.inSync, 9),
    n(st?.missing, 9, true),
    n(st?.drifted, 9, true),
    n(st?.conflicts, 11, true),
  ];
}

/** Configure targets: enabled or not, the root as written, the manifest file it comes from. */
export function ConfigureBody({ state, view }: { state: State; view: Of<'configure'> }): ReactElement {
  const o = state.overview;
  const lines: Line[] = [];
  if (o === null) lines.push(line('Reading the manifests…', 'dim'));
  else {
    lines.push(line(`${'TARGET'.padEnd(22)} ${'STATE'.padEnd(9)} ROOT`, 'bold'));
    o.targets.forEach((t, i) =>
      lines.push([
        span(i === view.cursor ? '› ' : '  ', 'cyan'),
        span(t.name.padEnd(21), i === view.cursor ? 'inverse' : undefined),
        span(` ${(t.enabled ? 'enabled' : 'disabled').padEnd(9)} `, t.enabled ? 'green' : 'dim'),
        span(t.rootAsWritten),
        span(`  ${t.file}:${t.line}`, 'dim'),
      ]),
    );
    lines.push(BLANK, line('Each change edits the Target document in its manifest file (comments and order kept); the diff is shown before saving.', 'dim'));
  }
  return <LinesView lines={lines} from={0} height={bodyHeight(state.size)} />;
}
