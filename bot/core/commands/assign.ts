import { unitByName } from '../../../db/liaisons.js';
import { assignUnits, hasUnnamedPart, itemByRef } from '../../../db/reports.js';
import { text } from '../text/messages.js';
import type { Command } from './parse.js';
import type { Handler } from './context.js';

/** 分配 T25 县发展改革局 (coordinators): gives an item's unnamed units (有关部门单位) to named ones. */
export const assignCommand: Handler<Extract<Command, { name: 'assign' }>> = (cmd, ctx) => {
  const item = itemByRef(ctx.db, ctx.plan.id, cmd.ref);
  if (!item) return { text: text.unknownRef(cmd.ref) };
  if (!hasUnnamedPart(ctx.db, item.id)) return { text: text.assignNotNeeded(cmd.ref) };
  assignUnits(ctx.db, item.id, cmd.units.map((u) => unitByName(ctx.db, u)!.id), ctx.now.toISOString());
  return { text: text.assigned(cmd.ref, cmd.units) };
};
