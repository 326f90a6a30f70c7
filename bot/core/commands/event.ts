import { parseDatedItem } from './args.js';
import { recordEvent } from '../../../db/reports.js';
import { eventOccurrence } from '../../../schedules/due.js';
import { estimatedNote, text } from '../text/messages.js';
import type { Command } from './args.js';
import { reportedBy, type CommandSpec, type Handler } from './context.js';
import { findTarget, isReply } from './target.js';

/** 信息形成 T12 [单位] 2023-09-20: starts an after-event occurrence and says when it is due. */
const eventCommand: Handler<Extract<Command, { name: 'event' }>> = (cmd, ctx) => {
  const target = findTarget(ctx, cmd.ref, cmd.unit, (u) => `信息形成 ${cmd.ref} ${u} ${cmd.date}`);
  if (isReply(target)) return target;
  const rule = target.item.rule;
  if (rule.type !== 'after_event') return { text: text.notAfterEvent(cmd.ref) };
  if (cmd.date > ctx.today) return { text: text.futureEvent(cmd.date) };
  const occ = eventOccurrence(rule, cmd.date, ctx.calendar);
  const { created } = recordEvent(
    ctx.db,
    { itemId: target.item.id, unitId: target.unitId, role: target.rows[0]!.role, occurrence: occ.key, due: occ.due!, dueEstimated: occ.estimated },
    { evidence: null, note: null, ...reportedBy(ctx) },
  );
  if (!created) return { text: text.eventAgain(target.unit, cmd.ref, cmd.date, occ.due!) };
  return {
    text: text.eventRecorded(target.unit, cmd.ref, rule.event, cmd.date, rule.workdays, occ.due!, occ.estimated ? estimatedNote : ''),
  };
};

export const eventSpec: CommandSpec<'event'> = {
  name: 'event',
  words: ['信息形成', '信息变更', '/event'],
  access: 'liaison',
  parse: (rest, lookup) => parseDatedItem('event', rest, lookup),
  handle: eventCommand,
};
