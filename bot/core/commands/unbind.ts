import { err, unknownUnit } from './args.js';
import { bindingsByName, revokeBindings, unitByName } from '../../../db/liaisons.js';
import { argText, text } from '../text/messages.js';
import type { Command } from './args.js';
import type { CommandSpec, Handler } from './context.js';

/** 解绑 姓名 [单位] (coordinators): the person no longer acts for the unit(s). */
const unbindCommand: Handler<Extract<Command, { name: 'unbind' }>> = (cmd, ctx) => {
  const unitId = cmd.unit ? unitByName(ctx.db, cmd.unit)!.id : undefined;
  const found = bindingsByName(ctx.db, cmd.who, unitId);
  if (found.length === 0) return { text: text.noSuchLiaison(cmd.who) };
  revokeBindings(ctx.db, found.map((b) => b.id), ctx.actor.name, ctx.now.toISOString());
  return { text: text.unbound(cmd.who, found.map((b) => b.unit).join('、')) };
};

export const unbindSpec: CommandSpec<'unbind'> = {
  name: 'unbind',
  words: ['解绑', '解除绑定', '/unbind'],
  access: 'coordinator',
  parse: (rest, lookup) => {
    const [who = '', unitText] = rest.split(' ');
    if (!who) return err('unbind', argText.noLiaison);
    if (!unitText) return { name: 'unbind', who, unit: null };
    const unit = lookup(unitText);
    return unit ? { name: 'unbind', who, unit } : unknownUnit('unbind', unitText, lookup);
  },
  handle: unbindCommand,
};
