import { planRound, privateDetails, PRIVATE_MAX } from '../reminders/rounds.js';
import { reminder } from '../text/messages.js';
import type { CommandSpec, Handler } from './context.js';
import { agenda } from './tasks.js';

/**
 * 提醒我: today's reminders for the liaison's units, now. They go through the same keys as
 * the round, so the 09:00 digest does not repeat them.
 */
const remindMeCommand: Handler = (_cmd, ctx) => {
  const plan = planRound(ctx.db, ctx.plan, ctx.calendar, ctx.ladder, ctx.now, ctx.bindings.map((b) => b.unitId));
  if (!plan) return { text: reminder.restDay };
  const mine = plan.blocks.find((b) => b.contactId === ctx.actor.contactId);
  // nothing falls due today: what is overdue and coming up, rather than a bare "nothing"
  if (!mine) return { text: `${reminder.nothingNewToday}\n${agenda(ctx, false)}` };
  const keys = new Set(mine.keys);
  return {
    text: privateDetails(reminder.header(plan.today, false), mine, PRIVATE_MAX),
    reminders: plan.intents.filter((i) => keys.has(i.key)),
  };
};

export const remindMeSpec: CommandSpec<'remindMe'> = {
  name: 'remindMe',
  words: ['提醒我', '/remindme'],
  access: 'liaison',
  parse: () => ({ name: 'remindMe' }),
  handle: remindMeCommand,
};
