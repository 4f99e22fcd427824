import type { ClassifierSetup } from '../store/classifier-setup.js';
import type { Hub } from '../store/hub.js';
import type { CommandContext } from './context.js';

export type { ClassifierSetup, FileClassifier } from '../store/classifier-setup.js';

/** The domain's classifier setup for this command run (config, environment, --offline, the injected sleep). */
export async function createClassifierSetup(ctx: CommandContext, opts: { online?: boolean } = {}): Promise<ClassifierSetup> {
  const { createClassifierSetup: create } = await import('../store/classifier-setup.js');
  return create(ctx.config, { env: ctx.io.env, offline: ctx.globals.offline === true, online: opts.online, sleep: ctx.io.sleep });
}

export async function mirrorRulesInto(hub: Hub, setup: ClassifierSetup, ctx: CommandContext): Promise<void> {
  const { mirrorRulesInto: mirror } = await import('../store/classifier-setup.js');
  await mirror(hub, setup, ctx.config);
}
