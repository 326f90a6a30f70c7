import { reminder } from '../text/messages.js';
import type { Handler } from './context.js';

/** /remind (coordinators): the round now; keys already sent are not sent again. */
export const remindCommand: Handler = () => ({ text: reminder.roundStarted, runRound: true });
