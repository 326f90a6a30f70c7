import { recordReport, reportById } from '../../../db/reports.js';
import { shanghaiDate } from '../../../schedules/clock.js';
import { text } from '../text/messages.js';
import type { Command } from './parse.js';
import { reportedBy, type Handler } from './context.js';
import { rowLabel } from '../reminders/lines.js';
import { findTarget, isReply } from './target.js';

/**
 * 完成 T5 [单位] [链接]: completes the earliest open occurrence. When every occurrence is
 * done already, the report is kept as history and nothing is completed twice.
 */
export const doneCommand: Handler<Extract<Command, { name: 'done' }>> = (cmd, ctx) => {
  const target = findTarget(ctx, cmd.ref, cmd.unit, (u) => `完成 ${cmd.ref} ${u} ${cmd.link ?? '链接'}`);
  if (isReply(target)) return target;
  const open = target.rows.find((r) => r.doneReportId === null);
  const row = open ?? target.rows.at(-1)!;
  const { completed } = recordReport(ctx.db, { assignmentId: row.id, kind: 'done', evidence: cmd.link, note: cmd.note, ...reportedBy(ctx) });
  const label = rowLabel(cmd.ref, row.occurrence);
  if (!completed) {
    const first = reportById(ctx.db, row.doneReportId!)!;
    return { text: text.alreadyDone(target.unit, label, shanghaiDate(new Date(first.at))) };
  }
  const late = row.due === null ? 0 : Math.max(0, ctx.calendar.workdaysBetween(row.due, ctx.today));
  const when = row.due === null ? '' : late > 0 ? text.late(late) : text.onTime;
  return { text: text.doneRecorded(target.unit, label, when, cmd.link) };
};
