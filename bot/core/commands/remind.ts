import { reminder } from '../text/messages.js';
import type { CommandSpec, Handler } from './context.js';

/** /remind (coordinators): the round now; keys already sent are not sent again. */
const remindCommand: Handler = () => ({ text: reminder.roundStarted, runRound: true });

export const remindSpec: CommandSpec<'remind'> = {
  name: 'remind',
  words: ['发送提醒', '/remind'],
  access: 'coordinator',
  parse: () => ({ name: 'remind' }),
  handle: remindCommand,
};
