import { parseDatedItem, resolveDate } from './args.js';
import { recordEvent } from '../../../db/reports.js';
import { eventOccurrence } from '../../../schedules/due.js';
import { estimatedNote, text } from '../text/messages.js';
import type { Command } from './args.js';
import { reportedBy, type CommandSpec, type Handler } from './context.js';
import { findTarget, isReply } from './target.js';

/**
 * 信息形成 T12 [单位] 2023-09-20 (or 9月20日, 昨天): starts an after-event occurrence and says
 * when it is due. A date in the future or before the plan's year is refused.
 */
const eventCommand: Handler<Extract<Command, { name: 'event' }>> = (cmd, ctx) => {
  const date = resolveDate(cmd.date, ctx.today, 'past');
  if (!date) return { text: text.notADate(cmd.date.replace('*-', '')) };
  const target = findTarget(ctx, cmd.ref, cmd.unit, (u) => `信息形成 ${cmd.ref} ${u} ${date}`);
  if (isReply(target)) return target;
  const rule = target.item.rule;
  if (rule.type !== 'after_event') return { text: text.notAfterEvent(cmd.ref) };
  if (date > ctx.today) return { text: text.futureEvent(date) };
  if (date < `${ctx.plan.year}-01-01`) return { text: text.eventBeforePlan(date, ctx.plan.year) };
  const occ = eventOccurrence(rule, date, ctx.calendar);
  const { created } = recordEvent(
    ctx.db,
    { itemId: target.item.id, unitId: target.unitId, role: target.rows[0]!.role, occurrence: occ.key, due: occ.due!, dueEstimated: occ.estimated },
    { evidence: null, note: null, ...reportedBy(ctx) },
  );
  if (!created) return { text: text.eventAgain(target.unit, cmd.ref, date, occ.due!) };
  return {
    text: text.eventRecorded(target.unit, cmd.ref, rule.event, date, rule.workdays, occ.due!, occ.estimated ? estimatedNote : ''),
  };
};

export const eventSpec: CommandSpec<'event'> = {
  name: 'event',
  words: ['信息形成', '信息变更', '/event'],
  access: 'liaison',
  parse: (rest, lookup) => parseDatedItem('event', rest, lookup),
  handle: eventCommand,
};
