import { and } from 'drizzle-orm';
import { forUnit, ledgerRows, openOnly, rowStatus } from '../../../db/status.js';
import { text } from '../text/messages.js';
import { openLines } from '../reminders/lines.js';
import type { Command } from './parse.js';
import type { Handler } from './context.js';

const LIMIT = 10;
/** 我的任务: each of the liaison's units with its open items, overdue first (rows not applicable left out). */
export const tasksCommand: Handler<Extract<Command, { name: 'tasks' }>> = (cmd, ctx) => {
  const parts = ctx.bindings.map((b) => {
    const { lines, undated } = openLines(ctx.calendar, ctx.today, ledgerRows(ctx.db, ctx.plan.id, and(forUnit(b.unitId), openOnly)).filter((r) => rowStatus(r, ctx.today, ctx.plan.issueDate) !== 'notApplicable'),
    );
    if (lines.length === 0 && undated === 0) return text.tasksNone(b.unit);
    const shown = cmd.all ? lines : lines.slice(0, LIMIT);
    const out = [text.tasksHeader(b.unit, ctx.today), ...shown];
    if (shown.length < lines.length) out.push(text.tasksMore(lines.length - shown.length));
    if (undated) out.push(text.tasksEventDriven(undated));
    return out.join('\n');
  });
  return { text: parts.join('\n\n') };
};
