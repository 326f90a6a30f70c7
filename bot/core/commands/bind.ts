import { err } from './args.js';
import { requestBinding, unitByName } from '../../../db/liaisons.js';
import { text } from '../text/messages.js';
import type { Command } from './args.js';
import type { CommandSpec, Handler } from './context.js';

/** 绑定 县商务局: asks to become the unit's liaison; the coordinators are told. */
const bindCommand: Handler<Extract<Command, { name: 'bind' }>> = (cmd, ctx) => {
  const unit = unitByName(ctx.db, cmd.unit)!;
  const r = requestBinding(ctx.db, { contactId: ctx.actor.contactId, name: ctx.actor.name, unitId: unit.id, now: ctx.now.toISOString() });
  if (r.outcome === 'already-bound') return { text: text.bindAlready(cmd.unit) };
  if (r.outcome === 'already-pending') return { text: text.bindPending(cmd.unit) };
  return { text: text.bindRequested(cmd.unit), toCoordinators: text.bindNotice(ctx.actor.name, cmd.unit, r.binding.id) };
};

export const bindSpec: CommandSpec<'bind'> = {
  name: 'bind',
  words: ['绑定', '/bind'],
  unitArg: true,
  access: 'anyone',
  parse: (rest, lookup) => {
    if (!rest) return err('bind', '请写明要绑定的单位。');
    const unit = lookup(rest);
    return unit ? { name: 'bind', unit } : err('bind', `没有找到单位「${rest}」。`);
  },
  handle: bindCommand,
};
