import { bindingsByName, revokeBindings, unitByName } from '../../../db/liaisons.js';
import { text } from '../text/messages.js';
import type { Command } from './parse.js';
import type { Handler } from './context.js';

/** 解绑 姓名 [单位] (coordinators): the person no longer acts for the unit(s). */
export const unbindCommand: Handler<Extract<Command, { name: 'unbind' }>> = (cmd, ctx) => {
  const unitId = cmd.unit ? unitByName(ctx.db, cmd.unit)!.id : undefined;
  const found = bindingsByName(ctx.db, cmd.who, unitId);
  if (found.length === 0) return { text: text.noSuchLiaison(cmd.who) };
  revokeBindings(ctx.db, found.map((b) => b.id), ctx.actor.name, ctx.now.toISOString());
  return { text: text.unbound(cmd.who, found.map((b) => b.unit).join('、')) };
};
