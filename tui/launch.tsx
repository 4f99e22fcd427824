/* @jsxRuntime automatic */
/* @jsxImportSource react */
import { render } from 'ink';
import type { Config } from '../core/config.js';
import { loadDeploymentContext } from '../reconcile/deployment-context.js';
import { manifestsStamp } from '../reconcile/deploy-overview.js';
import { inventoryVersion } from '../store/browse.js';
import type { Hub } from '../store/hub.js';
import { App } from './app.js';
import type { Event } from './effects.js';
import { createRunner } from './runner.js';
import { initialState } from './state-types.js';
import { takeTerminal, type EndingSignal } from './terminal.js';
import { changeWatch } from './watch.js';

export interface LaunchOptions {
  hub: Hub;
  config: Config;
  offline: boolean;
  /** --readonly: every action that writes is refused. */
  readonly: boolean;
  color: boolean;
  lockTimeoutMs: number;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** How often the hub and the manifests are checked for changes made elsewhere. */
  pollMs?: number;
}

/**
 * Run the TUI on a terminal until the user quits (q, Ctrl-C) or a signal ends it: the
 * alternate screen is entered first and left on every way out (terminal.ts). Returns the
 * signal that ended it, if one did, for the exit status; errors propagate after the terminal
 * is restored.
 */
export async function launchTui(o: LaunchOptions): Promise<{ signal: EndingSignal | undefined }> {
  const context = await loadDeploymentContext(o.config, { env: o.env, cwd: o.cwd });
  const run = createRunner({
    hub: o.hub,
    config: o.config,
    context,
    offline: o.offline,
    env: o.env,
    cwd: o.cwd,
    now: o.now,
    sleep: o.sleep,
    lockTimeoutMs: o.lockTimeoutMs,
    clipboard: { write: (s) => o.stdout.write(s), platform: process.platform, native: async (text) => (await import('clipboardy')).default.write(text) },
  });
  const initial = initialState({ size: { cols: o.stdout.columns ?? 80, rows: o.stdout.rows ?? 24 }, pageSize: o.config.page_size, readonly: o.readonly, symlinks: o.config.symlinks });
  const subscribe = (dispatch: (e: Event) => void): (() => void) => {
    const watch = changeWatch(
      () => `${inventoryVersion(o.hub.db)}\n${manifestsStamp(context.manifestsDir)}`,
      () => dispatch({ type: 'hub-changed' }),
    );
    const timer = setInterval(() => watch.check(), o.pollMs ?? 1000);
    return () => clearInterval(timer);
  };
  let unmount: (() => void) | undefined;
  const session = takeTerminal({ out: o.stdout, process, onSignal: () => unmount?.() });
  try {
    const app = render(<App initial={initial} hub={o.hub.layout.root} run={run} color={o.color} subscribe={subscribe} />, { stdout: o.stdout, stdin: o.stdin, exitOnCtrlC: false, maxFps: 60 });
    unmount = () => app.unmount();
    if (session.signal !== undefined) app.unmount();
    await app.waitUntilExit();
  } finally {
    session.restore();
  }
  return { signal: session.signal };
}
