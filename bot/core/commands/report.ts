import { quarterOf, quarterRange, quarterReportText } from '../ledger/export.js';
import { exportText } from '../text/messages.js';
import { findPeriod, type Command } from './args.js';
import type { CommandSpec, Handler } from './context.js';

/** /report 2023Q4 (coordinators): the quarterly inspection (季度检查) by unit; this quarter by default. */
const reportCommand: Handler<Extract<Command, { name: 'report' }>> = (cmd, ctx) => {
  const quarter = cmd.quarter?.replace('*', ctx.today.slice(0, 4)) ?? quarterOf(ctx.today);
  if (!quarterRange(quarter)) return { text: exportText.badQuarter(quarter) };
  return { text: quarterReportText(ctx.db, ctx.plan, ctx.calendar, quarter, ctx.today) };
};

export const reportSpec: CommandSpec<'report'> = {
  name: 'report',
  words: ['季度报告', '/report'],
  access: 'coordinator',
  // 2023Q4, 2023年第四季度, 四季度, Q4 ('*Q4': this year); anything else is shown back as written
  parse: (rest) => {
    const { period } = findPeriod(rest);
    const quarter = period?.includes('Q') ? period.replace('-', '') : rest.replace(/\s+/g, '').toUpperCase();
    return { name: 'report', quarter: quarter || null };
  },
  handle: reportCommand,
};
