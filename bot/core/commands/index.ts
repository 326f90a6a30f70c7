import { assignSpec } from './assign.js';
import { bindSpec } from './bind.js';
import type { Command } from './args.js';
import type { CommandSpec } from './context.js';
import { approveSpec, rejectSpec } from './decide.js';
import { doneSpec } from './done.js';
import { dueSpec } from './due.js';
import { eventSpec } from './event.js';
import { exportSpec } from './export.js';
import { helpSpec } from './help.js';
import { planImportSpec } from './plan-import.js';
import { progressSpec } from './progress.js';
import { remindSpec } from './remind.js';
import { remindMeSpec } from './remind-me.js';
import { reportSpec } from './report.js';
import { selfCheckSpec } from './self-check.js';
import { statusSpec } from './status.js';
import { tasksSpec } from './tasks.js';
import { unbindSpec } from './unbind.js';
import { correctSpec, withdrawSpec } from './withdraw.js';

/** Every command, wired in this one place, in the order help lists them. */
export const commands: { [K in Command['name']]: CommandSpec<K> } = {
  help: helpSpec,
  bind: bindSpec,
  tasks: tasksSpec,
  done: doneSpec,
  selfCheck: selfCheckSpec,
  withdraw: withdrawSpec,
  correct: correctSpec,
  progress: progressSpec,
  event: eventSpec,
  remindMe: remindMeSpec,
  status: statusSpec,
  approve: approveSpec,
  reject: rejectSpec,
  unbind: unbindSpec,
  assign: assignSpec,
  due: dueSpec,
  remind: remindSpec,
  export: exportSpec,
  report: reportSpec,
  planImport: planImportSpec,
};
