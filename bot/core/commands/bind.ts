import { err, unknownUnit, type Command } from './args.js';
import { requestBinding, unitByName } from '../../../db/liaisons.js';
import { argText, text } from '../text/messages.js';
import type { CommandSpec, Handler } from './context.js';

/** 绑定 县商务局[、县财政局]: asks to become each unit's liaison; the coordinators are told. */
const bindCommand: Handler<Extract<Command, { name: 'bind' }>> = (cmd, ctx) => {
  const outcomes = cmd.units.map((name) => {
    const unit = unitByName(ctx.db, name)!;
    const r = requestBinding(ctx.db, { contactId: ctx.actor.contactId, name: ctx.actor.name, unitId: unit.id, now: ctx.now.toISOString() });
    if (r.outcome === 'already-bound') return { line: text.bindAlready(name) };
    if (r.outcome === 'already-pending') return { line: text.bindPending(name) };
    return { line: text.bindRequested(name), notice: text.bindNotice(ctx.actor.name, name, r.binding.id) };
  });
  // what was filed first, then what was already so
  const lines = [...outcomes.filter((o) => o.notice), ...outcomes.filter((o) => !o.notice)].map((o) => o.line);
  const notices = outcomes.flatMap((o) => (o.notice ? [o.notice] : []));
  return { text: lines.join('\n'), toCoordinators: notices.length ? notices.join('\n') : undefined };
};

export const bindSpec: CommandSpec<'bind'> = {
  name: 'bind',
  words: ['绑定', '/bind'],
  unitArg: true,
  access: 'anyone',
  parse: (rest, lookup) => {
    const written = [...new Set(rest.split(/[\s、,，和]+/).filter(Boolean))];
    if (written.length === 0) return err('bind', argText.noUnitToBind);
    const unknown = written.find((w) => !lookup(w));
    if (unknown) return unknownUnit('bind', unknown, lookup);
    return { name: 'bind', units: [...new Set(written.map((w) => lookup(w)!))] };
  },
  handle: bindCommand,
};
