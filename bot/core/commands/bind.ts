import { requestBinding, unitByName } from '../../../db/liaisons.js';
import { text } from '../text/messages.js';
import type { Command } from './parse.js';
import type { Handler } from './context.js';

/** 绑定 县商务局: asks to become the unit's liaison; the coordinators are told. */
export const bindCommand: Handler<Extract<Command, { name: 'bind' }>> = (cmd, ctx) => {
  const unit = unitByName(ctx.db, cmd.unit)!;
  const r = requestBinding(ctx.db, { contactId: ctx.actor.contactId, name: ctx.actor.name, unitId: unit.id, now: ctx.now.toISOString() });
  if (r.outcome === 'already-bound') return { text: text.bindAlready(cmd.unit) };
  if (r.outcome === 'already-pending') return { text: text.bindPending(cmd.unit) };
  return { text: text.bindRequested(cmd.unit), toCoordinators: text.bindNotice(ctx.actor.name, cmd.unit, r.binding.id) };
};
