import { help } from '../text/messages.js';
import type { Handler } from './context.js';

/** 帮助 / /help: the commands this person may use. */
export const helpCommand: Handler = (_cmd, ctx) => ({
  text: [help.liaison, ...(ctx.isCoordinator ? [help.coordinator] : []), ...(ctx.atOnly ? [help.atBot] : [])].join('\n\n'),
});
