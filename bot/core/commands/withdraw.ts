import { recordReport, reportById, withdrawCompletion } from '../../../db/reports.js';
import { shanghaiDate } from '../../../schedules/clock.js';
import { text } from '../text/messages.js';
import { rowLabel } from '../reminders/lines.js';
import type { Command } from './parse.js';
import { reportedBy, type CommandContext, type Handler } from './context.js';
import { findTarget, isReply, targetUnit, type Target } from './target.js';

/** The unit's latest completion of an item: the completed row with the newest completion. */
const latestDone = (target: Target) =>
  target.rows.filter((r) => r.doneReportId !== null).sort((a, b) => b.doneReportId! - a.doneReportId!)[0];

/** 撤回 T16 [单位]: reopens the latest completion; the report stays in history, marked withdrawn. */
export const withdrawCommand: Handler<Extract<Command, { name: 'withdraw' }>> = (cmd, ctx: CommandContext) => {
  const target = findTarget(ctx, cmd.ref, cmd.unit, (u) => `撤回 ${cmd.ref} ${u}`);
  if (isReply(target)) return target;
  const row = latestDone(target);
  if (!row) return { text: text.nothingToWithdraw(target.unit, cmd.ref) };
  const done = reportById(ctx.db, row.doneReportId!)!;
  withdrawCompletion(ctx.db, row.id, ctx.actor.name, ctx.now.toISOString());
  return { text: text.withdrawn(targetUnit(target), rowLabel(cmd.ref, row.occurrence), shanghaiDate(new Date(done.at))) };
};

/** 更正 T16 [单位] 链接: replaces the evidence of the latest completion; the old link stays in history. */
export const correctCommand: Handler<Extract<Command, { name: 'correct' }>> = (cmd, ctx) => {
  const target = findTarget(ctx, cmd.ref, cmd.unit, (u) => `更正 ${cmd.ref} ${u} ${cmd.link}`);
  if (isReply(target)) return target;
  const row = latestDone(target);
  if (!row) return { text: text.nothingToCorrect(target.unit, cmd.ref) };
  recordReport(ctx.db, { assignmentId: row.id, kind: 'correction', evidence: cmd.link, note: null, onBehalf: target.onBehalf, ...reportedBy(ctx) });
  return { text: text.corrected(targetUnit(target), rowLabel(cmd.ref, row.occurrence), cmd.link) };
};
