import { parseDatedItem, resolveDate } from './args.js';
import { unitByName } from '../../../db/liaisons.js';
import { itemByRef, setDue } from '../../../db/reports.js';
import { estimatedNote, text } from '../text/messages.js';
import type { Command } from './args.js';
import type { CommandSpec, Handler } from './context.js';

/** 期限 T6 2024-03-31 [单位] (coordinators): the date of an 及时公开 item. */
const dueCommand: Handler<Extract<Command, { name: 'due' }>> = (cmd, ctx) => {
  const item = itemByRef(ctx.db, ctx.plan.id, cmd.ref);
  if (!item) return { text: text.unknownRef(cmd.ref) };
  if (item.rule.type !== 'asap') return { text: text.dueNotAsap(cmd.ref, item.deadlineText || '常态化') };
  // a date without a year is the next such day
  const date = resolveDate(cmd.date, ctx.today, 'future');
  if (!date) return { text: text.notADate(cmd.date.replace('*-', '')) };
  const estimated = !ctx.calendar.isOfficial(Number(date.slice(0, 4)));
  const unitId = cmd.unit ? unitByName(ctx.db, cmd.unit)!.id : undefined;
  const changed = setDue(ctx.db, item.id, date, estimated, unitId);
  if (changed === 0) return { text: text.dueNothing(cmd.ref) };
  return { text: text.dueSet(cmd.ref, date, cmd.unit, estimated ? estimatedNote : '') };
};

export const dueSpec: CommandSpec<'due'> = {
  name: 'due',
  words: ['期限', '/due'],
  access: 'coordinator',
  parse: (rest, lookup) => parseDatedItem('due', rest, lookup),
  handle: dueCommand,
};
