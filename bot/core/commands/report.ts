import { quarterOf, quarterRange, quarterReportText } from '../ledger/export.js';
import { exportText } from '../text/messages.js';
import type { Command } from './args.js';
import type { CommandSpec, Handler } from './context.js';

/** /report 2023Q4 (coordinators): the quarterly inspection (季度检查) by unit; this quarter by default. */
const reportCommand: Handler<Extract<Command, { name: 'report' }>> = (cmd, ctx) => {
  const quarter = cmd.quarter ?? quarterOf(ctx.today);
  if (!quarterRange(quarter)) return { text: exportText.badQuarter(quarter) };
  return { text: quarterReportText(ctx.db, ctx.plan, ctx.calendar, quarter, ctx.today) };
};

export const reportSpec: CommandSpec<'report'> = {
  name: 'report',
  words: ['季度报告', '/report'],
  access: 'coordinator',
  parse: (rest) => ({ name: 'report', quarter: rest ? rest.replace(/\s+/g, '').toUpperCase() : null }),
  handle: reportCommand,
};
