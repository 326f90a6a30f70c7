import type { Command } from './parse.js';
import { assignCommand } from './assign.js';
import { bindCommand } from './bind.js';
import type { Handler } from './context.js';
import { decideCommand } from './decide.js';
import { doneCommand } from './done.js';
import { dueCommand } from './due.js';
import { eventCommand } from './event.js';
import { exportCommand } from './export.js';
import { helpCommand } from './help.js';
import { progressCommand } from './progress.js';
import { remindCommand } from './remind.js';
import { remindMeCommand } from './remind-me.js';
import { reportCommand } from './report.js';
import { selfCheckCommand } from './self-check.js';
import { statusCommand } from './status.js';
import { tasksCommand } from './tasks.js';
import { unbindCommand } from './unbind.js';
import { correctCommand, withdrawCommand } from './withdraw.js';

/**
 * Who may use a command: anyone, an approved liaison, a coordinator, or a reporter (a liaison
 * for their own units, or a coordinator for the unit they name).
 */
export type Access = 'anyone' | 'liaison' | 'reporter' | 'coordinator';

type Entry<K extends Command['name']> = { access: Access; handler: Handler<Extract<Command, { name: K }>> };

/** Every command, wired in this one place. */
export const commands: { [K in Command['name']]: Entry<K> } = {
  help: { access: 'anyone', handler: helpCommand },
  bind: { access: 'anyone', handler: bindCommand },
  status: { access: 'anyone', handler: statusCommand },
  tasks: { access: 'liaison', handler: tasksCommand },
  done: { access: 'reporter', handler: doneCommand },
  withdraw: { access: 'reporter', handler: withdrawCommand },
  correct: { access: 'reporter', handler: correctCommand },
  selfCheck: { access: 'liaison', handler: selfCheckCommand },
  progress: { access: 'liaison', handler: progressCommand },
  event: { access: 'liaison', handler: eventCommand },
  approve: { access: 'coordinator', handler: decideCommand },
  reject: { access: 'coordinator', handler: decideCommand },
  unbind: { access: 'coordinator', handler: unbindCommand },
  assign: { access: 'coordinator', handler: assignCommand },
  due: { access: 'coordinator', handler: dueCommand },
  remindMe: { access: 'liaison', handler: remindMeCommand },
  remind: { access: 'coordinator', handler: remindCommand },
  export: { access: 'coordinator', handler: exportCommand },
  report: { access: 'coordinator', handler: reportCommand },
};
