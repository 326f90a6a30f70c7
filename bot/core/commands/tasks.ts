import { and } from 'drizzle-orm';
import { forUnit, ledgerRows, openOnly, rowStatus } from '../../../db/status.js';
import { text } from '../text/messages.js';
import { openLines } from '../reminders/lines.js';
import type { Command } from './args.js';
import type { CommandContext, CommandSpec, Handler } from './context.js';

const LIMIT = 10;

/** Each of the liaison's units with its open items, overdue first (rows not applicable left out); `all` lifts the limit. */
export function agenda(ctx: CommandContext, all: boolean): string {
  const parts = ctx.bindings.map((b) => {
    const { lines, undated } = openLines(ctx.calendar, ctx.today, ledgerRows(ctx.db, ctx.plan.id, and(forUnit(b.unitId), openOnly)).filter((r) => rowStatus(r, ctx.today, ctx.plan.issueDate) !== 'notApplicable'),
    );
    if (lines.length === 0 && undated === 0) return text.tasksNone(b.unit);
    const shown = all ? lines : lines.slice(0, LIMIT);
    const out = [text.tasksHeader(b.unit, ctx.today), ...shown];
    if (shown.length < lines.length) out.push(text.tasksMore(lines.length - shown.length));
    if (undated) out.push(text.tasksEventDriven(undated));
    return out.join('\n');
  });
  return parts.join('\n\n');
}

/** 我的任务 (待办, 还有哪些没完成): the liaison's open items. */
const tasksCommand: Handler<Extract<Command, { name: 'tasks' }>> = (cmd, ctx) => ({ text: agenda(ctx, cmd.all) });

export const tasksSpec: CommandSpec<'tasks'> = {
  name: 'tasks',
  words: ['我的任务', '我的待办', '任务清单', '待办事项', '待办', /任务$/, /还有(?:哪些|什么)(?:任务|事项)?(?:没|未)完成/, '/tasks'],
  access: 'liaison',
  parse: (rest) => ({ name: 'tasks', all: /全部|all/i.test(rest) }),
  handle: tasksCommand,
};
