import { err, takeRef, unitNames, unknownUnit } from './args.js';
import { unitByName } from '../../../db/liaisons.js';
import { assignUnits, hasUnnamedPart, itemByRef } from '../../../db/reports.js';
import { argText, text } from '../text/messages.js';
import type { Command } from './args.js';
import type { CommandSpec, Handler } from './context.js';

/** 分配 T25 县发展改革局 (coordinators): gives an item's unnamed units (有关部门单位) to named ones. */
const assignCommand: Handler<Extract<Command, { name: 'assign' }>> = (cmd, ctx) => {
  const item = itemByRef(ctx.db, ctx.plan.id, cmd.ref);
  if (!item) return { text: text.unknownRef(cmd.ref) };
  if (!hasUnnamedPart(ctx.db, item.id)) return { text: text.assignNotNeeded(cmd.ref) };
  assignUnits(ctx.db, item.id, cmd.units.map((u) => unitByName(ctx.db, u)!.id), ctx.now.toISOString());
  return { text: text.assigned(cmd.ref, cmd.units) };
};

export const assignSpec: CommandSpec<'assign'> = {
  name: 'assign',
  words: ['分配', '/assign'],
  access: 'coordinator',
  parse: (rest, lookup) => {
    const ref = takeRef(rest);
    if (!ref) return err('assign', argText.noRef);
    const names = unitNames(ref.rest, lookup);
    if (names.length === 0) return err('assign', argText.noUnitToAssign);
    const unknown = names.filter((n) => !lookup(n));
    if (unknown.length) return unknownUnit('assign', unknown[0]!, lookup);
    return { name: 'assign', ref: ref.ref, units: names.map((n) => lookup(n)!) };
  },
  handle: assignCommand,
};
