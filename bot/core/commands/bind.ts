import { err, unitNames, unknownUnit, type Command } from './args.js';
import { requestBinding, requestsSince, unitByName } from '../../../db/liaisons.js';
import { fromShanghai } from '../../../schedules/clock.js';
import { argText, identityText, text } from '../text/messages.js';
import { namesake, refusal } from '../identity.js';
import type { CommandSpec, Handler } from './context.js';

/** Binding requests a day from someone who acts for no unit yet: a stranger cannot flood the coordinators. */
export const BIND_REQUESTS_A_DAY = 3;

/** 绑定 县商务局[、县财政局]: asks to become each unit's liaison; the coordinators are told, in one notice. */
const bindCommand: Handler<Extract<Command, { name: 'bind' }>> = (cmd, ctx) => {
  const dayStart = fromShanghai(`${ctx.today} 00:00`)!.toISOString();
  const left = ctx.bindings.length ? Infinity : BIND_REQUESTS_A_DAY - requestsSince(ctx.db, ctx.actor.contactId, dayStart);
  if (left <= 0) return { text: text.bindLimit(BIND_REQUESTS_A_DAY) };
  // the name of a bound liaison on another contact: refused while that contact is heard, else both are shown
  const same = ctx.bindings.length ? null : namesake(ctx.db, ctx.now, ctx.actor, ctx.where);
  if (same?.stillHere) return refusal(ctx.actor.name, same);
  const outcomes = cmd.units.slice(0, left).map((name) => {
    const unit = unitByName(ctx.db, name)!;
    const r = requestBinding(ctx.db, { contactId: ctx.actor.contactId, name: ctx.actor.name, unitId: unit.id, now: ctx.now.toISOString() });
    if (r.outcome === 'already-bound') return { line: text.bindAlready(name) };
    if (r.outcome === 'already-pending') return { line: text.bindPending(name) };
    return { line: text.bindRequested(name), notice: text.bindNotice(ctx.actor.name, name, r.binding.id) };
  });
  // what was filed first, then what was already so
  const lines = [...outcomes.filter((o) => o.notice), ...outcomes.filter((o) => !o.notice)].map((o) => o.line);
  if (cmd.units.length > left) lines.push(text.bindLimit(BIND_REQUESTS_A_DAY));
  const notices = outcomes.flatMap((o) => (o.notice ? [o.notice] : []));
  if (notices.length && same) notices.push(identityText.sameName(same.contacts));
  return { text: lines.join('\n'), toCoordinators: notices.length ? notices.join('\n') : undefined };
};

export const bindSpec: CommandSpec<'bind'> = {
  name: 'bind',
  words: ['绑定', '/bind'],
  unitArg: true,
  access: 'anyone',
  parse: (rest, lookup) => {
    const written = [...new Set(unitNames(rest, lookup))];
    if (written.length === 0) return err('bind', argText.noUnitToBind);
    const unknown = written.find((w) => !lookup(w));
    if (unknown) return unknownUnit('bind', unknown, lookup);
    return { name: 'bind', units: [...new Set(written.map((w) => lookup(w)!))] };
  },
  handle: bindCommand,
};
