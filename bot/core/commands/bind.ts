import { requestBinding, requestsSince, unitByName } from '../../../db/liaisons.js';
import { fromShanghai } from '../../../schedules/clock.js';
import { text } from '../text/messages.js';
import type { Command } from './parse.js';
import type { Handler } from './context.js';

/** Binding requests a day from someone who acts for no unit yet: a stranger cannot flood the coordinators. */
export const BIND_REQUESTS_A_DAY = 3;

/** 绑定 县商务局: asks to become the unit's liaison; the coordinators are told. */
export const bindCommand: Handler<Extract<Command, { name: 'bind' }>> = (cmd, ctx) => {
  const unit = unitByName(ctx.db, cmd.unit)!;
  const dayStart = fromShanghai(`${ctx.today} 00:00`)!.toISOString();
  if (ctx.bindings.length === 0 && requestsSince(ctx.db, ctx.actor.contactId, dayStart) >= BIND_REQUESTS_A_DAY) {
    return { text: text.bindLimit(BIND_REQUESTS_A_DAY) };
  }
  const r = requestBinding(ctx.db, { contactId: ctx.actor.contactId, name: ctx.actor.name, unitId: unit.id, now: ctx.now.toISOString() });
  if (r.outcome === 'already-bound') return { text: text.bindAlready(cmd.unit) };
  if (r.outcome === 'already-pending') return { text: text.bindPending(cmd.unit) };
  return { text: text.bindRequested(cmd.unit), toCoordinators: text.bindNotice(ctx.actor.name, cmd.unit, r.binding.id) };
};
