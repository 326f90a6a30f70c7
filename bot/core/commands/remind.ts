import { planRound } from '../reminders/rounds.js';
import { reminder } from '../text/messages.js';
import type { CommandSpec, Handler } from './context.js';

/**
 * /remind (coordinators): the liaisons' part of the round now. The reply says what it will send
 * and to whom, planned from the same ledger; keys already sent are not sent again, so it may be
 * nothing. Overdue notices come with the day's own round, so the reply does not count them.
 */
const remindCommand: Handler = (_cmd, ctx) => {
  const plan = planRound(ctx.db, ctx.plan, ctx.calendar, ctx.ladder, ctx.now);
  if (!plan) return { text: reminder.restDay };
  if (plan.blocks.length === 0 && plan.orphans.length === 0) return { text: reminder.nothingDueNow };
  const items = plan.blocks.reduce((n, b) => n + b.keys.length, 0);
  return {
    text: reminder.roundPlanned(plan.blocks.map((b) => b.name), items, plan.orphans.map((o) => o.unit)),
    runRound: true,
  };
};

export const remindSpec: CommandSpec<'remind'> = {
  name: 'remind',
  words: ['发送提醒', '/remind'],
  access: 'coordinator',
  parse: () => ({ name: 'remind' }),
  handle: remindCommand,
};
