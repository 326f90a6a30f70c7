import { itemByRef, rowsForItem, type AssignmentView, type ItemRow } from '../../../db/reports.js';
import { text } from '../text/messages.js';
import type { CommandContext, Reply } from './context.js';

/** One item of one of the actor's units, with that unit's rows (earliest due first). */
export type Target = { item: ItemRow; unitId: number; unit: string; rows: AssignmentView[] };

/**
 * Finds the item the actor reports on, for their own unit only. A liaison of several units
 * that all have the item must name the unit.
 */
export function findTarget(ctx: CommandContext, ref: string, unit: string | null, example: (unit: string) => string): Target | Reply {
  const item = itemByRef(ctx.db, ctx.plan.id, ref);
  if (!item) return { text: text.unknownRef(ref) };
  const mine = unit === null ? ctx.bindings : ctx.bindings.filter((b) => b.unit === unit);
  if (unit !== null && mine.length === 0) return { text: text.notYourUnit(unit) };
  const rows = rowsForItem(ctx.db, item.id, mine.map((b) => b.unitId));
  const units = [...new Set(rows.map((r) => r.unit!))];
  if (units.length === 0) return { text: text.notYourItem(ref) };
  if (units.length > 1) return { text: text.whichUnit(ref, units, example(units[0]!)) };
  const chosen = mine.find((b) => b.unit === units[0])!;
  return { item, unitId: chosen.unitId, unit: chosen.unit, rows };
}

export const isReply = (t: Target | Reply): t is Reply => 'text' in t;
