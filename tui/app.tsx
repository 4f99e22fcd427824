/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { Effect, Event } from './effects.js';
import { keyNames } from './keys.js';
import { MIN_SIZE, tooSmall } from './layout.js';
import { update, type State } from './state.js';
import { topView } from './state-types.js';
import { viewTitle } from './text/help.js';
import { ConfigureBody, DeployBody } from './views/deploy.js';
import { ConfirmBody, CopyBody, FormBody, PickTargetBody, PromptBody, TextBody } from './views/dialogs.js';
import { FilterLine, Footer, TitleLine } from './views/frame.js';
import { ListBody, ListHeader } from './views/list.js';
import { LineView, LooksContext } from './views/paint.js';
import { line } from './text.js';

/** Carries out an effect through the domain and answers with events (never throws: failures are events). */
export type Runner = (effect: Effect, dispatch: (e: Event) => void) => void;

export interface AppProps {
  initial: State;
  /** The hub folder, as the title line shows it. */
  hub: string;
  run: Runner;
  /** false with NO_COLOR or --no-color. */
  color: boolean;
  /** Bold, dim and inverse (default on; frame tests turn it off to compare plain text). */
  emphasis?: boolean;
  /** Events from outside the keyboard (the live-refresh watcher): started on mount, stopped on unmount. */
  subscribe?: (dispatch: (e: Event) => void) => () => void;
}

/**
 * The TUI's root: keeps the state, turns keys and terminal resizes into events for the reducer,
 * hands the effects each step asks for to the runner, and draws the screen. `quit` is the one
 * effect handled here: it unmounts, and the launcher restores the terminal.
 */
export function App({ initial, hub, run, color, emphasis, subscribe }: AppProps): ReactElement {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [state, setState] = useState(initial);
  const looks = useMemo(() => ({ color, emphasis: emphasis ?? true }), [color, emphasis]);
  const ref = useRef(initial);

  const dispatch = useCallback(
    (event: Event): void => {
      const next = update(ref.current, event);
      ref.current = next;
      setState(next);
      for (const effect of next.pending) {
        if (effect.kind === 'quit') exit();
        else run(effect, dispatch);
      }
    },
    [run, exit],
  );

  useEffect(() => {
    for (const effect of initial.pending) run(effect, dispatch);
    // Only the first state's effects: later ones are run by dispatch.
  }, []);

  useEffect(() => subscribe?.(dispatch), [subscribe, dispatch]);

  useEffect(() => {
    const onResize = (): void => dispatch({ type: 'resize', cols: stdout.columns, rows: stdout.rows ?? MIN_SIZE.rows });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, dispatch]);

  useInput((input, key) => {
    for (const k of keyNames(input, key)) dispatch({ type: 'key', key: k });
  });

  return (
    <LooksContext.Provider value={looks}>
      <Screen state={state} hub={hub} />
    </LooksContext.Provider>
  );
}

/** The whole screen for a state: title, filter line, the top view's body, status and hints. */
export function Screen({ state, hub }: { state: State; hub: string }): ReactElement {
  const { cols, rows } = state.size;
  if (tooSmall(state.size)) {
    return (
      <Box flexDirection="column" width={cols}>
        <LineView line={line('ModelHub', 'bold')} />
        <Text>{`The terminal is too small (${cols}×${rows}); it needs at least ${MIN_SIZE.cols}×${MIN_SIZE.rows}.`}</Text>
        <Text>Enlarge the window, or press q to quit.</Text>
      </Box>
    );
  }
  const view = topView(state);
  const onList = view.kind === 'list' || view.kind === 'quick';
  return (
    <Box flexDirection="column" width={cols}>
      <TitleLine state={state} hub={hub} />
      <FilterLine state={state} />
      {onList ? (
        <ListHeader />
      ) : (
        <LineView line={line(`── ${viewTitle(view)} ──`, 'bold')} />
      )}
      <Body state={state} />
      <Footer state={state} />
    </Box>
  );
}

function Body({ state }: { state: State }): ReactElement {
  const view = topView(state);
  switch (view.kind) {
    case 'list':
    case 'quick':
      return <ListBody state={state} />;
    case 'filter':
      return <FormBody state={state} view={view} />;
    case 'prompt':
      return <PromptBody state={state} view={view} />;
    case 'text':
      return <TextBody state={state} view={view} />;
    case 'confirm':
      return <ConfirmBody state={state} view={view} />;
    case 'deploy':
      return <DeployBody state={state} view={view} />;
    case 'configure':
      return <ConfigureBody state={state} view={view} />;
    case 'copy':
      return <CopyBody state={state} view={view} />;
    case 'pick-target':
      return <PickTargetBody state={state} view={view} />;
  }
}
