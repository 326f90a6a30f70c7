import { err, findPeriod, unknownUnit } from './args.js';
import { recordReport } from '../../../db/reports.js';
import { ledgerRows, selfChecksOf } from '../../../db/status.js';
import { periodStart, quarterOf } from '../../../schedules/due.js';
import { argText, text } from '../text/messages.js';
import type { Command } from './args.js';
import { reportedBy, type CommandSpec, type Handler } from './context.js';

/**
 * 自查完成 [季度] [单位]: closes all of a unit's quarterly self-check rows (长期坚持 tasks and the
 * 常态化 checklist) of that quarter, the current one by default, in one message.
 */
const selfCheckCommand: Handler<Extract<Command, { name: 'selfCheck' }>> = (cmd, ctx) => {
  const year = Number(ctx.today.slice(0, 4));
  // 四季度 written in January of the next year is the plan year's: a quarter without a year is
  // the latest one begun, within the plan's years
  const thisYear = cmd.quarter?.replace('*', String(year));
  const quarter = !cmd.quarter
    ? `${year}-Q${quarterOf(ctx.today)}`
    : cmd.quarter.startsWith('*') && periodStart(thisYear!)! > ctx.today && year - 1 >= ctx.plan.year
      ? cmd.quarter.replace('*', String(year - 1))
      : thisYear!;
  const start = periodStart(quarter)!;
  if (start > ctx.today) return { text: text.selfCheckNotBegun(quarter, start) };
  const mine = cmd.unit === null ? ctx.bindings : ctx.bindings.filter((b) => b.unit === cmd.unit);
  if (mine.length === 0) return { text: text.notYourUnit(cmd.unit!) };
  if (mine.length > 1) return { text: text.selfCheckWhichUnit(mine.map((b) => b.unit)) };
  const { unitId, unit } = mine[0]!;
  const all = ledgerRows(ctx.db, ctx.plan.id, selfChecksOf(unitId, quarter));
  if (all.length === 0) return { text: text.selfCheckNone(unit, quarter) };
  const open = all.filter((r) => r.doneReportId === null);
  if (open.length === 0) return { text: text.selfCheckDone(unit, quarter, all.length) };
  for (const row of open) recordReport(ctx.db, { assignmentId: row.id, kind: 'done', evidence: null, note: null, ...reportedBy(ctx) });
  return { text: text.selfCheckRecorded(unit, quarter, open.length) };
};

export const selfCheckSpec: CommandSpec<'selfCheck'> = {
  name: 'selfCheck',
  words: ['季度自查完成', '自查完成', '自查已完成', /完成\s*(?:季度)?自查/, /常态化(?:任务)?(?:已)?完成/, /完成\s*常态化/, '/selfcheck'],
  access: 'liaison',
  parse: (rest, lookup) => {
    const { period, rest: unitText } = findPeriod(rest);
    if (period && !period.includes('Q')) return err('selfCheck', argText.notQuarter(rest));
    const words = unitText.split(/[\s,，、]+/).filter(Boolean);
    const unit = words[0] ? lookup(words[0]) : undefined;
    if (words[0] && !unit) return unknownUnit('selfCheck', words[0], lookup);
    return { name: 'selfCheck', quarter: period, unit: unit ?? null };
  },
  handle: selfCheckCommand,
};
