import { recordReport, reportById, withdrawCompletion } from '../../../db/reports.js';
import { shanghaiDate } from '../../../schedules/clock.js';
import { argText, text } from '../text/messages.js';
import { rowLabel } from '../reminders/lines.js';
import { err, parseDone, type Command, type UnitLookup } from './args.js';
import { reportedBy, type CommandContext, type CommandSpec, type Handler } from './context.js';
import { findTarget, isReply, targetUnit, type Target } from './target.js';

/** The unit's latest completion of an item: the completed row with the newest completion. */
const latestDone = (target: Target) =>
  target.rows.filter((r) => r.doneReportId !== null).sort((a, b) => b.doneReportId! - a.doneReportId!)[0];

/** 撤回 T16 [单位]: reopens the latest completion; the report stays in history, marked withdrawn. */
const withdrawCommand: Handler<Extract<Command, { name: 'withdraw' }>> = (cmd, ctx: CommandContext) => {
  const target = findTarget(ctx, cmd.ref, cmd.unit, (u) => `撤回 ${cmd.ref} ${u}`);
  if (isReply(target)) return target;
  const row = latestDone(target);
  if (!row) return { text: text.nothingToWithdraw(target.unit, cmd.ref) };
  const done = reportById(ctx.db, row.doneReportId!)!;
  withdrawCompletion(ctx.db, row.id, ctx.actor.name, ctx.now.toISOString());
  return { text: text.withdrawn(targetUnit(target), rowLabel(cmd.ref, row.occurrence), shanghaiDate(new Date(done.at))) };
};

/** 更正 T16 [单位] 链接: replaces the evidence of the latest completion; the old link stays in history. */
const correctCommand: Handler<Extract<Command, { name: 'correct' }>> = (cmd, ctx) => {
  const target = findTarget(ctx, cmd.ref, cmd.unit, (u) => `更正 ${cmd.ref} ${u} ${cmd.link}`);
  if (isReply(target)) return target;
  const row = latestDone(target);
  if (!row) return { text: text.nothingToCorrect(target.unit, cmd.ref) };
  recordReport(ctx.db, { assignmentId: row.id, kind: 'correction', evidence: cmd.link, note: null, onBehalf: target.onBehalf, ...reportedBy(ctx) });
  return { text: text.corrected(targetUnit(target), rowLabel(cmd.ref, row.occurrence), cmd.link) };
};

/** One item, as a 完成 would name it (its unit and links read the same way). */
function oneItem(name: 'withdraw' | 'correct', rest: string, lookup: UnitLookup) {
  const r = parseDone(rest, lookup, name);
  if ('error' in r) return r;
  return r.refs.length === 1 ? { ...r, ref: r.refs[0]! } : err(name, argText.oneItem);
}

export const withdrawSpec: CommandSpec<'withdraw'> = {
  name: 'withdraw',
  words: ['撤回', '撤销', '/withdraw'],
  access: 'reporter',
  parse: (rest, lookup) => {
    const r = oneItem('withdraw', rest, lookup);
    return 'error' in r ? r : { name: 'withdraw', ref: r.ref, unit: r.unit };
  },
  handle: withdrawCommand,
};

export const correctSpec: CommandSpec<'correct'> = {
  name: 'correct',
  words: ['更正', '更改链接', '/correct'],
  access: 'reporter',
  parse: (rest, lookup) => {
    const r = oneItem('correct', rest, lookup);
    if ('error' in r) return r;
    return r.links[0] ? { name: 'correct', ref: r.ref, unit: r.unit, link: r.links[0] } : err('correct', argText.noCorrectLink);
  },
  handle: correctCommand,
};
